import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportGroundTruth } from "../../simulator/index.js";
import { loadConfig } from "../../data-loaders/config.js";
import { chatTimes, CHATS_TABLE, LIST_SUMMARIES_TABLE } from "../../data-loaders/agendize/stream.js";
import { ChatSessionRecord } from "../../data-loaders/agendize/schemas.js";
import { replayAgendize } from "../../data-loaders/agendize/sync.js";
import { openLake, openLakeDuckDB, tableDirectory } from "../../data-loaders/lake/index.js";
import { createPseudonymizer } from "../../data-loaders/privacy.js";
import { parseSyncArgs } from "../../data-loaders/sync/cli-args.js";
import { demoConfig, runSync } from "../../data-loaders/sync/demo.js";
import { SyncProgress } from "../../data-loaders/sync/progress.js";
import { formatPath } from "../../data-loaders/sync/validate.js";
import { expectDriftKept, HIGH_DRIFT_RATE, ledgerKinds, ledgerRows } from "./drift-expectations.js";

// Two days after a 7-day grid boundary (2026-04-09, a Thursday like the epoch): 14 days of
// history hold Europe's spring-forward night (29 March) and Sydney's fall-back night (5 April).
const NOW = "2026-04-10T00:00:00.000Z";
/** With a high drift rate: many chats come off the docs (a "bot" message, numeric ids, nulls, new fields, no visitor) and must all be kept. */
const SIMULATION = { seed: 7, days: 14, scale: 1, drift: { rate: HIGH_DRIFT_RATE } };
/** Rates high enough that the few requests of a 14-day history (3 grid windows) meet every kind. */
const ALL_FAULTS = {
  latency: 0.2,
  rateLimit: 0.2,
  rateLimitWithoutRetryAfter: 0.2,
  serverError: 0.2,
  connectionReset: 0.2,
  truncatedBody: 0.2,
  slowBody: 0.2,
  invalidRecord: 0.01,
};

let dir: string;
let truthDir: string;
let lakeDir: string;

function testConfig() {
  return { ...loadConfig({ SI_LAKE_DIR: lakeDir }), historyDays: SIMULATION.days };
}

async function sync(argv: string[] = []) {
  return runSync(testConfig(), {
    args: parseSyncArgs(["--source", "agendize", "--now", NOW, ...argv]),
    progress: new SyncProgress(() => {}),
    demo: { ...SIMULATION, faults: ALL_FAULTS },
    http: { delayScale: 0.001 },
  });
}

async function query(sql: string) {
  const reader = await openLakeDuckDB(lakeDir);
  try {
    return await reader.queryRows(sql);
  } finally {
    reader.close();
  }
}

/** Every column of both tables (the lake's own _ingested_at aside), in a stable order. */
async function snapshot() {
  const chats = await query(`SELECT ${Object.keys(CHATS_TABLE.columns).join(", ")} FROM agendize.chats ORDER BY chat_id`);
  const summaries = await query(`SELECT ${Object.keys(LIST_SUMMARIES_TABLE.columns).join(", ")} FROM agendize.list_summaries ORDER BY summary_id`);
  return { chats, summaries };
}

interface TruthChat {
  id: string;
  start: { dateTime: string; timeZone: string };
  /** Absent when the chat drifted without one. */
  visitor?: { name: string; emaillAddress: string; networkAddress: string };
  messages: unknown[];
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "si-sync-agendize-"));
  truthDir = join(dir, "truth");
  lakeDir = join(dir, "lake");
  await exportGroundTruth({ ...SIMULATION, now: NOW, faults: ALL_FAULTS }, truthDir);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("Agendize sync against the simulator with every fault on", () => {
  it("equals the ground truth: same ids, UTC starts across daylight-saving nights, invalid records quarantined", async () => {
    const result = await sync();
    expect(result.results.agendize).not.toHaveProperty("error");
    // The faults were met and retried through (429s with and without Retry-After, 5xx, resets, cut bodies).
    expect(result.progress.snapshot().get("agendize")?.retries).toBeGreaterThan(0);
    const truthFile = join(truthDir, "agendize-chats.ndjson");
    const reader = await openLakeDuckDB(lakeDir);
    try {
      await reader.connection.run(
        // Messages: a null among them (drift) is left out, so only the others count.
        `CREATE TABLE truth AS SELECT id, start.dateTime AS local_text, CAST(start.dateTime AS TIMESTAMP) AS local_ts, start.timeZone AS zone,
           len(list_filter(messages, message -> message IS NOT NULL AND json_type(message) <> 'NULL')) AS messages
         FROM read_json('${truthFile}', format='newline_delimited', columns={id: 'VARCHAR', start: 'STRUCT(dateTime VARCHAR, timeZone VARCHAR)', messages: 'JSON[]'})`,
      );
      // The expected UTC start, computed by DuckDB's ICU rather than by timezone.ts. ICU reads a
      // wall time repeated by a fall-back hour as the later instant; the sync's documented rule
      // takes the earlier one, i.e. one hour before whenever that hour reads the same wall time.
      await reader.connection.run(
        `CREATE TABLE expected AS
         WITH icu AS (SELECT *, timezone(zone, local_ts) AS later FROM truth)
         SELECT id, messages, zone, local_text,
                CASE WHEN timezone(zone, later - INTERVAL 1 HOUR) = local_ts THEN later - INTERVAL 1 HOUR ELSE later END::TIMESTAMP AS start_utc,
                timezone(zone, later - INTERVAL 1 HOUR) = local_ts AS ambiguous
         FROM icu`,
      );
      const [counts] = await reader.queryRows(`SELECT
          (SELECT count(*) FROM expected) AS truth,
          (SELECT count(*) FROM agendize.chats) AS lake,
          (SELECT count(*) FROM expected WHERE id NOT IN (SELECT chat_id FROM agendize.chats)) AS missing,
          (SELECT count(*) FROM agendize.chats WHERE chat_id NOT IN (SELECT id FROM expected)) AS extra,
          (SELECT count(*) FROM expected t JOIN agendize.chats c ON c.chat_id = t.id
             WHERE c.start_time <> t.start_utc OR c.time_zone <> t.zone
                OR json_array_length(c.record_json::JSON -> '$.messages') <> t.messages
                OR (c.record_json::JSON ->> '$.start.dateTime') <> t.local_text) AS differing,
          (SELECT count(*) FROM expected WHERE ambiguous) AS ambiguous_starts,
          (SELECT count(DISTINCT zone) FROM expected WHERE left(local_text, 10) IN ('2026-03-29', '2026-04-05')) AS zones_on_dst_days,
          (SELECT count(*) FROM agendize.chats WHERE end_time IS NULL OR end_time < start_time) AS bad_ends`);
      expect(Number(counts?.truth)).toBeGreaterThan(300);
      expect(counts).toMatchObject({ missing: "0", extra: "0", differing: "0", bad_ends: "0" });
      expect(String(counts?.lake)).toBe(String(counts?.truth));
      // The history really holds fall-back chats whose local start is ambiguous, in several zones.
      expect(Number(counts?.ambiguous_starts)).toBeGreaterThan(0);
      expect(Number(counts?.zones_on_dst_days)).toBeGreaterThanOrEqual(3);

      // Every deliberately broken record is in quarantine, under its own id and exact path.
      const invalid = (await readFile(join(truthDir, "agendize-chats-invalid.ndjson"), "utf-8"))
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { id: string; path: (string | number)[] })
        .map((entry) => `chats:${entry.id} ${formatPath(entry.path)}`)
        .sort();
      const quarantined = (await reader.queryRows("SELECT DISTINCT record_id AS id, field_path AS path FROM main.quarantine ORDER BY 1, 2")).map(
        (row) => `${row.id} ${row.path}`,
      );
      expect(invalid.length).toBeGreaterThan(0);
      expect(quarantined).toEqual(invalid);
      expect(result.results.agendize).toMatchObject({ quarantined: invalid.length });

      // Visitor emails, IPs and names are keyed pseudonyms, the same ones the key gives for the truth.
      const pseudonym = createPseudonymizer(testConfig().pseudonymKey);
      const truth = (await readFile(truthFile, "utf-8")).split("\n").filter(Boolean).map((line) => JSON.parse(line) as TruthChat);
      const stored = new Map(
        (await reader.queryRows("SELECT chat_id, email_pseudonym, ip_pseudonym, name_pseudonym FROM agendize.chats")).map((row) => [row.chat_id, row]),
      );
      for (const chat of truth) {
        expect(stored.get(chat.id)).toEqual({
          chat_id: chat.id,
          email_pseudonym: pseudonym("email", chat.visitor?.emaillAddress),
          ip_pseudonym: pseudonym("ip", chat.visitor?.networkAddress),
          name_pseudonym: pseudonym("name", chat.visitor?.name),
        });
      }
      expect(truth.some((chat) => chat.visitor !== undefined && chat.visitor.emaillAddress !== "")).toBe(true);

      // Every record as the schema keeps it from the ground truth: drift preserved ("bot" messages,
      // numeric message ids as text, nulls left out, the undocumented visitor.language kept).
      const records = new Map((await reader.queryRows("SELECT chat_id, record_json FROM agendize.chats")).map((row) => [String(row.chat_id), String(row.record_json)]));
      const raw = (await readFile(truthFile, "utf-8")).split("\n").filter(Boolean).map((line) => JSON.parse(line) as unknown);
      expect(raw.filter((chat) => records.get(String((chat as { id: unknown }).id)) !== JSON.stringify(ChatSessionRecord.parse(chat))).length).toBe(0);

      // The vendor's summary of each requested window beside the lake's own mean of (last message − start).
      const summaries = await reader.queryRows(`SELECT s.summary_id, s.chat_sessions, s.items_returned,
            s.average_chat_session_duration_seconds AS vendor_mean, count(c.chat_id) AS lake_chats,
            avg(epoch_ms(c.end_time) - epoch_ms(c.start_time)) / 1000 AS lake_mean
          FROM agendize.list_summaries s LEFT JOIN agendize.chats c ON c.start_time >= s.window_start AND c.start_time < s.window_end
          GROUP BY ALL ORDER BY s.summary_id`);
      expect(summaries.map((row) => row.summary_id)).toEqual([
        "2026-03-25T00:00:00Z/2026-04-03T00:00:00Z",
        "2026-04-01T00:00:00Z/2026-04-10T00:00:00Z",
        "2026-04-08T00:00:00Z/2026-04-17T00:00:00Z",
      ]);
      const invalidCount = invalid.length;
      let compared = 0;
      for (const row of summaries) {
        expect(row.items_returned).toBe(row.chat_sessions);
        const missingFromLake = Number(row.chat_sessions) - Number(row.lake_chats);
        // A window can hold chats that are in quarantine instead of the lake, never the other way round.
        expect(missingFromLake).toBeGreaterThanOrEqual(0);
        expect(missingFromLake).toBeLessThanOrEqual(invalidCount);
        if (missingFromLake === 0) {
          expect(Number(row.lake_mean)).toBeCloseTo(Number(row.vendor_mean), 2);
          compared += 1;
        }
      }
      expect(compared).toBeGreaterThan(0);
    } finally {
      reader.close();
    }

    // Drift on: every drifted chat kept and in the ledger; the documented data adds nothing to it.
    const { ledger, lines } = await expectDriftKept(lakeDir, truthDir, "agendize", { chats: "chat_id" });
    expect(lines.length).toBeGreaterThan(50);
    expect(ledgerKinds(ledger)).toEqual(["null_in_array", "number_for_string", "unknown_enum_value", "unknown_field"]);
    const drifted = new Set(lines.filter((line) => line.kind !== "missing_optional").map((line) => line.id));
    expect(new Set(ledger.map((row) => row.record_id))).toEqual(drifted);
    expect(ledger.find((row) => row.kind === "unknown_enum_value")).toMatchObject({ field_path: "messages[].source", example: "bot" });
    expect(result.exitCode).toBe(0);
  }, 120_000);

  it("a second sync with nothing new re-reads only the window holding the watermark and writes no row", async () => {
    const ledger = await ledgerRows(lakeDir, "agendize");
    const again = await sync();
    expect(await ledgerRows(lakeDir, "agendize")).toEqual(ledger);
    expect(again.results.agendize).not.toHaveProperty("error");
    const counters = again.progress.snapshot().get("agendize");
    expect(counters?.written).toBe(0);
    // One grid window (the one holding the previous now), plus retries of faulted requests.
    expect(counters?.pages).toBe(1);
  }, 120_000);

  it("--replay after deleting the tables' Parquet restores identical rows, fetching nothing", async () => {
    const before = await snapshot();
    const ledger = await ledgerRows(lakeDir, "agendize");
    expect(before.chats.length).toBeGreaterThan(300);
    await rm(join(tableDirectory(lakeDir, "agendize", "chats")), { recursive: true, force: true });
    await rm(join(tableDirectory(lakeDir, "agendize", "drift")), { recursive: true, force: true });
    await rm(join(tableDirectory(lakeDir, "agendize", "list_summaries")), { recursive: true, force: true });
    const config = testConfig();
    const lake = await openLake(lakeDir);
    const progress = new SyncProgress(() => {});
    progress.start("agendize");
    try {
      // Pointed at a closed port: any fetch would fail the replay.
      const result = await replayAgendize({
        config: demoConfig(config, "http://127.0.0.1:9"),
        lake,
        progress,
        runId: "replay-test",
        now: new Date(NOW),
        since: undefined,
        full: false,
        pseudonym: createPseudonymizer(config.pseudonymKey),
        http: {},
      });
      expect(result.records).toBeGreaterThan(300);
    } finally {
      lake.close();
    }
    expect(await snapshot()).toEqual(before);
    // The ledger rebuilt from the archive alone, each drift once.
    expect(await ledgerRows(lakeDir, "agendize")).toEqual(ledger);
  }, 120_000);
});

describe("Agendize times", () => {
  const chat = (start: string, sent: string[], timeZone: string | undefined) =>
    ChatSessionRecord.parse({
      id: "1",
      start: { dateTime: start, timeZone },
      messages: sent.map((dateTime, index) => ({ id: `1${index}`, message: "hi", source: "visitor", sent: { dateTime, timeZone } })),
    });

  it("reads a missing zone as the company's zone and a repeated fall-back hour in message order", () => {
    // Paris, 25 October 2026: 03:00 CEST becomes 02:00 CET at 01:00Z, so 02:00-03:00 happens twice.
    const result = chatTimes(chat("2026-10-25T02:50:00", ["2026-10-25T02:50:00", "2026-10-25T02:58:00", "2026-10-25T02:05:00"], undefined), "Europe/Paris");
    expect(result).toEqual({
      ok: true,
      times: {
        startMs: Date.parse("2026-10-25T00:50:00Z"),
        endMs: Date.parse("2026-10-25T01:05:00Z"),
        zone: "Europe/Paris",
        // The third message's 02:05 comes after 02:58 CEST: it is the second 02:05 (CET).
        sentMs: [Date.parse("2026-10-25T00:50:00Z"), Date.parse("2026-10-25T00:58:00Z"), Date.parse("2026-10-25T01:05:00Z")],
      },
    });
  });

  it("takes a time's own offset when it carries one, and names the field of an impossible date", () => {
    const withOffset = chatTimes(chat("2026-07-01T10:00:00+0200", ["2026-07-01T08:00:30Z"], "America/New_York"), "UTC");
    expect(withOffset).toMatchObject({ ok: true, times: { startMs: Date.parse("2026-07-01T08:00:00Z"), endMs: Date.parse("2026-07-01T08:00:30Z") } });
    const impossible = chatTimes(chat("2026-07-01T10:00:00", ["2026-02-30T10:00:00"], "Asia/Kolkata"), "UTC");
    expect(impossible).toMatchObject({ ok: false, fieldPath: "messages[0].sent.dateTime" });
  });
});
