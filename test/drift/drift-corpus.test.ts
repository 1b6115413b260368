/**
 * The drift corpus (corpus.ts) through the sync's own path: each payload is validated
 * and mapped by its stream's code (the Upscope collector, LivePerson's validateRecord
 * and mapEngagement, Agendize's collectListResponse), committed with commitRows (which
 * writes the drift ledger) into a temporary lake, then the real models are built over
 * it. A drifted payload must be kept, its drift in the ledger, and its values in the
 * marts as the vendor meant them; an unusable one must be quarantined at its field.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHATS_TABLE, collectListResponse, emptyListRead, LIST_SUMMARIES_TABLE, requestSpanOf } from "../../data-loaders/agendize/stream.js";
import { createOfflineDuckDB, openLake, openLakeDuckDB, quoteLiteral, type Lake } from "../../data-loaders/lake/index.js";
import { InteractionHistoryRecord } from "../../data-loaders/liveperson/schemas.js";
import { ENGAGEMENTS_TABLE, mapEngagement } from "../../data-loaders/liveperson/stream.js";
import { modelsDatabasePath } from "../../data-loaders/models/build-state.js";
import { buildModels, martPath } from "../../data-loaders/models/run.js";
import { createPseudonymizer } from "../../data-loaders/privacy.js";
import { commitRows, type MappedRow } from "../../data-loaders/sync/commit.js";
import { pick, validateRecord, type QuarantineEntry } from "../../data-loaders/sync/validate.js";
import { mapSession, SESSIONS_TABLE, UpscopeCollector, VISITORS_TABLE } from "../../data-loaders/upscope/stream.js";
import { AGENDIZE_CHATS, AGENDIZE_SUMMARY, LIVEPERSON_ENGAGEMENTS, UPSCOPE_SESSIONS, UPSCOPE_VISITORS, type DriftCase, type MartExpectation } from "./corpus.js";

const pseudonym = createPseudonymizer("test-key-for-the-drift-corpus-0123456789");
const COMPANY_ZONE = "Europe/Paris";
/** The Agendize window the corpus's chats are listed in (they start on 1 July 2026). */
const KEPT = { from: Date.UTC(2026, 5, 30), to: Date.UTC(2026, 6, 7) };

let dir: string;
let lakeRoot: string;

async function quarantine(lake: Lake, entries: readonly QuarantineEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await lake.quarantine(
    entries.map((entry) => ({ ...entry, recordId: `${entry.stream}:${entry.recordId}`, fetchedAt: new Date("2026-11-01T00:00:00Z"), runId: "corpus" })),
  );
}

async function ingest(lake: Lake): Promise<void> {
  // Upscope: the collector a sync uses for files and visitor responses.
  const collector = new UpscopeCollector(pseudonym, new Map());
  for (const testCase of UPSCOPE_SESSIONS) collector.addSession(testCase.record, { fallbackId: testCase.id });
  for (const testCase of UPSCOPE_VISITORS) collector.addVisitor(testCase.record, { fallbackId: testCase.id });
  const batch = collector.take();
  await commitRows(lake, SESSIONS_TABLE, batch.sessions.map((pending) => mapSession(pending.session, pseudonym, pending.visitorId)));
  await commitRows(lake, VISITORS_TABLE, batch.visitors);
  await quarantine(lake, batch.problems);

  // LivePerson: what readWindow does with each record of a page.
  const rows: MappedRow[] = [];
  const problems: QuarantineEntry[] = [];
  for (const testCase of LIVEPERSON_ENGAGEMENTS) {
    const checked = validateRecord({ source: "liveperson", stream: "engagements" }, InteractionHistoryRecord, testCase.record, (raw) => pick(raw, "info", "engagementId"));
    if (checked.ok) rows.push(mapEngagement(checked.value, pseudonym));
    else problems.push(...checked.problems);
  }
  await commitRows(lake, ENGAGEMENTS_TABLE, rows);
  await quarantine(lake, problems);

  // Agendize: one list response, summary included, through the sync's own fold.
  const read = emptyListRead();
  collectListResponse(
    { requested: requestSpanOf(KEPT), kept: KEPT, summary: AGENDIZE_SUMMARY, items: AGENDIZE_CHATS.map((testCase) => testCase.record), fetchedAt: new Date("2026-11-01T00:00:00Z") },
    COMPANY_ZONE,
    pseudonym,
    read,
  );
  await commitRows(lake, CHATS_TABLE, [...read.chats.values()]);
  await commitRows(lake, LIST_SUMMARIES_TABLE, [...read.summaries.values()]);
  await quarantine(lake, [...read.problems.values()].flat());
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "si-drift-corpus-"));
  lakeRoot = join(dir, "lake");
  const lake = await openLake(lakeRoot);
  try {
    await ingest(lake);
  } finally {
    lake.close();
  }
  await buildModels(lakeRoot, { publishText: false, demo: true, builtAt: new Date("2026-11-01T00:00:00Z") });
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function lakeQuery(sql: string): Promise<Array<Record<string, unknown>>> {
  const reader = await openLakeDuckDB(lakeRoot);
  try {
    return await reader.queryRows(sql);
  } finally {
    reader.close();
  }
}

/** Rows of a mart (its Parquet) or of a staging model (the models database), as JSON-safe values. */
async function modelRows(expectation: MartExpectation): Promise<Array<Record<string, unknown>>> {
  const db = await createOfflineDuckDB();
  try {
    if (expectation.model.startsWith("staging.")) {
      await db.connection.run(`ATTACH ${quoteLiteral(modelsDatabasePath(lakeRoot))} AS models (READ_ONLY)`);
      return await db.queryRows(`SELECT * FROM models.${expectation.model} WHERE ${expectation.where}`);
    }
    return await db.queryRows(`SELECT * FROM read_parquet(${quoteLiteral(martPath(lakeRoot, expectation.model))}) WHERE ${expectation.where}`);
  } finally {
    db.close();
  }
}

const APIS: Array<{ api: string; source: string; stream: string; table: string; key: string; cases: DriftCase[] }> = [
  { api: "Upscope sessions", source: "upscope", stream: "sessions", table: "upscope.sessions", key: "session_id", cases: UPSCOPE_SESSIONS },
  { api: "Upscope visitors", source: "upscope", stream: "visitors", table: "upscope.visitors", key: "visitor_id", cases: UPSCOPE_VISITORS },
  { api: "LivePerson engagements", source: "liveperson", stream: "engagements", table: "liveperson.engagements", key: "engagement_id", cases: LIVEPERSON_ENGAGEMENTS },
  { api: "Agendize chats", source: "agendize", stream: "chats", table: "agendize.chats", key: "chat_id", cases: AGENDIZE_CHATS },
];

describe("the drift corpus", () => {
  it("holds at least ten drifted payloads per API, kept and quarantined ones alike", () => {
    expect(UPSCOPE_SESSIONS.filter((c) => c.kept).length).toBeGreaterThanOrEqual(10);
    expect(LIVEPERSON_ENGAGEMENTS.filter((c) => c.kept).length).toBeGreaterThanOrEqual(10);
    expect(AGENDIZE_CHATS.filter((c) => c.kept).length).toBeGreaterThanOrEqual(10);
    for (const cases of [UPSCOPE_SESSIONS, LIVEPERSON_ENGAGEMENTS, AGENDIZE_CHATS]) expect(cases.some((c) => !c.kept)).toBe(true);
  });

  for (const { api, source, stream, table, key, cases } of APIS) {
    describe(api, () => {
      for (const testCase of cases) {
        it(`${testCase.kept ? "keeps" : "quarantines"}: ${testCase.name}`, async () => {
          const stored = await lakeQuery(`SELECT count(*)::INTEGER AS n FROM ${table} WHERE ${key} = ${quoteLiteral(testCase.id)}`);
          const quarantined = await lakeQuery(
            `SELECT field_path FROM ${source}.quarantine WHERE record_id = ${quoteLiteral(`${stream}:${testCase.id}`)} ORDER BY field_path`,
          );
          if (!testCase.kept) {
            expect(stored[0]?.n).toBe(0);
            expect(quarantined.map((row) => row.field_path)).toContain(testCase.fieldPath);
            return;
          }
          expect(stored[0]?.n).toBe(1);
          expect(quarantined).toEqual([]);
          const ledger = await lakeQuery(
            `SELECT field_path, kind FROM ${source}.drift WHERE stream = ${quoteLiteral(stream)} AND record_id = ${quoteLiteral(testCase.id)} ORDER BY ALL`,
          );
          expect(ledger.map((row) => [row.field_path, row.kind])).toEqual([...testCase.drift].sort((a, b) => `${a[0]} ${a[1]}`.localeCompare(`${b[0]} ${b[1]}`)));
          for (const expectation of testCase.marts) {
            const rows = await modelRows(expectation);
            expect(rows, `${expectation.model} WHERE ${expectation.where}`).toHaveLength(expectation.rows ?? 1);
            if ((expectation.rows ?? 1) === 1) expect(rows[0]).toMatchObject(expectation.values);
          }
        });
      }
    });
  }

  it("reads the Agendize summary's numbers sent as text as the numbers, and reports them", async () => {
    const [check] = await modelRows({ model: "agendize_duration_check", where: "true", values: {} });
    expect(check).toMatchObject({ vendor_average_chat_seconds: 95.5, vendor_chat_sessions: String(AGENDIZE_CHATS.length) });
    const ledger = await lakeQuery("SELECT field_path, kind FROM agendize.drift WHERE stream = 'list_summaries' ORDER BY ALL");
    expect(ledger).toEqual([
      { field_path: "averageChatSessionDuration", kind: "number_as_string" },
      { field_path: "chatSessions", kind: "number_as_string" },
    ]);
  });
});
