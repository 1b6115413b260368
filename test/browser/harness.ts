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
  failedRequests: string[];
  offHostRequests: string[];
  pageErrors: string[];
}

export interface Site {
  url: string;
  browser: Browser;
  openPage(path: string, options?: { colorScheme?: "light" | "dark" }): Promise<{ page: Page; context: BrowserContext; problems: PageProblems }>;
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
      const problems: PageProblems = { consoleErrors: [], failedRequests: [], offHostRequests: [], pageErrors: [] };
      await context.route("**/*", (route) => {
        const url = route.request().url();
        if (url.startsWith("data:") || url.startsWith("blob:") || new URL(url).origin === origin) return route.continue();
        problems.offHostRequests.push(url);
        return route.abort("blockedbyclient");
      });
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
      context.on("response", (response) => {
        if (response.status() >= 400) problems.failedRequests.push(`${response.url()} (HTTP ${response.status()})`);
      });
      await page.goto(`${server.url}${path}`, { waitUntil: "load" });
      return { page, context, problems };
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => {});
      await browser.close();
      await server.close();
    },
  };
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
