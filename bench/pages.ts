/**
 * Pages at scale: for each page of the site built from the scale lake, the bytes of
 * data it downloads (the loaders' files under `/_file/`, as the browser suite counts
 * them) and the time from navigation start to the first chart, in Debian's Chromium
 * over loopback, each page in a fresh browser context (cold cache).
 *
 * "First chart" is the first animation frame after the first chart placeholder
 * (`[data-testid^="chart-"]`) holds its SVG, observed inside the page from the first
 * script on, so the figure does not depend on how often the runner polls.
 */
import type { BrowserContext } from "playwright-core";
import { listPages, openSite, waitForCharts } from "../test/browser/harness.js";
import type { BenchContext } from "./lib/context.js";
import type { PageFigures, PagesResult } from "./lib/results.js";

const FIRST_CHART_RECORDER = `
  window.__benchFirstChart = null;
  window.__benchAllCharts = null;
  const benchCheck = () => {
    const charts = [...document.querySelectorAll('[data-testid^="chart-"]')];
    const drawn = charts.filter((chart) => chart.querySelector("svg") !== null).length;
    if (drawn > 0 && window.__benchFirstChart === null) {
      window.__benchFirstChart = -1;
      requestAnimationFrame(() => { window.__benchFirstChart = performance.now(); });
    }
    if (charts.length > 0 && drawn === charts.length && window.__benchAllCharts === null) {
      window.__benchAllCharts = -1;
      requestAnimationFrame(() => { window.__benchAllCharts = performance.now(); });
    }
  };
  new MutationObserver(benchCheck).observe(document, { childList: true, subtree: true });
`;

const CHART_TIMEOUT_MS = 60_000;

async function measurePage(context: BrowserContext, origin: string, path: string): Promise<PageFigures> {
  const problems: string[] = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("data:") || url.startsWith("blob:") || new URL(url).origin === origin) return route.continue();
    problems.push(`off-host request ${url}`);
    return route.abort("blockedbyclient");
  });
  await context.addInitScript(FIRST_CHART_RECORDER);
  const dataFiles = new Map<string, number>();
  let totalBytes = 0;
  const pending: Promise<void>[] = [];
  context.on("response", (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} ${response.url()}`);
    pending.push(
      response.headerValue("content-length").then((length) => {
        const bytes = Number(length ?? 0);
        totalBytes += bytes;
        const url = new URL(response.url());
        // As the browser suite's harness counts a page's data: the loaders' outputs.
        if (url.origin === origin && url.pathname.startsWith("/_file/")) dataFiles.set(url.pathname, (dataFiles.get(url.pathname) ?? 0) + bytes);
      }),
    );
  });
  const page = await context.newPage();
  page.on("pageerror", (error) => problems.push(`page error: ${String(error)}`));
  await page.goto(`${origin}${path}`, { waitUntil: "load" });
  let charts = 0;
  try {
    charts = await waitForCharts(page);
    await page.waitForFunction("window.__benchAllCharts > 0", undefined, { timeout: CHART_TIMEOUT_MS });
    await page.waitForLoadState("networkidle");
  } catch (error) {
    problems.push(`charts did not all render: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
  }
  const firstChart = Number(await page.evaluate("window.__benchFirstChart"));
  const allCharts = Number(await page.evaluate("window.__benchAllCharts"));
  await Promise.all(pending);
  return {
    path,
    dataBytes: [...dataFiles.values()].reduce((sum, bytes) => sum + bytes, 0),
    dataFiles: dataFiles.size,
    files: [...dataFiles].map(([file, bytes]) => ({ path: file.replace(/^\/_file\//, ""), bytes })).sort((a, b) => b.bytes - a.bytes),
    totalBytes,
    firstChartMs: firstChart > 0 ? firstChart : null,
    allChartsMs: allCharts > 0 ? allCharts : null,
    charts,
    problems,
  };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function slowestPage(measured: readonly PageFigures[]): PagesResult["slowest"] {
  const sorted = [...measured].sort((a, b) => (b.firstChartMs ?? Infinity) - (a.firstChartMs ?? Infinity));
  const slowest = sorted[0];
  return slowest ? { path: slowest.path, firstChartMs: slowest.firstChartMs } : null;
}

export async function measurePages(ctx: BenchContext, distDir: string): Promise<PagesResult> {
  const paths = await listPages(distDir);
  const site = await openSite(distDir);
  const origin = new URL(site.url).origin;
  const measured: PageFigures[] = [];
  try {
    for (const path of paths) {
      const context = await site.browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: "light" });
      try {
        const figures = await measurePage(context, origin, path);
        measured.push(figures);
        if (!path.startsWith("/agents/")) {
          ctx.log(`pages: ${path} ${(figures.dataBytes / 1024).toFixed(0)} KiB of data, first chart ${figures.firstChartMs?.toFixed(0) ?? "–"} ms${figures.problems.length > 0 ? ` (${figures.problems.length} problems)` : ""}`);
        }
      } finally {
        await context.close();
      }
    }
  } finally {
    await site.close();
  }
  const agents = measured.filter((figures) => figures.path.startsWith("/agents/"));
  const firstCharts = (list: PageFigures[]) => list.map((figures) => figures.firstChartMs).filter((value): value is number => value !== null);
  const maxOf = (values: number[]) => (values.length === 0 ? null : Math.max(...values));
  const everyFirstChart = firstCharts(measured);
  return {
    pages: measured.filter((figures) => !figures.path.startsWith("/agents/")),
    agentPages:
      agents.length === 0
        ? null
        : {
            count: agents.length,
            maxDataBytes: Math.max(...agents.map((figures) => figures.dataBytes)),
            maxFirstChartMs: maxOf(firstCharts(agents)),
            medianFirstChartMs: median(firstCharts(agents)),
          },
    maxDataBytes: Math.max(0, ...measured.map((figures) => figures.dataBytes)),
    // A page with no chart at all counts as missing the target, not as fast.
    maxFirstChartMs: everyFirstChart.length < measured.length ? null : maxOf(everyFirstChart),
    slowest: slowestPage(measured),
  };
}
