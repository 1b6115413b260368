import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { vendorNpm } from "../../tools/vendor-npm.js";

// A throwaway Framework project in a temporary folder (its config imports the guard
// by absolute path), built by the real `observable build` with the offline guard installed.
const projectRoot = process.cwd();
let scratch: string;

// Framework loads a TypeScript config only when it finds observablehq.config.ts in
// the working directory by itself, so the scratch project is built from there.
function observableBuild(): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(projectRoot, "node_modules", ".bin", "observable"), ["build"], {
      cwd: scratch,
      env: { ...process.env, OBSERVABLE_TELEMETRY_DISABLE: "true" },
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code: code ?? 1, output }));
  });
}

async function writeProject(page: string): Promise<void> {
  const root = join(scratch, "src");
  await mkdir(root, { recursive: true });
  // ES modules, as in the project, so that tsx loads the config's TypeScript import.
  await writeFile(join(scratch, "package.json"), `${JSON.stringify({ private: true, type: "module" })}\n`);
  await writeFile(join(root, "index.md"), page);
  const config = join(scratch, "observablehq.config.ts");
  await writeFile(
    config,
    [
      `import { installOfflineGuard } from ${JSON.stringify(join(projectRoot, "tools", "offline-guard.ts"))};`,
      "installOfflineGuard();",
      `export default { root: "src", output: "dist", globalStylesheets: [], duckdb: { extensions: { json: null, parquet: null } } };`,
    ].join("\n"),
  );
  await vendorNpm({ projectRoot, cacheRoot: join(root, ".observablehq", "cache") });
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "si-offline-build-"));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe("offline Framework build", () => {
  it("builds a page that uses vendored libraries (Plot, Inputs, d3) with no fetch", async () => {
    await writeProject("# ok\n\n```js\nPlot.plot({marks: [Plot.dot(d3.range(3), {x: (d) => d})]})\n```\n\n```js\nInputs.button(\"go\")\n```\n");
    const { code, output } = await observableBuild();
    expect(output).not.toContain("Offline build: refused");
    expect(code).toBe(0);
  }, 120_000);

  it("fails with a clear message when a page uses a library the project does not provide", async () => {
    await writeProject("# uses lodash\n\n```js\n_.chunk([1, 2, 3, 4], 2)\n```\n");
    const { code, output } = await observableBuild();
    expect(code).not.toBe(0);
    expect(output).toContain("Offline build: refused to fetch");
    expect(output).toContain("npm:lodash");
    expect(output).toContain("tools/vendor-npm.ts");
  }, 120_000);
});
