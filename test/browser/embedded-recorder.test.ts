/**
 * The embedded session recorder in Chromium, end to end: an agent console page (one
 * origin) embeds the co-browsing iframe (another origin) and a foreign frame; both
 * frames post seed-002 events, and so does the page itself. The recorder (the bundle
 * embedded/build.ts makes) must deliver every valid event from the iframe to the
 * reference collector exactly once, cut to the allowed fields, report the invalid ones,
 * ignore everything else, and lose nothing across a reload and a collector outage.
 *
 * Then the embedded sessions page of the built site (SI_BUILD_OUTPUT or dist/, built
 * from a lake with the demo's embedded events) renders from demo data.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type Frame, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readMartsManifestSync } from "../../data-loaders/site.js";
import { buildRecorder } from "../../embedded/build.js";
import { startCollector, type RunningCollector } from "../../embedded/collector/server.js";
import { filterEvent, resolveFieldSettings } from "../../embedded/fields.js";
import { EmbeddedEvent } from "../../embedded/schemas.js";
import { documentedConnection, documentedState } from "../embedded/fixtures.js";
import { CHROMIUM_PATH, layoutShift, openSite, readKpis, screenshot, waitForCharts, waitForKpiChange } from "./harness.js";

const TOKEN = "browser-test-token-0123";
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const FIELDS = { customMessageKeys: ["n"] };
const RESOLVED_FIELDS = resolveFieldSettings(FIELDS);

let work: string;
let collectorDir: string;
let recorderJs: string;
let collector: RunningCollector | undefined;
let collectorPort = 0;
let consoleServer: Server;
let frameServer: Server;
let consoleOrigin: string;
let frameOrigin: string;
let browser: Browser;

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
};

async function startTheCollector(): Promise<void> {
  collector = await startCollector({ outputDir: collectorDir, tokens: [TOKEN], port: collectorPort });
  collectorPort = collector.port;
}

/** The agent console: the co-browsing iframe and a foreign frame, both from another origin, and the recorder. */
function consoleHtml(): string {
  const options = {
    collectorUrl: `http://127.0.0.1:${collectorPort}/events`,
    token: TOKEN,
    context: { sessionId: "ses_browser", agentId: "ea_test" },
    fields: FIELDS,
    batch: { delayMs: 150 },
    retry: { initialDelayMs: 100, maxDelayMs: 300 },
    buffer: { adoptEveryMs: 300 },
  };
  return `<!doctype html><html><head><meta charset="utf-8"><title>Agent console</title></head><body>
<iframe id="upscope" src="${frameOrigin}/iframe.html"></iframe>
<iframe id="foreign" src="${frameOrigin}/foreign.html"></iframe>
<script type="module">
  import * as lib from "/recorder.js";
  window.lib = lib;
  window.problems = [];
  window.invalidSeen = 0;
  const options = ${JSON.stringify(options)};
  window.rec = lib.recordEmbeddedSession(document.getElementById("upscope"), {
    ...options,
    onError: (problem) => window.problems.push(problem),
    onInvalid: () => (window.invalidSeen += 1),
  });
  window.rec.ready.then(() => (window.recorderReady = true));
</script></body></html>`;
}

/** A frame that posts what it is given to its parent (strings "date:…" become Dates, as structured clone carries them). */
const FRAME_HTML = `<!doctype html><html><body><script>
  window.received = [];
  window.addEventListener("message", (event) => { if (event.source === parent) window.received.push(event.data); });
  const revive = (value) => typeof value === "string" && value.startsWith("date:") ? new Date(value.slice(5))
    : Array.isArray(value) ? value.map(revive)
    : value && typeof value === "object" ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v)]))
    : value;
  window.post = (events) => { for (const event of events) parent.postMessage(revive(event), "*"); return events.length; };
</script></body></html>`;

const reviveDates = (value: unknown): unknown =>
  typeof value === "string" && value.startsWith("date:")
    ? new Date(value.slice(5))
    : Array.isArray(value)
      ? value.map(reviveDates)
      : value !== null && typeof value === "object"
        ? Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, reviveDates(inner)]))
        : value;

function canonical(value: unknown): string {
  const sort = (inner: unknown): unknown =>
    Array.isArray(inner)
      ? inner.map(sort)
      : inner !== null && typeof inner === "object"
        ? Object.fromEntries(Object.keys(inner).sort().map((key) => [key, sort((inner as Record<string, unknown>)[key])]))
        : inner;
  return JSON.stringify(sort(value));
}

let marker = 1000;
/** A mix of valid events, each telling itself apart (a unique latency or message number). */
function validEvents(count: number): Record<string, unknown>[] {
  const codes = ["remote_control:click_not_allowed", "connection:data", "remote_control:scroll_not_allowed"];
  return Array.from({ length: count }, (_, index) => {
    marker += 1;
    if (index % 5 === 3) return { type: "customMessage", message: { n: marker, secret: "typed by the visitor" } };
    if (index % 5 === 4) return { type: "error", error: codes[marker % codes.length] };
    return {
      type: "upscope.sessionState.update",
      state: documentedState({
        dataBounceSpeed: marker,
        // One connection whose times arrive as Dates (structured clone), one as ISO text.
        connections: [documentedConnection("conn-1", { lastFocusAt: "date:2026-05-01T10:01:00.000Z", activeSince: "date:2026-05-01T09:00:00.000Z" }), documentedConnection("conn-2")],
      }),
    };
  });
}

/** What the collector must hold for these events: the event after the recorder's field setting. */
const expectedOf = (events: readonly Record<string, unknown>[]) => events.map((event) => canonical(filterEvent(EmbeddedEvent.parse(reviveDates(event)), RESOLVED_FIELDS)));

/** Messages the recorder cannot use: sent as `invalid` reports. */
const INVALID = [
  { type: "upscope.sessionState.update", state: { ...documentedState(), dataBounceSpeed: "fast" } },
  "not an event at all",
];

/** Messages that only drifted from the documented shapes (a new mode, a new error code): recorded as events, their drift sent along. */
const DRIFTED = [
  { type: "upscope.sessionState.update", state: documentedState({ mode: "picture_in_picture" }) },
  { type: "error", error: "connection:timeout" },
];

async function stored(): Promise<Array<Record<string, unknown>>> {
  const lines: Array<Record<string, unknown>> = [];
  for (const name of (await readdir(collectorDir)).sort()) {
    for (const line of (await readFile(join(collectorDir, name), "utf8")).split("\n")) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
  }
  return lines;
}

async function waitFor<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface RecorderStats {
  received: number;
  ignored: number;
  invalid: number;
  drifted: number;
  acknowledged: number;
  pending: number;
  adopted: number;
}

const statsOf = (page: Page) => page.evaluate(() => (window as unknown as { rec: { stats(): RecorderStats } }).rec.stats());
const frameOf = async (page: Page, name: string): Promise<Frame> => {
  const frame = await waitFor(`frame ${name}`, async () => page.frames().find((candidate) => candidate.url().endsWith(`/${name}`)), (found) => found !== undefined);
  if (!frame) throw new Error(`no frame ${name}`);
  await frame.waitForFunction(() => typeof (window as unknown as { post?: unknown }).post === "function");
  return frame;
};
const post = (frame: Frame, events: readonly unknown[]) => frame.evaluate((list) => (window as unknown as { post(events: unknown[]): number }).post(list), [...events]);

async function openConsole(page: Page): Promise<{ upscope: Frame; foreign: Frame }> {
  await page.waitForFunction(() => (window as unknown as { recorderReady?: boolean }).recorderReady === true);
  return { upscope: await frameOf(page, "iframe.html"), foreign: await frameOf(page, "foreign.html") };
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "si-embedded-browser-"));
  collectorDir = join(work, "collector");
  recorderJs = (await buildRecorder(join(work, "recorder.js"))).path;
  await startTheCollector();
  const recorderSource = await readFile(recorderJs, "utf8");
  consoleServer = createServer((request, response) => {
    if (request.url === "/recorder.js") {
      response.writeHead(200, { "content-type": "text/javascript; charset=utf-8" }).end(recorderSource);
    } else if (request.url === "/" || request.url === "/console.html") {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(consoleHtml());
    } else response.writeHead(404).end();
  });
  frameServer = createServer((request, response) => {
    if (request.url === "/iframe.html" || request.url === "/foreign.html") response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(FRAME_HTML);
    else response.writeHead(404).end();
  });
  consoleOrigin = `http://127.0.0.1:${await listen(consoleServer)}`;
  // "localhost" and "127.0.0.1" are different origins: the frames are cross-origin, as the vendor's iframe is.
  frameOrigin = `http://localhost:${await listen(frameServer)}`;
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await collector?.close();
  await new Promise((resolve) => consoleServer?.close(resolve));
  await new Promise((resolve) => frameServer?.close(resolve));
  await rm(work, { recursive: true, force: true });
});

describe("the embedded session recorder in Chromium", () => {
  it("delivers every valid iframe event exactly once, across a reload and a collector outage, and ignores other frames", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(`${consoleOrigin}/console.html`);
      let { upscope, foreign } = await openConsole(page);
      const expected: string[] = [];
      let received = 0;

      // 1. Collector up: the iframe's events go through; the foreign frame's and the page's own do not count.
      const first = validEvents(15);
      expected.push(...expectedOf(first), ...expectedOf(DRIFTED));
      received += await post(upscope, [...first, ...DRIFTED, ...INVALID]);
      await post(foreign, [
        { type: "upscope.sessionState.update", state: documentedState({ dataBounceSpeed: 9001 }) },
        { type: "customMessage", message: { n: 9002 } },
        { type: "error", error: "connection:data" },
      ]);
      await page.evaluate((event) => window.postMessage(event, "*"), { type: "upscope.sessionState.update", state: documentedState({ dataBounceSpeed: 9003 }) });
      await waitFor("the first events at the collector", stored, (lines) => lines.length >= first.length + DRIFTED.length + INVALID.length);
      const stats = await waitFor("the recorder to settle", () => statsOf(page), (value) => value.pending === 0 && value.received === received);
      expect(stats.ignored).toBe(4);
      expect(stats.invalid).toBe(INVALID.length);
      expect(stats.drifted).toBe(DRIFTED.length);
      expect(await page.evaluate(() => (window as unknown as { invalidSeen: number }).invalidSeen)).toBe(INVALID.length);

      // 2. A reload right after events arrived, before their batch was due: the beacon, the next page's adoption, or both.
      const second = validEvents(8);
      expected.push(...expectedOf(second));
      received += await post(upscope, second);
      await waitFor("the recorder to record the second events", () => statsOf(page), (value) => value.received === received);
      await page.reload();
      ({ upscope, foreign } = await openConsole(page));
      await waitFor("the second events at the collector", stored, (lines) => lines.length >= expected.length + INVALID.length);

      // 3. The collector goes down; events recorded, the page reloaded during the outage, more events, then it comes back.
      await collector?.close();
      collector = undefined;
      const during = validEvents(10);
      expected.push(...expectedOf(during));
      let pageReceived = await post(upscope, during);
      await waitFor("the recorder to record during the outage", () => statsOf(page), (value) => value.received === pageReceived && value.pending >= during.length);
      await page.reload();
      ({ upscope, foreign } = await openConsole(page));
      const afterReload = validEvents(7);
      expected.push(...expectedOf(afterReload));
      pageReceived = await post(upscope, afterReload);
      const buffered = await waitFor(
        "the new page to hold the old page's events",
        () => page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith("si-embedded/v1/") && key.includes("/e/")).length),
        (count) => count >= during.length + afterReload.length,
      );
      expect(buffered).toBe(during.length + afterReload.length);
      expect((await stored()).length).toBe(first.length + DRIFTED.length + INVALID.length + second.length); // nothing got through meanwhile
      await startTheCollector();
      await waitFor("every event at the collector", stored, (lines) => lines.length >= expected.length + INVALID.length);
      const final = await waitFor("the recorder to empty its buffer", () => statsOf(page), (value) => value.pending === 0);
      expect(final.adopted).toBeGreaterThanOrEqual(during.length);
      expect(await page.evaluate(() => Object.keys(localStorage).filter((key) => key.includes("/e/")).length)).toBe(0);

      // Exactly once: each id once, each valid iframe event once (cut to the allowed fields), nothing else.
      const lines = await stored();
      const ids = lines.map((line) => String(line.id));
      expect(new Set(ids).size).toBe(ids.length);
      const events = lines.filter((line) => line.event !== undefined);
      expect(events.map((line) => canonical(line.event)).sort()).toEqual([...expected].sort());
      const reports = lines.filter((line) => line.invalid !== undefined).map((line) => line.invalid as { type: string | null; issues: Array<{ path: string }> });
      expect(reports.map((report) => [report.type, report.issues[0]?.path])).toEqual([
        ["upscope.sessionState.update", "state.dataBounceSpeed"],
        [null, "(event)"],
      ]);
      // Drift is recorded, not reported as invalid: the new values are kept as they came, their drift travels along.
      const drifted = lines.filter((line) => line.drift !== undefined).map((line) => line.drift);
      expect(drifted).toEqual([
        [{ path: "state.mode", kind: "unknown_enum_value", example: "picture_in_picture" }],
        [{ path: "error", kind: "unknown_enum_value", example: "connection:timeout" }],
      ]);
      const text = JSON.stringify(lines);
      // The foreign frames' markers, looked for where they would be (random ids may hold the digits).
      const bodies = JSON.stringify(lines.map((line) => line.event ?? null));
      for (const foreignMarker of ['"dataBounceSpeed":9001', '"n":9002', '"dataBounceSpeed":9003']) expect(bodies).not.toContain(foreignMarker);
      expect(bodies).toContain('"dataBounceSpeed":1001'); // the search above would find a marker that got through
      for (const secret of ["zelda", "198.51.100.23", "typed by the visitor", "checkout"]) expect(text).not.toContain(secret);
      expect(lines.every((line) => (line.context as { sessionId?: string } | undefined)?.sessionId === "ses_browser")).toBe(true);
      expect(new Set(lines.map((line) => line.embedId)).size).toBe(3); // three page loads, three recorders
      expect(await page.evaluate(() => (window as unknown as { problems: unknown[] }).problems)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);

  it("sends the documented instructions to the iframe only", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(`${consoleOrigin}/console.html`);
      const { upscope, foreign } = await openConsole(page);
      const thrown = await page.evaluate(() => {
        const { lib } = window as unknown as { lib: Record<string, (...args: unknown[]) => void> };
        const iframe = document.getElementById("upscope");
        lib.setActiveConnection?.(iframe, "conn-2");
        lib.setMode?.(iframe, "pointer");
        lib.toggleAudio?.(iframe, true);
        lib.endSession?.(iframe);
        try {
          lib.setMode?.(iframe, "laser");
          return null;
        } catch (error) {
          return String(error);
        }
      });
      expect(thrown).toMatch(/laser|Invalid/);
      const got = await waitFor("the instructions in the iframe", () => upscope.evaluate(() => (window as unknown as { received: unknown[] }).received), (list) => list.length >= 4);
      expect(got).toEqual([
        { action: "setActiveConnection", connectionId: "conn-2" },
        { action: "setMode", mode: "pointer" },
        { action: "toggleAudio", on: true },
        { action: "endSession" },
      ]);
      expect(await foreign.evaluate(() => (window as unknown as { received: unknown[] }).received)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});

describe("the embedded sessions page", () => {
  const distRoot = process.env.SI_BUILD_OUTPUT ?? join(process.cwd(), "dist");

  for (const colorScheme of ["light", "dark"] as const) {
    it(`renders from demo data (${colorScheme}): charts, KPIs, no error, no off-host request${colorScheme === "light" ? ", KPIs follow the date range" : ""}`, async () => {
      const site = await openSite(distRoot);
      try {
        const { page, problems } = await site.openPage("/embedded-sessions", { colorScheme });
        const charts = await waitForCharts(page);
        await page.waitForLoadState("networkidle");
        await screenshot(page, `/embedded-sessions-${colorScheme}`);
        expect(charts).toBeGreaterThanOrEqual(10);
        expect(await page.locator('[data-testid="demo-banner"]').count()).toBe(readMartsManifestSync()?.demo ? 1 : 0);
        expect(problems.offHostRequests).toEqual([]);
        expect(problems.failedRequests).toEqual([]);
        expect(problems.pageErrors).toEqual([]);
        expect(problems.consoleErrors).toEqual([]);
        expect(await page.locator(".observablehq--error").count(), "a cell failed").toBe(0);
        expect(await layoutShift(page)).toBeLessThan(0.1);
        const kpis = await readKpis(page);
        expect(Object.keys(kpis)).toHaveLength(12);
        expect(kpis.embedded_sessions).toBeGreaterThan(0);
        expect(kpis.embedded_median_bounce_ms).toBeGreaterThan(0);
        expect(kpis.embedded_slow_sample_share).toBeGreaterThan(0);
        expect(kpis.embedded_multi_tab_share).toBeGreaterThan(0);
        expect(kpis.embedded_errors).toBeGreaterThan(0);
        // No visitor personal data on the page.
        const html = await page.content();
        expect(html).not.toMatch(/@example\.(com|org|net)|ipAddress|shortId/);
        if (colorScheme === "dark") return;
        await page.locator('[data-testid="date-range"] [data-preset="7"]').click();
        await waitForKpiChange(page, kpis);
        expect(new URL(page.url()).searchParams.get("days")).toBe("7");
        await waitForCharts(page);
        expect(problems.pageErrors).toEqual([]);
        expect(problems.consoleErrors).toEqual([]);
      } finally {
        await site.close();
      }
    }, 90_000);
  }
});
