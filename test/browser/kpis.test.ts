/**
 * The KPIs of the overview and co-browsing pages against the same figures
 * computed here, independently, with DuckDB over the marts of the lake the site
 * was built from: the default view (the last 28 complete UTC days before the
 * build) and the period before it. Counts, averages and shares must match
 * exactly; a duration median must be within 5% of the exact median (the pages
 * read medians from 5%-wide histogram bins, by design).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openMarts, readMartsManifestSync } from "../../data-loaders/site.js";
import type { OfflineDuckDB } from "../../data-loaders/lake/index.js";
import { openSite, waitForCharts, type Site } from "./harness.js";

let site: Site;
let marts: OfflineDuckDB;

/** The default range, derived from the build time on its own (not through the site's code). */
function defaultRanges(): { current: [string, string]; previous: [string, string] } {
  const builtAt = readMartsManifestSync()?.builtAt;
  if (!builtAt) throw new Error("no marts manifest: build the site first");
  const day = (offset: number) => new Date(Date.parse(`${builtAt.slice(0, 10)}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
  return { current: [day(-28), day(-1)], previous: [day(-56), day(-29)] };
}

interface Expected {
  id: string;
  sql: (from: string, to: string) => string;
  /** Relative tolerance; 0 means equal up to floating-point rounding. */
  tolerance: number;
}

const between = (column: string, from: string, to: string) => `${column} BETWEEN DATE '${from}' AND DATE '${to}'`;
const EXACT = 1e-9;

const OVERVIEW: Expected[] = [
  {
    id: "interactions",
    tolerance: EXACT,
    sql: (f, t) => `SELECT (SELECT count(*) FROM cobrowse_sessions WHERE ${between("session_date", f, t)})
      + (SELECT count(*) FROM engagements WHERE ${between("engagement_date", f, t)})
      + (SELECT count(*) FROM agendize_chats WHERE ${between("chat_date", f, t)}) AS v`,
  },
  { id: "cobrowse_sessions", tolerance: EXACT, sql: (f, t) => `SELECT count(*) AS v FROM cobrowse_sessions WHERE ${between("session_date", f, t)}` },
  { id: "liveperson_chats", tolerance: EXACT, sql: (f, t) => `SELECT count(*) AS v FROM engagements WHERE ${between("engagement_date", f, t)}` },
  { id: "agendize_chats", tolerance: EXACT, sql: (f, t) => `SELECT count(*) AS v FROM agendize_chats WHERE ${between("chat_date", f, t)}` },
  { id: "cobrowse_avg_length_seconds", tolerance: EXACT, sql: (f, t) => `SELECT avg(length_seconds) AS v FROM cobrowse_sessions WHERE ${between("session_date", f, t)}` },
  { id: "cobrowse_median_length_seconds", tolerance: 0.05, sql: (f, t) => `SELECT median(length_seconds) AS v FROM cobrowse_sessions WHERE ${between("session_date", f, t)}` },
  { id: "chat_median_mcs", tolerance: EXACT, sql: (f, t) => `SELECT median(chat_mcs) AS v FROM engagements WHERE ${between("engagement_date", f, t)}` },
  {
    id: "chat_csat",
    tolerance: EXACT,
    sql: (f, t) => `SELECT avg(CASE WHEN rating >= 4 THEN 1.0 ELSE 0.0 END) AS v FROM survey_answers
      WHERE rating IS NOT NULL AND ${between("engagement_date", f, t)}`,
  },
];

const sessionsIn = (f: string, t: string) => `FROM cobrowse_sessions WHERE ${between("session_date", f, t)}`;
const COBROWSING: Expected[] = [
  { id: "cobrowse_sessions", tolerance: EXACT, sql: (f, t) => `SELECT count(*) AS v ${sessionsIn(f, t)}` },
  { id: "cobrowse_live_share", tolerance: EXACT, sql: (f, t) => `SELECT count(*) FILTER (WHERE went_live) / count(*) AS v ${sessionsIn(f, t)}` },
  { id: "cobrowse_avg_length_seconds", tolerance: EXACT, sql: (f, t) => `SELECT avg(length_seconds) AS v ${sessionsIn(f, t)}` },
  { id: "cobrowse_median_length_seconds", tolerance: 0.05, sql: (f, t) => `SELECT median(length_seconds) AS v ${sessionsIn(f, t)}` },
  { id: "cobrowse_call_share", tolerance: EXACT, sql: (f, t) => `SELECT count(*) FILTER (WHERE call_length_seconds > 0) / count(*) AS v ${sessionsIn(f, t)}` },
  {
    id: "cobrowse_call_time_share",
    tolerance: EXACT,
    sql: (f, t) => `SELECT sum(call_length_seconds) FILTER (WHERE length_seconds IS NOT NULL) / sum(length_seconds) AS v ${sessionsIn(f, t)}`,
  },
  { id: "cobrowse_authorization_rate", tolerance: EXACT, sql: (f, t) => `SELECT count(*) FILTER (WHERE session_authorized) / count(session_authorized) AS v ${sessionsIn(f, t)}` },
  { id: "cobrowse_ready_recording_share", tolerance: EXACT, sql: (f, t) => `SELECT count(*) FILTER (WHERE video_status = 'ready') / count(*) AS v ${sessionsIn(f, t)}` },
  { id: "cobrowse_avg_quality_rating", tolerance: EXACT, sql: (f, t) => `SELECT avg(quality_rating) AS v ${sessionsIn(f, t)}` },
  { id: "cobrowse_avg_visitor_quality_rating", tolerance: EXACT, sql: (f, t) => `SELECT avg(visitor_quality_rating) AS v ${sessionsIn(f, t)}` },
  { id: "cobrowse_avg_visitor_rating", tolerance: EXACT, sql: (f, t) => `SELECT avg(visitor_rating) AS v ${sessionsIn(f, t)}` },
  { id: "cobrowse_multi_agent_share", tolerance: EXACT, sql: (f, t) => `SELECT count(*) FILTER (WHERE agent_count > 1) / count(*) AS v ${sessionsIn(f, t)}` },
];

/**
 * The share cards whose figure is cases out of cases, with the SQL of their part
 * (x) and whole (n): their verdict is recomputed here with the pooled
 * two-proportion z-test (|z| > 1.959964 is a change at the 95% level).
 */
const SHARES: Record<string, (from: string, to: string) => string> = {
  cobrowse_live_share: (f, t) => `SELECT count(*) FILTER (WHERE went_live) AS x, count(*) AS n ${sessionsIn(f, t)}`,
  cobrowse_call_share: (f, t) => `SELECT count(*) FILTER (WHERE call_length_seconds > 0) AS x, count(*) AS n ${sessionsIn(f, t)}`,
  cobrowse_authorization_rate: (f, t) => `SELECT count(*) FILTER (WHERE session_authorized) AS x, count(session_authorized) AS n ${sessionsIn(f, t)}`,
  cobrowse_ready_recording_share: (f, t) => `SELECT count(*) FILTER (WHERE video_status = 'ready') AS x, count(*) AS n ${sessionsIn(f, t)}`,
  cobrowse_multi_agent_share: (f, t) => `SELECT count(*) FILTER (WHERE agent_count > 1) AS x, count(*) AS n ${sessionsIn(f, t)}`,
  chat_csat: (f, t) => `SELECT count(*) FILTER (WHERE rating >= 4) AS x, count(*) AS n FROM survey_answers WHERE rating IS NOT NULL AND ${between("engagement_date", f, t)}`,
};

async function shareCounts(sql: string): Promise<{ x: number; n: number }> {
  const [row] = await marts.queryRows(sql);
  return { x: Number(row?.x ?? 0), n: Number(row?.n ?? 0) };
}

/** The pooled two-proportion z-test's verdict at 95%, written out here apart from the site's statistics module. */
function twoProportionVerdict(current: { x: number; n: number }, previous: { x: number; n: number }): string {
  if (current.n === 0 || previous.n === 0) return "insufficient-data";
  const pooled = (current.x + previous.x) / (current.n + previous.n);
  const difference = current.x / current.n - previous.x / previous.n;
  const variance = pooled * (1 - pooled) * (1 / current.n + 1 / previous.n);
  if (variance === 0) return difference === 0 ? "within-noise" : difference > 0 ? "up" : "down";
  const z = difference / Math.sqrt(variance);
  return Math.abs(z) > 1.959964 ? (z > 0 ? "up" : "down") : "within-noise";
}

async function expectedValue(sql: string): Promise<number> {
  const [row] = await marts.queryRows(sql);
  const value = row?.v;
  return value === null || value === undefined ? Number.NaN : Number(value);
}

function expectClose(id: string, shown: string | null, expected: number, tolerance: number): void {
  if (Number.isNaN(expected)) {
    expect(shown, `${id}: no value expected`).toBe("");
    return;
  }
  expect(shown, `${id}: the page shows no value`).not.toBe("");
  const value = Number(shown);
  const allowed = Math.max(Math.abs(expected) * tolerance, 1e-9);
  expect(Math.abs(value - expected), `${id}: page ${value}, DuckDB ${expected}`).toBeLessThanOrEqual(allowed);
}

beforeAll(async () => {
  [site, marts] = await Promise.all([openSite(), openMarts()]);
});

afterAll(async () => {
  marts?.close();
  await site?.close();
});

// A preset with no filter reads files summed per preset span; the same days as custom
// dates read the day-level files: both must give the figures DuckDB gives.
const VIEWS = [
  { label: "the default preset", query: () => "" },
  { label: "the same days as custom dates (day-level data)", query: () => `?from=${defaultRanges().current[0]}&to=${defaultRanges().current[1]}` },
] as const;

for (const [path, expectations] of [
  ["/", OVERVIEW],
  ["/cobrowsing", COBROWSING],
] as const) {
  describe(`${path} KPIs match DuckDB over the lake`, () => {
    it.each(VIEWS)(`every KPI on ${path}, this period and the previous one: $label`, async ({ query }) => {
      const { current, previous } = defaultRanges();
      const { page, context } = await site.openPage(`${path}${query()}`);
      try {
        await waitForCharts(page);
        const cards = await page.$$eval("[data-metric]", (elements) =>
          elements.map((el) => {
            const line = el.querySelector(".si-kpi-change");
            const arrow = line ? getComputedStyle(line, "::before").content : "";
            return {
              id: el.getAttribute("data-metric"),
              value: el.getAttribute("data-value"),
              previous: el.getAttribute("data-previous"),
              n: el.getAttribute("data-n"),
              verdict: el.getAttribute("data-verdict"),
              lower: el.getAttribute("data-interval-lower"),
              upper: el.getAttribute("data-interval-upper"),
              arrow,
              text: line?.textContent ?? "",
            };
          }),
        );
        // Every KPI on the page is checked, and every check has its KPI.
        expect(cards.map((card) => card.id).sort()).toEqual(expectations.map((e) => e.id).sort());
        for (const expectation of expectations) {
          const card = cards.find((c) => c.id === expectation.id);
          expectClose(expectation.id, card?.value ?? null, await expectedValue(expectation.sql(...current)), expectation.tolerance);
          expectClose(`${expectation.id} (previous period)`, card?.previous ?? null, await expectedValue(expectation.sql(...previous)), expectation.tolerance);
        }
        // Every card has a verdict; an arrow exactly when it is up or down, the words otherwise.
        for (const card of cards) {
          expect(["up", "down", "within-noise", "insufficient-data"], `${card.id}: verdict`).toContain(card.verdict);
          const hasArrow = /[▲▼]/.test(card.arrow);
          expect(hasArrow, `${card.id}: arrow for verdict ${card.verdict} (${card.arrow})`).toBe(card.verdict === "up" || card.verdict === "down");
          if (card.verdict === "up") expect(card.arrow).toContain("▲");
          if (card.verdict === "down") expect(card.arrow).toContain("▼");
          if (card.verdict === "within-noise") expect(card.text).toContain("within normal variation");
          // The relative change number stays visible whatever the verdict.
          if (card.value !== "" && card.previous !== "") expect(card.text, `${card.id}: change text`).toMatch(/[+−±]\d/);
          // The interval holds the figure.
          if (card.lower !== null && card.value !== "") {
            expect(Number(card.lower), `${card.id}: interval lower`).toBeLessThanOrEqual(Number(card.value) + 1e-9);
            expect(Number(card.upper), `${card.id}: interval upper`).toBeGreaterThanOrEqual(Number(card.value) - 1e-9);
          }
        }
        // Each share card's verdict is the two-proportion z-test's over the marts' counts.
        for (const [id, sql] of Object.entries(SHARES)) {
          const card = cards.find((c) => c.id === id);
          if (!card) continue;
          const [now, before] = [await shareCounts(sql(...current)), await shareCounts(sql(...previous))];
          expect(Number(card.n), `${id}: n`).toBe(now.n);
          expect(card.verdict, `${id}: ${now.x}/${now.n} against ${before.x}/${before.n}`).toBe(twoProportionVerdict(now, before));
        }
        // The footnotes explain the rule once.
        expect(await page.locator('[data-testid="change-rule"]').count()).toBe(1);
        // The figures are not trivially zero: the demo lake has sessions in the default range.
        expect(Number(cards.find((c) => c.id === "cobrowse_sessions")?.value)).toBeGreaterThan(0);
      } finally {
        await context.close();
      }
    });
  });
}
