import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listPages, openSite, screenshot, waitForCharts, type Site } from "./harness.js";

let site: Site;
const pages = await listPages();

beforeAll(async () => {
  site = await openSite();
});

afterAll(async () => {
  await site?.close();
});

describe("every page in Chromium", () => {
  it("the site has pages", () => {
    expect(pages.length).toBeGreaterThan(0);
  });

  for (const path of pages) {
    for (const colorScheme of ["light", "dark"] as const) {
      it(`${path} (${colorScheme}) renders its charts with no error and no off-host request`, async () => {
        const { page, problems } = await site.openPage(path, { colorScheme });
        const charts = await waitForCharts(page);
        await page.waitForLoadState("networkidle");
        await screenshot(page, `${path}-${colorScheme}`);
        expect(charts).toBeGreaterThan(0);
        expect(problems.offHostRequests).toEqual([]);
        expect(problems.failedRequests).toEqual([]);
        expect(problems.pageErrors).toEqual([]);
        expect(problems.consoleErrors).toEqual([]);
      });
    }
  }
});

describe("stack check page", () => {
  it("shows the DuckDB-WASM SQL result over the Arrow file", async () => {
    const { page } = await site.openPage("/");
    const rows = page.locator('[data-testid="sql-totals"] table tbody tr');
    await rows.first().waitFor({ timeout: 60_000 });
    expect(await rows.count()).toBe(3);
    const text = await page.locator('[data-testid="sql-totals"] table').innerText();
    expect(text).toContain("co-browse");
    expect(text).toContain("chat history");
  });

  it("filters the chart with the channel input", async () => {
    const { page } = await site.openPage("/");
    await waitForCharts(page);
    const lines = () => page.locator('[data-testid="chart-daily"] svg g[aria-label="line"] path').count();
    expect(await lines()).toBe(3);
    // The loader's 90 days from 2026-01-01 must read as months on the time axis.
    const axis = await page.locator('[data-testid="chart-daily"] svg g[aria-label="x-axis tick label"]').evaluate((g) => g.textContent ?? "");
    expect(axis).toContain("Jan");
    expect(axis).toContain("Mar");
    await page.getByLabel("chat", { exact: true }).uncheck();
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="chart-daily"] svg g[aria-label="line"] path').length === 2,
      undefined,
      { timeout: 10_000 },
    );
    expect(await lines()).toBe(2);
  });
});
