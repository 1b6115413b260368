/**
 * The analysts' guide (docs/adding-a-page.md) must not rot: this follows it. It
 * copies the template page and loader into src/, builds the site with Framework
 * (loaders already built are reused from the cache), and checks the new page in
 * Chromium: its `sql` block ran over the mart offline, its chart and table render,
 * and nothing failed. The copies are removed afterwards.
 */
import { spawn } from "node:child_process";
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyCsp } from "../../tools/csp.js";
import { openSite, waitForCharts, type Site } from "./harness.js";

const ROOT = process.cwd();
const PAGE = join(ROOT, "src", "my-page.md");
const LOADER = join(ROOT, "src", "data", "my-page.arrow.ts");

let output: string;
let site: Site;

function observableBuild(outputDir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(ROOT, "node_modules", ".bin", "observable"), ["build"], {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, SI_BUILD_OUTPUT: outputDir, OBSERVABLE_TELEMETRY_DISABLE: "true" },
    });
    child.on("error", reject);
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

beforeAll(async () => {
  output = await mkdtemp(join(tmpdir(), "si-template-"));
  // Step 1 of the guide: copy the two templates.
  await copyFile(join(ROOT, "docs", "templates", "my-page.md"), PAGE);
  await copyFile(join(ROOT, "docs", "templates", "my-page.arrow.ts"), LOADER);
  try {
    expect(await observableBuild(join(output, "site"))).toBe(0);
    // As npm run build does: the page's Content-Security-Policy (its sql block needs DuckDB-WASM).
    expect((await applyCsp(join(output, "site"))).wasmPages).toEqual(["my-page.html"]);
  } finally {
    await rm(PAGE, { force: true });
    await rm(LOADER, { force: true });
  }
  site = await openSite(join(output, "site"));
}, 600_000);

afterAll(async () => {
  await site?.close();
  await rm(output, { recursive: true, force: true });
});

describe("a page made from the template, as the guide says", () => {
  it("builds offline and shows its SQL result, chart and table with no error", async () => {
    const { page, problems } = await site.openPage("/my-page");
    expect(await waitForCharts(page)).toBeGreaterThan(0);
    const rows = page.locator('[data-testid="table-my-page"] tbody tr');
    await rows.first().waitFor({ timeout: 60_000 });
    expect(await rows.count()).toBeGreaterThan(1);
    expect(await page.locator('[data-testid="table-my-page"]').innerText()).toMatch(/Billing|Sales|Tech Support|Onboarding|Retention/);
    await page.waitForLoadState("networkidle");
    expect(problems.offHostRequests).toEqual([]);
    expect(problems.failedRequests).toEqual([]);
    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
  });
});
