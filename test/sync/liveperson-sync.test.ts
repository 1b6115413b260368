import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportGroundTruth } from "../../simulator/index.js";
import { loadConfig } from "../../data-loaders/config.js";
import { openLakeDuckDB } from "../../data-loaders/lake/index.js";
import { parseSyncArgs } from "../../data-loaders/sync/cli-args.js";
import { runSync } from "../../data-loaders/sync/demo.js";
import { SyncProgress } from "../../data-loaders/sync/progress.js";
import { formatPath } from "../../data-loaders/sync/validate.js";
import { InteractionHistoryRecord } from "../../data-loaders/liveperson/schemas.js";
import { expectDriftKept, HIGH_DRIFT_RATE, ledgerKinds, ledgerRows } from "./drift-expectations.js";

const NOW = "2026-06-01T00:00:00.000Z";
/** With a high drift rate: many engagements come off the docs and must all be kept. */
const SIMULATION = { seed: 7, days: 12, scale: 1, drift: { rate: HIGH_DRIFT_RATE } };
const ALL_FAULTS = {
  latency: 0.05,
  rateLimit: 0.05,
  rateLimitWithoutRetryAfter: 0.05,
  serverError: 0.05,
  connectionReset: 0.05,
  truncatedBody: 0.05,
  slowBody: 0.02,
  partialResult: 0.1,
  invalidRecord: 0.01,
};

let dir: string;
let truthDir: string;

async function sync(lakeDir: string, argv: string[], now = NOW) {
  const config = { ...loadConfig({ SI_LAKE_DIR: lakeDir }), historyDays: SIMULATION.days };
  return runSync(config, {
    args: parseSyncArgs(["--source", "liveperson", "--now", now, ...argv]),
    progress: new SyncProgress(() => {}),
    demo: { ...SIMULATION, faults: ALL_FAULTS },
    http: { delayScale: 0.001 },
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "si-sync-lp-"));
  truthDir = join(dir, "truth");
  // The demo wiring applies the demo settings' metric shift (SI_DEMO_SHIFT); the truth is exported with the same.
  await exportGroundTruth({ ...SIMULATION, now: NOW, faults: ALL_FAULTS, ...(loadConfig({}).demoSimulator.shift ? { shift: loadConfig({}).demoSimulator.shift! } : {}) }, truthDir);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("LivePerson sync against the simulator with every fault on", () => {
  it("equals the ground truth: nothing lost, nothing duplicated, invalid records quarantined", async () => {
    const lake = join(dir, "lake-full");
    const result = await sync(lake, []);
    expect(result.results.liveperson).not.toHaveProperty("error");
    const reader = await openLakeDuckDB(lake);
    try {
      await reader.connection.run(
        // Lines: a null among them (drift) is left out, so only the others count.
        `CREATE TABLE truth AS SELECT info.engagementId AS id, info.startTimeL AS start_l, len(list_filter(transcript.lines, line -> line IS NOT NULL)) AS lines FROM read_json('${join(truthDir, "liveperson-engagements.ndjson")}', format='newline_delimited', sample_size=-1, maximum_object_size=100000000)`,
      );
      const [counts] = await reader.queryRows(`SELECT
          (SELECT count(*) FROM truth) AS truth,
          (SELECT count(*) FROM liveperson.engagements) AS lake,
          (SELECT count(*) FROM truth WHERE id NOT IN (SELECT engagement_id FROM liveperson.engagements)) AS missing,
          (SELECT count(*) FROM liveperson.engagements WHERE engagement_id NOT IN (SELECT id FROM truth)) AS extra,
          (SELECT count(*) FROM truth t JOIN liveperson.engagements e ON e.engagement_id = t.id
             WHERE epoch_ms(e.start_time) <> t.start_l OR json_array_length(e.record_json::JSON -> '$.transcript.lines') <> t.lines) AS differing`);
      expect(Number(counts?.truth)).toBeGreaterThan(100);
      expect(counts).toMatchObject({ missing: "0", extra: "0", differing: "0" });
      expect(String(counts?.lake)).toBe(String(counts?.truth));
      // Every deliberately broken record is in quarantine, under its own id, with a field path.
      const invalid = (await readFile(join(truthDir, "liveperson-engagements-invalid.ndjson"), "utf-8"))
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { id: string; path: (string | number)[] })
        .map((entry) => `engagements:${entry.id} ${formatPath(entry.path)}`)
        .sort();
      const quarantined = (await reader.queryRows("SELECT DISTINCT record_id AS id, field_path AS path FROM main.quarantine ORDER BY 1"))
        .map((r) => `${r.id} ${r.path}`);
      expect(invalid.length).toBeGreaterThan(0);
      expect(quarantined).toEqual(invalid);

      // Every record as the schema keeps it from the ground truth: drifted values preserved (new
      // categories as their text, numeric text as numbers, numeric lineSeqs as text, nulls left out).
      const truth = (await readFile(join(truthDir, "liveperson-engagements.ndjson"), "utf-8")).split("\n").filter(Boolean);
      const stored = new Map(
        (await reader.queryRows("SELECT engagement_id, record_json FROM liveperson.engagements")).map((row) => [String(row.engagement_id), String(row.record_json)]),
      );
      const differing = truth.filter((line) => {
        const record = InteractionHistoryRecord.parse(JSON.parse(line));
        return stored.get(record.info.engagementId) !== JSON.stringify(record);
      });
      expect(differing.length).toBe(0);
      const [bots] = await reader.queryRows(
        "SELECT count(*) AS n FROM liveperson.engagements WHERE list_contains(json_extract_string(record_json, '$.transcript.lines[*].source'), 'bot')",
      );
      expect(Number(bots?.n)).toBeGreaterThan(0);
    } finally {
      reader.close();
    }

    // Drift on: every drifted engagement kept and in the ledger, the night not failed.
    const { ledger, lines } = await expectDriftKept(lake, truthDir, "liveperson", { engagements: "engagement_id" });
    expect(lines.length).toBeGreaterThan(100);
    expect(ledgerKinds(ledger)).toEqual(["null_in_array", "number_as_string", "number_for_string", "unknown_enum_value", "unknown_field"]);
    // The documented data carries no drift: the ledger holds the drifted records and nothing else.
    const drifted = new Set(lines.filter((line) => line.kind !== "missing_optional").map((line) => line.id));
    expect(new Set(ledger.map((row) => row.record_id))).toEqual(drifted);
    expect(result.exitCode).toBe(0);
  }, 240_000);

  it("a second sync with nothing new reads only the trailing window and changes no row", async () => {
    const lake = join(dir, "lake-again");
    await sync(lake, []);
    const ledger = await ledgerRows(lake, "liveperson");
    const again = await sync(lake, []);
    const counters = again.progress.snapshot().get("liveperson");
    expect(counters?.written).toBe(0);
    // The trailing window's drift was met again: the same entries, none added.
    expect(await ledgerRows(lake, "liveperson")).toEqual(ledger);
    expect(counters?.pages).toBeLessThan(20);
  }, 240_000);
});
