/**
 * The Content-Security-Policy of the built site (tools/csp.ts). Every page carries
 * its policy as the first thing in <head>: scripts from the site and the hashes of
 * the page's own inline scripts only, no object or foreign base URI, fetches to the
 * site only, WebAssembly only where a page loads DuckDB-WASM or parquet-wasm. In
 * Chromium, a script that vendor text got into the page at run time is refused and
 * reported, and the server's header keeps the site out of frames. (Every page test
 * fails on any violation: the harness counts them as console errors.)
 */
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inlineScripts, readPolicy, sha256Source } from "../../tools/csp.js";
import { openSite, waitForCharts, type Site } from "./harness.js";

const DIST = join(process.cwd(), "dist");

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(";").map((part) => {
      const [name = "", ...values] = part.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );
}

async function builtPages(): Promise<string[]> {
  return (await readdir(DIST, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile() && entry.name.endsWith(".html"))
    .map((entry) => relative(DIST, join(entry.parentPath, entry.name)))
    .sort();
}

let site: Site;

beforeAll(async () => {
  site = await openSite();
});

afterAll(async () => {
  await site?.close();
});

describe("the Content-Security-Policy in every built page", () => {
  it("allows scripts only from the site and the page's own inline scripts, no objects, no foreign base or fetch", async () => {
    const pages = await builtPages();
    expect(pages.length).toBeGreaterThan(7);
    for (const page of pages) {
      const html = await readFile(join(DIST, page), "utf8");
      const policy = readPolicy(html);
      expect(policy, `${page} has a policy`).toBeDefined();
      // Before any script or other element of the head, so it governs them all.
      expect(html.indexOf('http-equiv="Content-Security-Policy"'), page).toBeLessThan(html.indexOf("<script"));
      expect(html.match(/http-equiv="Content-Security-Policy"/g)?.length, page).toBe(1);
      const policyOf = directives(policy as string);
      const scripts = policyOf.get("script-src") ?? [];
      expect(scripts[0], page).toBe("'self'");
      expect(scripts, page).not.toContain("'unsafe-inline'");
      expect(scripts, page).not.toContain("'unsafe-eval'");
      // Exactly the hashes of the page's inline scripts.
      expect(new Set(scripts.filter((source) => source.startsWith("'sha256-"))), page).toEqual(new Set(inlineScripts(html).map(sha256Source)));
      expect(policyOf.get("object-src"), page).toEqual(["'none'"]);
      expect(policyOf.get("base-uri"), page).toEqual(["'self'"]);
      expect(policyOf.get("connect-src"), page).toEqual(["'self'"]);
      expect(policyOf.get("default-src"), page).toEqual(["'self'"]);
      // A meta policy cannot carry frame-ancestors (the server's header does).
      expect(policyOf.has("frame-ancestors"), page).toBe(false);
      // No dashboard page loads WebAssembly (they read gzip Arrow), so none may compile it.
      expect(scripts, page).not.toContain("'wasm-unsafe-eval'");
      expect(policyOf.get("worker-src"), page).toEqual(["'self'"]);
    }
  });
});

describe("in Chromium", () => {
  it("refuses and reports a script that vendor text put into the page at run time: an element and a handler", async () => {
    const { page, context, problems } = await site.openPage("/chats");
    try {
      await waitForCharts(page);
      await page.waitForLoadState("networkidle");
      expect(problems.cspViolations).toEqual([]);
      const outcome = await page.evaluate(async () => {
        const script = document.createElement("script");
        script.textContent = "window.__pwned = 'script'";
        document.body.append(script);
        const holder = document.createElement("div");
        // The simulator's own hostile string: an image that fails to load, with a handler.
        holder.innerHTML = `<img src="data:," onerror="window.__pwned = 'handler'">`;
        document.body.append(holder);
        await new Promise((done) => setTimeout(done, 500));
        return { pwned: (window as { __pwned?: string }).__pwned, imageTried: holder.querySelector("img")?.complete };
      });
      // Neither the script nor the image's handler ran. (eval is refused too, there being no
      // 'unsafe-eval', but code that Playwright evaluates is exempt, so it is not tried here.)
      expect(outcome).toEqual({ pwned: undefined, imageTried: true });
      await expect.poll(() => problems.cspViolations.length).toBeGreaterThanOrEqual(2);
      expect(problems.cspViolations.some((text) => text.startsWith("script-src-elem refused inline"))).toBe(true);
      expect(problems.cspViolations.some((text) => text.startsWith("script-src-attr refused inline"))).toBe(true);
    } finally {
      await context.close();
    }
  });

  it("is not framed: the server's header says frame-ancestors 'none'", async () => {
    const { page, context, problems } = await site.openPage("/data");
    try {
      const response = await page.request.get(`${site.url}/data`);
      expect(response.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
      await page.evaluate((url) => {
        const frame = document.createElement("iframe");
        frame.src = url;
        document.body.append(frame);
      }, `${site.url}/agents`);
      await expect.poll(() => problems.consoleErrors.some((text) => text.includes("frame-ancestors"))).toBe(true);
      const framed = page.frames().find((frame) => frame !== page.mainFrame());
      expect(await framed?.locator("#observablehq-main").count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
