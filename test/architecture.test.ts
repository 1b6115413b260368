/**
 * The layers hold (docs/architecture.md, rules in .dependency-cruiser.cjs): no module
 * imports upward or across, no import cycle, nothing dead. The second case runs the
 * same rules over a small made-up tree with one of each forbidden import, so a rule
 * that quietly matches nothing cannot pass for one that holds.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { cruise, type ICruiseOptions, type ICruiseResult } from "dependency-cruiser";
import extractDepcruiseOptions from "dependency-cruiser/config-utl/extract-depcruise-options";
import extractTSConfig from "dependency-cruiser/config-utl/extract-ts-config";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const CONFIG = join(process.cwd(), ".dependency-cruiser.cjs");
/** What is checked: every folder of code and the configurations (the same list as `npm run check:layers`). */
const CHECKED = ["data-loaders", "src", "tools", "bench", "simulator", "embedded", "test", "observablehq.config.ts", "vitest.config.ts"];

/** Each violation as one line: `rule: from → to` (a cycle as its modules, in order). */
async function violations(baseDir: string, paths: readonly string[]): Promise<string[]> {
  const options: ICruiseOptions = await extractDepcruiseOptions(CONFIG);
  const tsConfigFile = join(baseDir, "tsconfig.json");
  const { output } = await cruise([...paths], { ...options, baseDir, tsConfig: { fileName: tsConfigFile } }, undefined, { tsConfig: extractTSConfig(tsConfigFile) });
  return (output as ICruiseResult).summary.violations
    .map((violation) => {
      const to = violation.cycle ? violation.cycle.map((step) => step.name).join(" → ") : violation.to;
      return violation.from === to ? `${violation.rule.name}: ${to}` : `${violation.rule.name}: ${violation.from} → ${to}`;
    })
    .sort();
}

describe("the layers", () => {
  // A cruise of the whole project: seconds alone, longer on a busy machine.
  it("hold in this project: no upward import, no cycle, no dead module", { timeout: 180_000 }, async () => {
    const packageJson = JSON.parse(await readFile("package.json", "utf8")) as { scripts: Record<string, string> };
    expect(packageJson.scripts["check:layers"]).toContain(CHECKED.join(" "));
    expect(await violations(process.cwd(), CHECKED)).toEqual([]);
  });

  describe("on a made-up tree", () => {
    let tree: string;
    const files: Record<string, string> = {
      "tsconfig.json": JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", strict: true } }),
      // Commands and tests: where the cruiser starts.
      "data-loaders/sync/cli.ts": `import { startSimulator } from "../../simulator/index.js";\nimport { runSync } from "./engine.js";\nexport const demo = () => runSync(startSimulator());\n`,
      "embedded/recorder/index.ts": `import { readFileSync } from "node:fs";\nimport { lakeRoot } from "../../data-loaders/lake/index.js";\nimport { Event } from "../schemas.js";\nexport const record = () => [readFileSync, lakeRoot, Event];\n`,
      "test/sync.test.ts": `import { chart } from "../src/components/chart.js";\nimport { noteDrift } from "../data-loaders/drift/ledger.js";\nexport const used = [chart, noteDrift];\n`,
      // Forbidden: the production path starts the simulator (allowed in the CLI above).
      "data-loaders/sync/engine.ts": `import { startSimulator } from "../../simulator/index.js";\nexport const runSync = (url: string) => [url, startSimulator];\n`,
      // Allowed: the simulator serves the shared schemas. Forbidden: it reaches into the sync.
      "simulator/index.ts": `import { Session } from "../data-loaders/upscope/schemas.js";\nimport { noteDrift } from "../data-loaders/drift/ledger.js";\nexport const startSimulator = () => [Session, noteDrift].join();\n`,
      // Allowed: a schema declares its fields with the drift policy. Forbidden: it imports the lake.
      "data-loaders/upscope/schemas.ts": `import { openText } from "../drift/policy.js";\nimport { lakeRoot } from "../lake/index.js";\nexport const Session = [openText, lakeRoot];\n`,
      "data-loaders/drift/policy.ts": `export const openText = "text";\n`,
      "embedded/schemas.ts": `import { openText } from "../data-loaders/drift/policy.js";\nexport const Event = openText;\n`,
      // Forbidden: the sync imports the site.
      "data-loaders/drift/ledger.ts": `import { label } from "../../src/data/labels.js";\nexport const noteDrift = label;\n`,
      "src/data/labels.ts": `export const label = "drift";\n`,
      // Forbidden: a cycle, one way by a type only.
      "data-loaders/lake/index.ts": `import type { Layout } from "./layout.js";\nexport const lakeRoot = (layout?: Layout) => layout;\n`,
      "data-loaders/lake/layout.ts": `import { lakeRoot } from "./index.js";\nexport type Layout = typeof lakeRoot;\n`,
      // Forbidden: a page component that reads the file system.
      "src/components/chart.ts": `import { readFile } from "node:fs/promises";\nexport const chart = readFile;\n`,
      // Dead: nothing imports it and it imports nothing.
      "tools/leftover.ts": `export const leftover = 1;\n`,
    };

    beforeAll(async () => {
      tree = await mkdtemp(join(tmpdir(), "si-layers-"));
      for (const [path, text] of Object.entries(files)) {
        await mkdir(dirname(join(tree, path)), { recursive: true });
        await writeFile(join(tree, path), text);
      }
    });
    afterAll(async () => {
      await rm(tree, { recursive: true, force: true });
    });

    it("reports each forbidden import, and only those", async () => {
      expect(await violations(tree, ["data-loaders", "src", "tools", "simulator", "embedded", "test"])).toEqual([
        "beside-imports-only-shared: embedded/recorder/index.ts → data-loaders/lake/index.ts",
        "beside-imports-only-shared: simulator/index.ts → data-loaders/drift/ledger.ts",
        "components-stay-in-the-browser: src/components/chart.ts → fs/promises",
        "data-loaders-not-up: data-loaders/drift/ledger.ts → src/data/labels.ts",
        "no-circular: data-loaders/lake/index.ts → data-loaders/lake/layout.ts → data-loaders/lake/index.ts",
        "no-orphans: tools/leftover.ts",
        "no-unreachable: tools/leftover.ts",
        "production-not-simulator: data-loaders/sync/engine.ts → simulator/index.ts",
        "recorder-stays-in-the-browser: embedded/recorder/index.ts → fs",
        "shared-imports-only-shared: data-loaders/upscope/schemas.ts → data-loaders/lake/index.ts",
      ]);
    });
  });
});
