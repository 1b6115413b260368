/**
 * Two nights in a row with the clock moved a day: the second sync reads only the
 * new day plus the trailing window, and the lake then equals the simulator's
 * ground truth as of the second night, late LivePerson arrivals (up to 2 h after a
 * chat ends, long chats included) and all.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../data-loaders/config.js";
import { openLakeDuckDB, quoteLiteral } from "../../data-loaders/lake/index.js";
import { parseSyncArgs } from "../../data-loaders/sync/cli-args.js";
import { runSync } from "../../data-loaders/sync/demo.js";
import { SyncProgress } from "../../data-loaders/sync/progress.js";
import { exportGroundTruth } from "../../simulator/index.js";

// Chosen from the simulator's arrivals (seed 5): chat demo-account20587000112 starts at
// 15:33:53 on 14 May, ends late and becomes visible only at 19:54:29, 4.3 h after its
// start. Night 1 at 19:00 cannot see it; night 2 finds it only if its trailing window
// reaches back past 15:33 (6 h does; 3 h would lose it for good).
const LATE_LONG_CHAT = "demo-account20587000112";
const NIGHT_1 = "2026-05-14T19:00:00.000Z";
const NIGHT_2 = "2026-05-15T19:00:00.000Z";
// Scale 2 so that the busiest hours put long chats and late arrivals across the trailing window.
const SIMULATION = { seed: 5, days: 10, scale: 2 };

let dir: string;
let lake: string;
let secondNight: Awaited<ReturnType<typeof runSync>>;
let firstNight: Awaited<ReturnType<typeof runSync>>;

/** Night 2's simulator keeps one more day of history, so both nights see the same first day. */
async function night(now: string, days: number) {
  const config = { ...loadConfig({ SI_LAKE_DIR: lake }), historyDays: days };
  return runSync(config, {
    args: parseSyncArgs(["--now", now, "--skip-models"]),
    progress: new SyncProgress(() => {}),
    demo: { ...SIMULATION, days },
    http: { delayScale: 0.001 },
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "si-next-night-"));
  lake = join(dir, "lake");
  firstNight = await night(NIGHT_1, SIMULATION.days);
  secondNight = await night(NIGHT_2, SIMULATION.days + 1);
  await exportGroundTruth({ ...SIMULATION, days: SIMULATION.days + 1, now: NIGHT_2 }, join(dir, "truth"));
}, 300_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the second night, one day later", () => {
  it("both nights succeed", () => {
    expect(firstNight.exitCode).toBe(0);
    expect(secondNight.exitCode).toBe(0);
  });

  it("reads far less than the first night: the new day and the trailing window", () => {
    const first = firstNight.progress.snapshot();
    const second = secondNight.progress.snapshot();
    const lpFirst = first.get("liveperson")?.records ?? 0;
    const lpSecond = second.get("liveperson")?.records ?? 0;
    // One day plus 6 trailing hours out of ten days.
    expect(lpSecond).toBeGreaterThan(0);
    expect(lpSecond / lpFirst).toBeLessThan(0.25);
    expect((second.get("agendize")?.records ?? 0) / (first.get("agendize")?.records ?? 1)).toBeLessThan(0.9);
  });

  it("then holds exactly the vendors' data as of the second night", async () => {
    const reader = await openLakeDuckDB(lake);
    const truth = (name: string) =>
      `read_json(${quoteLiteral(join(dir, "truth", name))}, format = 'newline_delimited', sample_size = -1, maximum_object_size = 100000000)`;
    try {
      const [lp] = await reader.queryRows(`WITH t AS (SELECT info.engagementId AS id FROM ${truth("liveperson-engagements.ndjson")})
        SELECT (SELECT count(*) FROM t) AS truth,
               (SELECT count(*) FROM t WHERE id NOT IN (SELECT engagement_id FROM liveperson.engagements)) AS missing,
               (SELECT count(*) FROM liveperson.engagements WHERE engagement_id NOT IN (SELECT id FROM t)) AS extra`);
      expect(Number(lp?.truth)).toBeGreaterThan(500);
      expect(await reader.queryRows(`SELECT engagement_id FROM liveperson.engagements WHERE engagement_id = '${LATE_LONG_CHAT}'`)).toHaveLength(1);
      expect(lp).toMatchObject({ missing: "0", extra: "0" });

      const [ag] = await reader.queryRows(`WITH t AS (SELECT CAST(id AS VARCHAR) AS id FROM ${truth("agendize-chats.ndjson")})
        SELECT (SELECT count(*) FROM t) AS truth,
               (SELECT count(*) FROM t WHERE id NOT IN (SELECT chat_id FROM agendize.chats)) AS missing,
               (SELECT count(*) FROM agendize.chats WHERE chat_id NOT IN (SELECT id FROM t)) AS extra`);
      expect(Number(ag?.truth)).toBeGreaterThan(100);
      expect(ag).toMatchObject({ missing: "0", extra: "0" });

      // Upscope ids drift between strings and numbers, so DuckDB reads them as JSON values.
      const [up] = await reader.queryRows(`WITH t AS (SELECT trim(CAST(id AS VARCHAR), '"') AS id FROM ${truth("upscope-sessions.ndjson")})
        SELECT (SELECT count(*) FROM t) AS truth,
               (SELECT count(*) FROM t WHERE id NOT IN (SELECT session_id FROM upscope.sessions)) AS missing,
               (SELECT count(*) FROM upscope.sessions WHERE session_id NOT IN (SELECT id FROM t)) AS extra`);
      expect(Number(up?.truth)).toBeGreaterThan(50);
      expect(up).toMatchObject({ missing: "0", extra: "0" });
    } finally {
      reader.close();
    }
  });
});
