import { readdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportGroundTruth } from "../../simulator/index.js";
import { DEMO_PSEUDONYM_KEY, loadConfig } from "../../data-loaders/config.js";
import { openLakeDuckDB } from "../../data-loaders/lake/index.js";
import { createPseudonymizer } from "../../data-loaders/privacy.js";
import { parseSyncArgs } from "../../data-loaders/sync/cli-args.js";
import { runSync } from "../../data-loaders/sync/demo.js";
import { SyncProgress } from "../../data-loaders/sync/progress.js";
import { formatPath } from "../../data-loaders/sync/validate.js";
import { Session, Visitor } from "../../data-loaders/upscope/schemas.js";
import { canonicalJson } from "../../data-loaders/upscope/stream.js";
import { expectDriftKept, HIGH_DRIFT_RATE, ledgerKinds, ledgerRows } from "./drift-expectations.js";

const NOW = "2026-06-01T00:00:00.000Z";
const DAY_MS = 24 * 3600 * 1000;
/**
 * 40 days of history at a quarter of the default volume: long enough that some sessions
 * are older than the API's 30 days (only the session files have them) while the files
 * stop 7 days before now (only the API has those), small enough to run in seconds. A high
 * drift rate: many sessions and visitors come off the docs (new values, numbers as text,
 * nulls in arrays, undocumented fields, missing objects), and must all be kept.
 */
const SIMULATION = { seed: 11, days: 40, scale: 0.25, drift: { rate: HIGH_DRIFT_RATE } };
const ALL_FAULTS = {
  latency: 0.05,
  rateLimit: 0.05,
  rateLimitWithoutRetryAfter: 0.05,
  serverError: 0.05,
  connectionReset: 0.05,
  truncatedBody: 0.05,
  slowBody: 0.02,
  partialResult: 0.1,
  invalidRecord: 0.03,
};

type Json = Record<string, unknown>;
let dir: string;
let truthDir: string;
let truthSessions: Json[];
let truthVisitors: Json[];
let truthInvalid: { id: string; path: (string | number)[]; record: Json }[];
const pseudonym = createPseudonymizer(DEMO_PSEUDONYM_KEY);

async function ndjson<T = Json>(name: string): Promise<T[]> {
  return (await readFile(join(truthDir, name), "utf-8"))
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T);
}

function configFor(lakeDir: string) {
  return { ...loadConfig({ SI_LAKE_DIR: lakeDir }), historyDays: SIMULATION.days };
}

async function sync(lakeDir: string, argv: string[] = [], overrides: Partial<ReturnType<typeof configFor>> = {}) {
  return runSync({ ...configFor(lakeDir), ...overrides }, {
    args: parseSyncArgs(["--source", "upscope", "--now", NOW, "--skip-models", ...argv]),
    progress: new SyncProgress(() => {}),
    demo: { ...SIMULATION, faults: ALL_FAULTS },
    http: { delayScale: 0.001 },
  });
}

/** Every row of both tables (without `_ingested_at`), ordered by key. */
async function lakeRows(lakeDir: string): Promise<{ sessions: Json[]; visitors: Json[] }> {
  const reader = await openLakeDuckDB(lakeDir);
  try {
    const sessions = await reader.queryRows(
      "SELECT * EXCLUDE (_ingested_at), epoch_ms(started_at) AS started_ms, epoch_ms(ended_at) AS ended_ms FROM upscope.sessions ORDER BY session_id",
    );
    const visitors = await reader.queryRows(
      "SELECT * EXCLUDE (_ingested_at), epoch_ms(first_seen_at) AS first_seen_ms, epoch_ms(last_seen_at) AS last_seen_ms FROM upscope.visitors ORDER BY visitor_id",
    );
    return { sessions, visitors };
  } finally {
    reader.close();
  }
}

/** The lake holds exactly the ground truth: same ids, each once, every field equal; broken records quarantined. */
async function expectLakeEqualsTruth(lakeDir: string): Promise<void> {
  const { sessions, visitors } = await lakeRows(lakeDir);
  // Sessions: the same ids, each once, every field equal after the documented conversions.
  expect(sessions.map((row) => row.session_id)).toEqual(truthSessions.map((session) => String(session.id)).sort());
  const byId = new Map(sessions.map((row) => [String(row.session_id), row]));
  const differing = truthSessions.filter((truth) => {
    const row = byId.get(String(truth.id));
    const stored = JSON.parse(String(row?.record_json)) as Json;
    const expected = {
      started_ms: String(Date.parse(String(truth.started_at))),
      ended_ms: String(Date.parse(String(truth.ended_at))),
      visitor_id: String(truth.visitor_id),
      // Drift: a length sent as numeric text is read as the number.
      length_seconds: typeof truth.length_seconds === "string" ? Number(truth.length_seconds) : truth.length_seconds,
      call_length_seconds: truth.call_length_seconds,
      email_pseudonym: pseudonym("email", truth.visitor_email as string | null),
      ip_pseudonym: pseudonym("ip", truth.visitor_ip_address as string | null),
      unique_id_pseudonym: pseudonym("identity", truth.visitor_unique_id as string | null),
      record_json: canonicalJson(Session.parse(truth)),
    };
    const actual = {
      started_ms: row?.started_ms,
      ended_ms: row?.ended_ms,
      visitor_id: row?.visitor_id,
      length_seconds: stored.length_seconds,
      call_length_seconds: stored.call_length_seconds,
      email_pseudonym: row?.email_pseudonym,
      ip_pseudonym: row?.ip_pseudonym,
      unique_id_pseudonym: row?.unique_id_pseudonym,
      record_json: row?.record_json,
    };
    return JSON.stringify(actual) !== JSON.stringify(expected);
  });
  expect(differing.map((session) => session.id)).toEqual([]);

  // Visitors: every visitor of the history, dated (drifted `first_seen_at` converted to UTC) and pseudonymised.
  expect(visitors.map((row) => row.visitor_id)).toEqual(truthVisitors.map((visitor) => String(visitor.short_id)).sort());
  const visitorsById = new Map(visitors.map((row) => [String(row.visitor_id), row]));
  const differingVisitors = truthVisitors.filter((truth) => {
    const row = visitorsById.get(String(truth.short_id));
    const firstSeen = Date.parse(String(truth.added_at ?? truth.first_seen_at));
    return (
      row?.first_seen_ms !== String(firstSeen) ||
      row.last_seen_ms !== String(Date.parse(String(truth.last_seen_at))) ||
      row.email_pseudonym !== pseudonym("email", truth.email as string | null) ||
      row.ip_pseudonym !== pseudonym("ip", truth.ip_address as string | null) ||
      row.name_pseudonym !== pseudonym("name", truth.name as string | null) ||
      row.unique_id_pseudonym !== pseudonym("identity", truth.unique_id as string | null) ||
      JSON.stringify(row.identity_pseudonyms) !== JSON.stringify((truth.identities as string[]).map((identity) => pseudonym("identity", identity))) ||
      row.record_json !== canonicalJson(Visitor.parse(truth))
    );
  });
  expect(differingVisitors.map((visitor) => visitor.short_id)).toEqual([]);

  const reader = await openLakeDuckDB(lakeDir);
  try {
    // Each key is stored once in the Parquet files themselves, not just deduplicated on read.
    const [stored] = await reader.queryRows(
      `SELECT count(*) AS n, count(DISTINCT session_id) AS ids FROM read_parquet('${join(lakeDir, "source=upscope", "table=sessions", "month=*", "*.parquet")}')`,
    );
    expect(stored?.n).toBe(stored?.ids);
    // Every deliberately broken session is quarantined under its own id with the broken field.
    const expectedQuarantine = truthInvalid.map((entry) => `sessions:${String(entry.record.id)} ${formatPath(entry.path)}`).sort();
    const quarantined = (await reader.queryRows("SELECT DISTINCT record_id AS id, field_path AS path FROM main.quarantine ORDER BY 1, 2")).map(
      (row) => `${row.id} ${row.path}`,
    );
    expect(expectedQuarantine.length).toBeGreaterThan(3);
    expect(quarantined).toEqual(expectedQuarantine);
  } finally {
    reader.close();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "si-sync-upscope-"));
  truthDir = join(dir, "truth");
  await exportGroundTruth({ ...SIMULATION, now: NOW, faults: ALL_FAULTS }, truthDir);
  truthSessions = await ndjson("upscope-sessions.ndjson");
  truthVisitors = await ndjson("upscope-visitors.ndjson");
  truthInvalid = await ndjson("upscope-sessions-invalid.ndjson");
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("Upscope sync against the simulator with every fault on", () => {
  const lakeDir = () => join(dir, "lake");

  it("equals the ground truth: session files plus the API, nothing lost or duplicated, broken records quarantined", async () => {
    const result = await sync(lakeDir());
    expect(result.results.upscope).not.toHaveProperty("error");
    const counters = result.progress.snapshot().get("upscope");
    expect(counters?.retries).toBeGreaterThan(0); // the faults did happen

    // Both paths are needed: sessions older than the API's 30 days exist only in the files,
    // sessions of the last 7 days only in the API.
    const nowMs = Date.parse(NOW);
    const starts = truthSessions.map((session) => Date.parse(String(session.started_at)));
    expect(starts.filter((ms) => ms < nowMs - 30 * DAY_MS).length).toBeGreaterThan(10);
    expect(starts.filter((ms) => ms >= nowMs - 7 * DAY_MS).length).toBeGreaterThan(10);
    expect(truthSessions.some((session) => typeof session.id === "number")).toBe(true); // drifted ids present
    expect(truthVisitors.some((visitor) => visitor.first_seen_at !== undefined)).toBe(true); // drifted visitors present

    await expectLakeEqualsTruth(lakeDir());

    // Drift on: every drifted session and visitor kept, their drift in the ledger, values preserved.
    const { ledger, lines } = await expectDriftKept(lakeDir(), truthDir, "upscope", { sessions: "session_id", visitors: "visitor_id" });
    expect(lines.length).toBeGreaterThan(50);
    expect(new Set(lines.map((line) => line.kind)).size).toBe(6);
    expect(ledgerKinds(ledger)).toEqual(["null_in_array", "number_as_string", "number_for_string", "unknown_enum_value", "unknown_field"]);
    expect(ledger.find((row) => row.field_path === "video_status" && row.kind === "unknown_enum_value")?.example).toBe("transcoding");
    // Nothing personal is kept as an example: no visitor id, lookup code or feedback author.
    expect(ledger.filter((row) => ["visitor_id", "lookup_code", "quality_feedback[].by"].includes(row.field_path) && row.example !== null)).toEqual([]);
    const reader = await openLakeDuckDB(lakeDir());
    try {
      const kept = await reader.queryRows(
        `SELECT count(*) FILTER (WHERE record_json::JSON ->> '$.video_status' = 'transcoding') AS transcoding,
                count(*) FILTER (WHERE record_json::JSON ->> '$.source' = 'chat widget') AS widget,
                count(*) FILTER (WHERE record_json::JSON ->> '$.recording.provider' = 's3') AS recording
         FROM upscope.sessions`,
      );
      const expected = (kind: string, field: string) => lines.filter((line) => line.stream === "sessions" && line.kind === kind && line.path[0] === field).length;
      expect(kept[0]).toEqual({
        transcoding: String(expected("unknown_enum_value", "video_status")),
        widget: String(expected("unknown_enum_value", "source")),
        recording: String(expected("unknown_field", "recording")),
      });
    } finally {
      reader.close();
    }
    // The run said so, without failing.
    expect(result.exitCode).toBe(0);
    expect(result.progress.snapshot().get("upscope")?.drifted).toBeGreaterThanOrEqual(lines.filter((line) => line.kind !== "missing_optional").length);
  }, 120_000);

  it("a second sync with nothing new skips the files, fetches only the trailing window and writes no row", async () => {
    const ledgerBefore = await ledgerRows(lakeDir(), "upscope");
    const again = await sync(lakeDir());
    // Re-fetched drift is the same ledger entry, not a second one.
    expect(await ledgerRows(lakeDir(), "upscope")).toEqual(ledgerBefore);
    expect(again.results.upscope).not.toHaveProperty("error");
    const counters = again.progress.snapshot().get("upscope");
    expect(counters?.written).toBe(0);
    // Two list pages, the visitors active in the trailing 3 hours, no file.
    expect(counters?.pages).toBeLessThan(30);
  }, 120_000);

  it("--replay rebuilds identical tables from the raw archive after their Parquet files are deleted", async () => {
    const before = await lakeRows(lakeDir());
    const ledgerBefore = await ledgerRows(lakeDir(), "upscope");
    expect(ledgerBefore.length).toBeGreaterThan(50);
    for (const table of ["sessions", "visitors", "drift"]) {
      const tableDir = join(lakeDir(), "source=upscope", `table=${table}`);
      for (const entry of await readdir(tableDir)) if (entry.startsWith("month=")) await rm(join(tableDir, entry), { recursive: true });
    }
    // Through the engine: the lake's inventory (rightly) refuses a bare upsert into tables
    // whose month files went missing; `--replay` sets them aside and rebuilds them.
    const lines: string[] = [];
    const replayed = await runSync(configFor(lakeDir()), {
      args: parseSyncArgs(["--source", "upscope", "--now", NOW, "--skip-models", "--replay"]),
      progress: new SyncProgress((line) => lines.push(line)),
    });
    expect(replayed.exitCode, lines.join("\n")).toBe(0);
    expect(replayed.results.upscope).toMatchObject({ quarantined: truthInvalid.length });
    expect(lines.filter((line) => line.startsWith("lake: restored upscope.")).length).toBeGreaterThan(0);
    const after = await lakeRows(lakeDir());
    expect(after.sessions).toEqual(before.sessions);
    expect(after.visitors).toEqual(before.visitors);
    // The replay rebuilt the ledger from the archive too, each drift once.
    expect(await ledgerRows(lakeDir(), "upscope")).toEqual(ledgerBefore);
  }, 120_000);

  it("a run that fails half-way (retry budget exhausted) loses nothing: the next run equals the ground truth", async () => {
    const resumed = join(dir, "lake-resumed");
    const failed = await sync(resumed, [], { httpTimeBudgetMs: 800 });
    expect(failed.results.upscope).toHaveProperty("error");
    expect(String((failed.results.upscope as { error: string }).error)).toMatch(/budget/);
    // The files were committed (and marked as read) before the failure.
    const reader = await openLakeDuckDB(resumed);
    try {
      const [partial] = await reader.queryRows("SELECT count(*) AS n FROM upscope.sessions");
      expect(Number(partial?.n)).toBeGreaterThan(0);
    } finally {
      reader.close();
    }
    const again = await sync(resumed);
    expect(again.results.upscope).not.toHaveProperty("error");
    await expectLakeEqualsTruth(resumed);
  }, 120_000);
});
