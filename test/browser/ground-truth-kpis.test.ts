/**
 * Every KPI card of the overview, co-browsing, chats and chat-history pages of the
 * built demo site against the same figure computed from the simulator's ground
 * truth (its export for the demo's seed, size and clock), never from the lake, the
 * marts or the loaders: see ground-truth.ts. `data-value`, `data-n` and
 * `data-previous` must match, exactly, except a duration median, which the pages
 * read from histogram bins 5% wide: within 5% of (the exact median + 1 s).
 *
 * Views: the default preset (28 days, read from per-span files), the 7-day preset,
 * and the 28 days as custom dates (read from the day-level files), each with the
 * period before it.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../data-loaders/config.js";
import { exportGroundTruth } from "../../simulator/index.js";
import { allowedError, expectedKpis, readGroundTruth, type DayRange, type ExpectedKpi } from "./ground-truth.js";
import { openSite, waitForCharts, type Site } from "./harness.js";

let site: Site;
let truthDir: string;
let kpis: Record<string, ExpectedKpi[]>;
let anchor: string;

const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const lastDays = (days: number): { current: DayRange; previous: DayRange } => ({
  current: { from: addDays(anchor, -(days - 1)), to: anchor },
  previous: { from: addDays(anchor, -(2 * days - 1)), to: addDays(anchor, -days) },
});

beforeAll(async () => {
  // The build's clock, as the site states it; the demo's settings, as the sync reads them.
  const dataDir = join(process.cwd(), "dist", "_file", "data");
  const metaFile = (await readdir(dataDir)).find((name) => /^site-meta\.[0-9a-f]+\.json$/.test(name));
  if (!metaFile) throw new Error("no site-meta file under dist/: run `npm run build` first");
  const meta = JSON.parse(await readFile(join(dataDir, metaFile), "utf8")) as { builtAt: string; demo: boolean };
  expect(meta.demo, "the ground-truth check needs the demo build").toBe(true);
  const builtAt = new Date(meta.builtAt);
  // The last complete UTC day before the build: where the presets end.
  anchor = addDays(meta.builtAt.slice(0, 10), -1);
  const config = loadConfig({ ...process.env });
  const { seed, days, scale, shift } = config.demoSimulator;
  truthDir = await mkdtemp(join(tmpdir(), "si-ground-truth-"));
  await exportGroundTruth({ seed, days, scale, now: builtAt, ...(shift ? { shift } : {}) }, truthDir);
  kpis = expectedKpis(await readGroundTruth(truthDir, builtAt, config.historyDays));
  site = await openSite();
}, 180_000);

afterAll(async () => {
  await site?.close();
  if (truthDir) await rm(truthDir, { recursive: true, force: true });
});

const VIEWS = [
  { label: "the default preset (28 days)", days: 28, query: () => "" },
  { label: "the 7-day preset", days: 7, query: () => "?days=7" },
  { label: "the same 28 days as custom dates (day-level files)", days: 28, query: () => `?from=${lastDays(28).current.from}&to=${lastDays(28).current.to}` },
] as const;

function expectMatch(where: string, shown: string | null | undefined, expected: number | null, tolerance: ExpectedKpi["tolerance"]): void {
  if (expected === null) {
    expect(shown ?? "", `${where}: no value expected`).toBe("");
    return;
  }
  expect(shown ?? "", `${where}: the page shows no value, the ground truth ${expected}`).not.toBe("");
  const value = Number(shown);
  expect(Math.abs(value - expected), `${where}: page ${value}, ground truth ${expected}`).toBeLessThanOrEqual(allowedError(expected, tolerance));
}

/** Wilson's score interval at 95% (Brown, Cai & DasGupta 2001), written out here apart from the site's own. */
function wilson(successes: number, n: number): [number, number] {
  const z = 1.959963984540054;
  const p = successes / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
let sharesChecked = 0;
afterAll(() => {
  // The interval check is not vacuous: the pages show share cards.
  expect(sharesChecked).toBeGreaterThan(0);
});

for (const path of ["/", "/cobrowsing", "/chats", "/chat-history"]) {
  describe(`${path} KPIs equal the simulator's ground truth`, () => {
    it.each(VIEWS)(`every KPI card on ${path}, value, cases and previous period: $label`, async ({ days, query }) => {
      const expectations = kpis[path] ?? [];
      const { current, previous } = lastDays(days);
      const { page, context } = await site.openPage(`${path}${query()}`);
      try {
        await waitForCharts(page);
        const cards = await page.$$eval("[data-metric]", (elements) =>
          elements.map((el) => ({
            id: el.getAttribute("data-metric"),
            value: el.getAttribute("data-value"),
            n: el.getAttribute("data-n"),
            previous: el.getAttribute("data-previous"),
            lower: el.getAttribute("data-interval-lower"),
            upper: el.getAttribute("data-interval-upper"),
          })),
        );
        // Every card is checked (a KPI shown in two sections, twice), and every check has its card.
        expect([...new Set(cards.map((card) => card.id))].sort()).toEqual(expectations.map((kpi) => kpi.id).sort());
        for (const card of cards) {
          const kpi = expectations.find((e) => e.id === card.id);
          if (!kpi) throw new Error(`no ground truth for the card ${card.id}`);
          const now = kpi.compute(current);
          const before = kpi.compute(previous);
          expectMatch(`${kpi.id} ${current.from}..${current.to}`, card?.value, now.value, kpi.tolerance);
          expect(Number(card?.n), `${kpi.id}: cases`).toBeCloseTo(now.n, 6);
          expectMatch(`${kpi.id} previous ${previous.from}..${previous.to}`, card?.previous, before.value, kpi.tolerance);
          // A share's 95% interval is Wilson's over the ground truth's own count and cases
          // (a share of seconds, cobrowse_call_time_share, has no binomial interval and shows none).
          if (kpi.tolerance === "exact" && /(_share|_rate|csat)$/.test(kpi.id) && kpi.id !== "cobrowse_call_time_share" && now.value !== null && now.n > 0) {
            const [lower, upper] = wilson(now.value * now.n, now.n);
            expect(Number(card.lower), `${kpi.id}: interval from`).toBeCloseTo(lower, 9);
            expect(Number(card.upper), `${kpi.id}: interval to`).toBeCloseTo(upper, 9);
            sharesChecked++;
          }
        }
        // Not trivially empty: the demo has data in every range checked here.
        expect(Number(cards[0]?.value)).toBeGreaterThan(0);
      } finally {
        await context.close();
      }
    });
  });
}
