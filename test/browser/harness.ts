/**
 * Drives Debian's Chromium through playwright-core against the built site served
 * on 127.0.0.1. Every request that is not to that server is aborted and recorded,
 * so a page that reaches for a CDN or a font host fails its test instead of
 * silently working on a developer's connected laptop.
 */
import { mkdir, readdir } from "node:fs/promises";
import { join, relative } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { serveDist, type DistServer } from "../../tools/serve-dist.js";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const SCREENSHOT_DIR = join(process.cwd(), "test-results", "screenshots");

// The flags Chromium needs on a machine with no network and as root.
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface PageProblems {
  consoleErrors: string[];
  /** Content-Security-Policy violations the page reported (also counted as console errors). */
  cspViolations: string[];
  failedRequests: string[];
  offHostRequests: string[];
  pageErrors: string[];
}

/** What a page downloaded from the site's data files (`/_file/…`, the loaders' outputs). */
export interface PageData {
  files: Map<string, number>;
  bytes(): number;
}

export interface Site {
  url: string;
  browser: Browser;
  openPage(
    path: string,
    options?: { colorScheme?: "light" | "dark" },
  ): Promise<{ page: Page; context: BrowserContext; problems: PageProblems; data: PageData }>;
  close(): Promise<void>;
}

export async function openSite(distRoot = join(process.cwd(), "dist")): Promise<Site> {
  const server: DistServer = await serveDist({ root: distRoot });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  const origin = new URL(server.url).origin;
  const contexts: BrowserContext[] = [];
  return {
    url: server.url,
    browser,
    async openPage(path, options = {}) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: options.colorScheme ?? "light" });
      contexts.push(context);
      const problems: PageProblems = { consoleErrors: [], cspViolations: [], failedRequests: [], offHostRequests: [], pageErrors: [] };
      await context.route("**/*", (route) => {
        const url = route.request().url();
        if (url.startsWith("data:") || url.startsWith("blob:") || new URL(url).origin === origin) return route.continue();
        problems.offHostRequests.push(url);
        return route.abort("blockedbyclient");
      });
      // Records layout shifts from the first paint (Chromium's Layout Instability API), for layoutShift().
      await context.addInitScript(LAYOUT_SHIFT_RECORDER);
      // Every Content-Security-Policy violation fails a page like a console error does.
      await context.exposeBinding("__siCspViolation", (_source, text: string) => {
        problems.cspViolations.push(text);
        problems.consoleErrors.push(`Content-Security-Policy violation: ${text}`);
      });
      await context.addInitScript(CSP_VIOLATION_RECORDER);
      const page = await context.newPage();
      page.on("console", (message) => {
        if (message.type() === "error") problems.consoleErrors.push(message.text());
      });
      page.on("pageerror", (error) => problems.pageErrors.push(String(error)));
      context.on("requestfailed", (request) => {
        if (!problems.offHostRequests.includes(request.url())) {
          problems.failedRequests.push(`${request.url()} (${request.failure()?.errorText ?? "failed"})`);
        }
      });
      const files = new Map<string, number>();
      const data: PageData = { files, bytes: () => [...files.values()].reduce((sum, size) => sum + size, 0) };
      context.on("response", (response) => {
        if (response.status() >= 400) problems.failedRequests.push(`${response.url()} (HTTP ${response.status()})`);
        const url = new URL(response.url());
        // Bytes on the wire as the server sends them (no compression on the test server); ranges count as sent.
        if (url.origin === origin && url.pathname.startsWith("/_file/")) {
          void response.headerValue("content-length").then((length) => {
            files.set(url.pathname, (files.get(url.pathname) ?? 0) + Number(length ?? 0));
          });
        }
      });
      await page.goto(`${server.url}${path}`, { waitUntil: "load" });
      return { page, context, problems, data };
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => {});
      await browser.close();
      await server.close();
    },
  };
}

const LAYOUT_SHIFT_RECORDER = `
  window.__siLayoutShift = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__siLayoutShift += entry.value;
  }).observe({ type: "layout-shift", buffered: true });
`;

const CSP_VIOLATION_RECORDER = `
  document.addEventListener("securitypolicyviolation", (event) => {
    window.__siCspViolation(event.effectiveDirective + " refused " + (event.blockedURI || "an inline script or style") +
      " at " + (event.sourceFile || "?") + ":" + event.lineNumber + (event.sample ? " (" + event.sample + ")" : ""));
  });
`;

/** Cumulative layout shift since the page started loading (0 = nothing moved; "good" is below 0.1). */
export async function layoutShift(page: Page): Promise<number> {
  return Number(await page.evaluate("window.__siLayoutShift"));
}

/** Every KPI on the page: metric id → raw value (NaN when the card has none). */
export async function readKpis(page: Page): Promise<Record<string, number>> {
  const pairs = await page.$$eval("[data-metric]", (cards) =>
    cards.map((card) => [card.getAttribute("data-metric") ?? "", card.getAttribute("data-value") ?? ""] as const),
  );
  return Object.fromEntries(pairs.map(([id, value]) => [id, value === "" ? Number.NaN : Number(value)]));
}

/** Waits until at least one KPI's value differs from `before` (what readKpis returned earlier). */
export async function waitForKpiChange(page: Page, before: Record<string, number>): Promise<void> {
  const previous = Object.fromEntries(Object.entries(before).map(([id, value]) => [id, Number.isNaN(value) ? "" : String(value)]));
  await page.waitForFunction(
    (values: Record<string, string>) =>
      [...document.querySelectorAll("[data-metric]")].some((card) => card.getAttribute("data-value") !== values[card.getAttribute("data-metric") ?? ""]),
    previous,
    { timeout: 10_000 },
  );
}

/** Every page of the built site, as the URL path a visitor would open. */
export async function listPages(distRoot = join(process.cwd(), "dist")): Promise<string[]> {
  const pages: string[] = [];
  for (const entry of await readdir(distRoot, { recursive: true })) {
    const file = String(entry);
    if (!file.endsWith(".html") || file === "404.html" || file.startsWith("_")) continue;
    const path = `/${relative(".", file).replace(/index\.html$/, "").replace(/\.html$/, "")}`;
    pages.push(path);
  }
  return pages.sort();
}

/** Waits until every chart placeholder on the page holds a rendered SVG. */
export async function waitForCharts(page: Page): Promise<number> {
  await page.waitForFunction(
    () => {
      const charts = [...document.querySelectorAll('[data-testid^="chart-"]')];
      return charts.length > 0 && charts.every((chart) => chart.querySelector("svg") !== null);
    },
    undefined,
    { timeout: 60_000 },
  );
  return page.locator('[data-testid^="chart-"]').count();
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = join(SCREENSHOT_DIR, `${name.replace(/[^\w-]+/g, "_") || "index"}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
