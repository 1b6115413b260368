/**
 * The embedded-events sync, called directly (the engine registers it): the simulator's
 * event files into `embedded.events`, exactly the deliberately broken lines
 * quarantined, only the new tail of a grown file read, a partial last line left for
 * later, a rewritten file and a lost state read again without duplicates, `--replay`
 * rebuilding the same table, and the marts over the result.
 */
import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../data-loaders/config.js";
import { EMBEDDED_PROGRESS_SOURCE, withEmbeddedConfig } from "../../data-loaders/embedded/config.js";
import { unreadPart, sha256 } from "../../data-loaders/sync/file-cursor.js";
import { EVENTS_TABLE } from "../../data-loaders/embedded/stream.js";
import { replayEmbedded, syncEmbedded } from "../../data-loaders/embedded/sync.js";
import { createOfflineDuckDB, openLake, openLakeDuckDB, quoteLiteral, stateFilePath, tableDirectory } from "../../data-loaders/lake/index.js";
import { buildModels, martPath } from "../../data-loaders/models/run.js";
import { createPseudonymizer } from "../../data-loaders/privacy.js";
import type { SourceRunResult } from "../../data-loaders/sync/context.js";
import { SyncProgress } from "../../data-loaders/sync/progress.js";
import { RecordedEvent } from "../../embedded/schemas.js";
import { exportEmbeddedEventFiles, type EmbeddedEventFilesResult } from "../../simulator/index.js";
import { recordedEvent, stateUpdate } from "./fixtures.js";

const NOW = new Date("2026-06-01T00:00:00.000Z");
/** With vendor drift: a fifth of the iframe's messages carry a state, code or field the docs do not list. */
const SIMULATION = { seed: 4, days: 14, scale: 0.5, now: NOW, faults: { invalidRecord: 0.02 }, drift: { rate: 0.2 } };

let dir: string;
let lakeDir: string;
let eventsDir: string;
let exported: EmbeddedEventFilesResult;

async function run(kind: "sync" | "replay" = "sync", options: { full?: boolean } = {}): Promise<SourceRunResult> {
  const config = withEmbeddedConfig(loadConfig({ SI_LAKE_DIR: lakeDir }), { eventsDir });
  const lake = await openLake(lakeDir);
  const progress = new SyncProgress(() => {});
  progress.start(EMBEDDED_PROGRESS_SOURCE);
  try {
    const ctx = {
      config,
      lake,
      progress,
      runId: `test-${kind}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`,
      now: NOW,
      since: undefined,
      full: options.full ?? false,
      pseudonym: createPseudonymizer(config.pseudonymKey),
      http: {},
    };
    return await (kind === "sync" ? syncEmbedded(ctx) : replayEmbedded(ctx));
  } finally {
    lake.close();
  }
}

async function query(sql: string): Promise<Array<Record<string, unknown>>> {
  const reader = await openLakeDuckDB(lakeDir);
  try {
    return await reader.queryRows(sql);
  } finally {
    reader.close();
  }
}

const snapshot = () => query(`SELECT ${Object.keys(EVENTS_TABLE.columns).join(", ")} FROM embedded.events ORDER BY event_id`);

/** Every line of the folder, parsed. */
async function fileLines(): Promise<Array<Record<string, unknown>>> {
  const lines: Array<Record<string, unknown>> = [];
  for (const name of (await readdir(eventsDir)).sort()) {
    for (const line of (await readFile(join(eventsDir, name), "utf8")).split("\n")) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
  }
  return lines;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "si-embedded-sync-"));
  lakeDir = join(dir, "lake");
  eventsDir = join(dir, "events");
  exported = await exportEmbeddedEventFiles(SIMULATION, eventsDir);
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("embedded events into the lake", () => {
  it("stores every valid event once and quarantines exactly the broken lines", async () => {
    expect(exported.events).toBeGreaterThan(1000);
    expect(exported.invalid.length).toBeGreaterThan(5);
    expect(new Set(exported.invalid.map((line) => line.breakage))).toEqual(new Set(["missing_required", "wrong_type", "unreadable_value"]));
    const result = await run();
    const lines = await fileLines();
    const invalidIds = new Set(exported.invalid.map((line) => line.id));
    const validIds = lines.map((line) => String(line.id)).filter((id) => !invalidIds.has(id));
    expect(result).toEqual({ records: exported.events, quarantined: exported.invalid.length });
    const rows = await query("SELECT event_id FROM embedded.events ORDER BY event_id");
    expect(rows.map((row) => row.event_id)).toEqual([...validIds].sort());
    const quarantined = await query("SELECT DISTINCT record_id FROM embedded.quarantine ORDER BY record_id");
    expect(quarantined.map((row) => row.record_id)).toEqual([...invalidIds].map((id) => `events:${id}`).sort());
    const recorderReports = await query("SELECT field_path, message FROM embedded.quarantine WHERE message LIKE 'recorder:%' LIMIT 1");
    expect(recorderReports[0]).toMatchObject({ field_path: "state.dataBounceSpeed" });
    // Drifted events are kept as they came, and their drift (the recorder's note and what the sync
    // sees itself, once each) is in the ledger.
    expect(exported.drifted.length).toBeGreaterThan(100);
    const stored = new Set(rows.map((row) => String(row.event_id)));
    expect(exported.drifted.filter((line) => !stored.has(line.id))).toEqual([]);
    const ledger = await query("SELECT record_id, field_path, kind, example FROM embedded.drift ORDER BY ALL");
    const entries = new Set(ledger.map((row) => `${row.record_id} ${row.field_path} ${row.kind}`));
    expect(exported.drifted.filter((line) => !entries.has(`${line.id} ${line.path.join(".")} ${line.kind}`))).toEqual([]);
    expect(ledger.length).toBe(exported.drifted.length);
    expect(new Set(ledger.map((row) => `${row.field_path} ${row.kind} ${row.example}`))).toEqual(
      new Set([
        "event.state.sessionStatus unknown_enum_value reconnecting",
        "event.error unknown_enum_value connection:timeout",
        "event.reason unknown_enum_value timeout",
        "event.state.screenShareQuality unknown_field null",
      ]),
    );
    // Rows carry the Upscope session they belong to.
    const [linked] = await query("SELECT count(*) AS n, count(session_id) AS with_session FROM embedded.events");
    expect(Number(linked?.with_session)).toBe(Number(linked?.n));
  });

  it("reads nothing when nothing changed", async () => {
    const before = await snapshot();
    expect(await run()).toEqual({ records: 0, quarantined: 0 });
    expect(await snapshot()).toEqual(before);
  });

  it("reads only the new tail of a grown file, and leaves a half-written last line for the next run", async () => {
    const name = (await readdir(eventsDir)).sort().at(-1) ?? "";
    const before = await snapshot();
    const added = [recordedEvent({ sequence: 1 }), recordedEvent({ sequence: 2 })];
    const late = recordedEvent({ sequence: 3 });
    const lateLine = JSON.stringify(late);
    await appendFile(join(eventsDir, name), `${added.map((event) => JSON.stringify(event)).join("\n")}\n${lateLine.slice(0, 40)}`);
    expect(await run()).toEqual({ records: 2, quarantined: 0 });
    expect((await snapshot()).length).toBe(before.length + 2);
    await appendFile(join(eventsDir, name), `${lateLine.slice(40)}\n`);
    expect(await run()).toEqual({ records: 1, quarantined: 0 });
    const ids = (await query(`SELECT event_id FROM embedded.events WHERE event_id IN (${[...added, late].map((event) => quoteLiteral(String(event.id))).join(",")})`)).map((row) => row.event_id);
    expect(ids.sort()).toEqual([...added, late].map((event) => String(event.id)).sort());
  });

  it("takes a complete last line without its newline", () => {
    const text = Buffer.from('{"a":1}\n{"b":2}');
    expect(unreadPart(text, undefined, false)).toEqual({ start: 0, end: text.length, firstLine: 1 });
    const cut = Buffer.from('{"a":1}\n{"b":');
    expect(unreadPart(cut, undefined, false)).toEqual({ start: 0, end: 8, firstLine: 1 });
    expect(unreadPart(cut, { size: 8, mtimeMs: 0, consumed: 8, sha256: sha256(cut.subarray(0, 8)) }, false)).toEqual({ start: 8, end: 8, firstLine: 2 });
    expect(unreadPart(cut, { size: 8, mtimeMs: 0, consumed: 8, sha256: "changed" }, false).start).toBe(0);
  });

  it("reads a rewritten file again whole, merging by event id", async () => {
    const name = (await readdir(eventsDir)).sort()[0] ?? "";
    const path = join(eventsDir, name);
    const lines = (await readFile(path, "utf8")).split("\n").filter(Boolean);
    await writeFile(path, `${[...lines].reverse().join("\n")}\n`);
    const before = await snapshot();
    const result = await run();
    expect(result.records).toBe(lines.length);
    expect(await snapshot()).toEqual(before);
  });

  it("a lost state, and --full, read everything again and change nothing", async () => {
    const before = await snapshot();
    await rm(stateFilePath(lakeDir, "embedded"));
    expect((await run()).records).toBe((await fileLines()).length);
    expect(await snapshot()).toEqual(before);
    expect((await run("sync", { full: true })).records).toBe((await fileLines()).length);
    expect(await snapshot()).toEqual(before);
  });

  it("--replay rebuilds the same table from the raw archive alone", async () => {
    const before = await snapshot();
    await rm(tableDirectory(lakeDir, "embedded", "events"), { recursive: true, force: true });
    const result = await run("replay");
    expect(result.quarantined).toBe(exported.invalid.length);
    expect(await snapshot()).toEqual(before);
  });
});

describe("the embedded marts", () => {
  let marts: string;

  async function mart(sql: string): Promise<Array<Record<string, unknown>>> {
    const db = await createOfflineDuckDB();
    try {
      return await db.queryRows(sql.replaceAll("$sessions", quoteLiteral(martPath(marts, "embedded_sessions"))).replaceAll("$events", quoteLiteral(martPath(marts, "embedded_events"))));
    } finally {
      db.close();
    }
  }

  beforeAll(async () => {
    // An organisation that allowed visitor personal data and URLs, and a console that did not know the session id.
    const personal = recordedEvent({
      context: { visitorId: "vis123" },
      embedId: "console-without-session-id",
      event: stateUpdate({ dataBounceSpeed: 900 }),
    });
    await writeFile(join(eventsDir, "events-9999-12-31.ndjson"), `${JSON.stringify(personal)}\n`);
    await run();
    marts = lakeDir;
    await buildModels(lakeDir, { publishText: false, demo: true, builtAt: NOW });
  }, 60_000);

  it("count sessions, latency samples and errors as the files do", async () => {
    const valid = (await fileLines()).flatMap((line) => {
      const parsed = RecordedEvent.safeParse(line);
      return parsed.success && parsed.data.event ? [parsed.data] : [];
    });
    const sessionKeys = new Set(valid.map((event) => event.context?.sessionId ?? `embed:${event.embedId}`));
    const errors = valid.filter((event) => event.event?.type === "error").length;
    const samples = valid.filter((event) => {
      const state = event.event?.type === "upscope.sessionState.update" ? event.event.state : undefined;
      return state?.dataBounceSpeed !== undefined && state.dataBounceSpeed > 0 && state.connected !== false;
    });
    const slow = samples.filter((event) => event.event?.type === "upscope.sessionState.update" && (event.event.state.dataBounceSpeed ?? 0) > 500).length;
    const [sessions] = await mart("SELECT count(*) AS n, sum(errors) AS errors, sum(latency_samples) AS samples, sum(slow_samples) AS slow FROM read_parquet($sessions)");
    expect(Number(sessions?.n)).toBe(sessionKeys.size);
    expect(Number(sessions?.errors)).toBe(errors);
    expect(Number(sessions?.samples)).toBe(samples.length);
    expect(Number(sessions?.slow)).toBe(slow);
    const [events] = await mart("SELECT count(*) AS n FROM read_parquet($events)");
    expect(Number(events?.n)).toBe(valid.length);
    const [unlinked] = await mart("SELECT session_key, multi_tab, slow_connection FROM read_parquet($sessions) WHERE upscope_session_id IS NULL");
    expect(unlinked).toEqual({ session_key: "embed:console-without-session-id", multi_tab: true, slow_connection: true });
    // The demo has sessions of every kind the page reports on.
    const [kinds] = await mart(
      "SELECT count(*) FILTER (WHERE slow_connection) AS slow, count(*) FILTER (WHERE multi_tab) AS tabs, count(*) FILTER (WHERE idle_disconnected) AS idle, count(*) FILTER (WHERE audio_active) AS audio, count(*) FILTER (WHERE video_active) AS video, count(*) FILTER (WHERE max_observers > 1) AS observed, count(*) FILTER (WHERE remote_control_errors > 0) AS remote FROM read_parquet($sessions)",
    );
    for (const [kind, count] of Object.entries(kinds ?? {})) expect(Number(count), kind).toBeGreaterThan(0);
  });

  it("publish no visitor personal data, URL or custom message content", async () => {
    const text = JSON.stringify([...(await mart("SELECT * FROM read_parquet($sessions)")), ...(await mart("SELECT * FROM read_parquet($events)"))], (_key, value: unknown) =>
      typeof value === "bigint" ? Number(value) : value,
    );
    for (const secret of ["zelda", "198.51.100.23", "cust-000042", "shop.example.com", "Ask before typing", "vis123"]) expect(text).not.toContain(secret);
  });
});
