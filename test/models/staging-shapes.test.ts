/**
 * One shape per record: every `from_json(record_json, '<struct>')` of a model fits the
 * zod schema whose output the sync stores in that table's `record_json`, so a field
 * renamed in a schema and not in the SQL (or misspelt in the SQL) fails here instead
 * of turning a published column into NULLs. The table below is the one place that says
 * which schema each model's records are; a model that parses record_json and is not
 * in it fails the test.
 */
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { ChatSessionRecord } from "../../data-loaders/agendize/schemas.js";
import { CHATS_TABLE } from "../../data-loaders/agendize/stream.js";
import { arrayWithoutNulls, lenientId, lenientNumber, openEnum, openObject, openText } from "../../data-loaders/drift/policy.js";
import { RecordedEvent } from "../../data-loaders/embedded/schemas.js";
import { EVENTS_TABLE as EMBEDDED_EVENTS_TABLE } from "../../data-loaders/embedded/stream.js";
import type { TableSpec } from "../../data-loaders/lake/index.js";
import { InteractionHistoryRecord } from "../../data-loaders/liveperson/schemas.js";
import { ENGAGEMENTS_TABLE } from "../../data-loaders/liveperson/stream.js";
import { fromJsonCalls, structMismatches, type DuckDBJsonStruct, type FromJsonCall } from "../../data-loaders/models/json-shape.js";
import type { Model } from "../../data-loaders/models/model.js";
import { loadModels } from "../../data-loaders/models/run.js";
import { SOURCE_TABLES } from "../../data-loaders/models/source-tables.js";
import { Session, Visitor } from "../../data-loaders/upscope/schemas.js";
import { SESSIONS_TABLE, VISITORS_TABLE } from "../../data-loaders/upscope/stream.js";

/** A lake table and the schema whose validated output its `record_json` holds (see each source's stream.ts). */
interface StoredRecord {
  table: TableSpec;
  schema: z.core.$ZodType;
}

/** mapChat: the ChatSessionRecord the sync validated, local times and all. */
const AGENDIZE_CHAT: StoredRecord = { table: CHATS_TABLE, schema: ChatSessionRecord };
/** mapEngagement: the InteractionHistoryRecord as validated. */
const LIVEPERSON_ENGAGEMENT: StoredRecord = { table: ENGAGEMENTS_TABLE, schema: InteractionHistoryRecord };
/** mapSession: the Session as validated (its visitor_id filled in from its visitor when absent). */
const UPSCOPE_SESSION: StoredRecord = { table: SESSIONS_TABLE, schema: Session };
/** mapVisitor: the Visitor without its sessions and history, which are not stored with it. */
const UPSCOPE_VISITOR: StoredRecord = { table: VISITORS_TABLE, schema: Visitor.omit({ sessions: true, history: true }) };
/** mapRecordedEvent: the RecordedEvent as validated (without the collector's receivedAt, a column of its own). */
const EMBEDDED_EVENT: StoredRecord = { table: EMBEDDED_EVENTS_TABLE, schema: RecordedEvent };

const MODEL_RECORDS: Readonly<Record<string, StoredRecord>> = {
  "staging.stg_agendize__chats": AGENDIZE_CHAT,
  "staging.stg_agendize__messages": AGENDIZE_CHAT,
  "staging.stg_embedded__events": EMBEDDED_EVENT,
  "staging.stg_liveperson__cobrowse_sessions": LIVEPERSON_ENGAGEMENT,
  "staging.stg_liveperson__engagements": LIVEPERSON_ENGAGEMENT,
  "staging.stg_liveperson__survey_answers": LIVEPERSON_ENGAGEMENT,
  "staging.stg_liveperson__transcript_lines": LIVEPERSON_ENGAGEMENT,
  "staging.stg_upscope__session_agents": UPSCOPE_SESSION,
  "staging.stg_upscope__session_features": UPSCOPE_SESSION,
  "staging.stg_upscope__sessions": UPSCOPE_SESSION,
  "staging.stg_upscope__visitors": UPSCOPE_VISITOR,
};

type ModelSql = Pick<Model, "layer" | "name" | "sql">;

/** Everything that keeps the models' structs from matching their records' schemas, one line each. */
function shapeProblems(models: readonly ModelSql[], records: Readonly<Record<string, StoredRecord>>): string[] {
  const problems: string[] = [];
  const refs = new Set<string>();
  for (const model of models) {
    const ref = `${model.layer}.${model.name}`;
    refs.add(ref);
    let calls: FromJsonCall[];
    try {
      calls = fromJsonCalls(model.sql);
    } catch (error) {
      problems.push(`${ref}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    const record = records[ref];
    if (calls.length === 0) {
      if (record) problems.push(`${ref}: mapped to ${tableName(record.table)}, but parses no record_json`);
      continue;
    }
    if (!record) {
      problems.push(`${ref}: parses record_json but is not in the model → schema table, so its struct is not checked`);
      continue;
    }
    const table = tableName(record.table);
    if (!SOURCE_TABLES.includes(record.table) || record.table.columns["record_json"] === undefined) {
      problems.push(`${ref}: ${table} is not a source table with a record_json column`);
    }
    if (!new RegExp(`\\bFROM\\s+${table.replace(".", "\\.")}\\b`, "i").test(model.sql)) problems.push(`${ref}: does not read ${table}, its mapped table`);
    for (const call of calls) {
      if (call.argument !== "record_json") problems.push(`${ref}: from_json(${call.argument}, …) parses something other than record_json`);
      for (const mismatch of structMismatches(call.struct, record.schema)) problems.push(`${ref}: ${mismatch.path}: ${mismatch.problem}`);
    }
  }
  for (const ref of Object.keys(records)) if (!refs.has(ref)) problems.push(`${ref}: in the model → schema table, but no such model`);
  return problems;
}

const tableName = (table: TableSpec) => `${table.source}.${table.name}`;

describe("staging structs and zod schemas", () => {
  it("every from_json struct of the models fits its record's schema, and every model that parses record_json is mapped", async () => {
    const models = await loadModels();
    expect(shapeProblems(models, MODEL_RECORDS)).toEqual([]);
    // The check looked at something: every mapped model parses record_json.
    expect(models.filter((model) => fromJsonCalls(model.sql).length > 0).map((model) => `${model.layer}.${model.name}`).sort()).toEqual(
      Object.keys(MODEL_RECORDS).sort(),
    );
  });
});

describe("the shape check", () => {
  const Chat = openObject({
    id: lenientId(),
    visitor: openObject({ operating_system: openText().nullish(), country: openText().nullish() }).nullish(),
    messages: arrayWithoutNulls(openObject({ source: openEnum(["operator", "visitor"]).nullish(), sent: openObject({ dateTime: z.string() }) })),
  });
  const check = (struct: DuckDBJsonStruct, schema: z.core.$ZodType = Chat) => structMismatches(struct, schema);

  it("accepts a struct that reads declared fields with fitting types, through optionals, nullables, lists and pipes", () => {
    expect(check({ id: "VARCHAR", visitor: { country: "VARCHAR" }, messages: [{ source: "VARCHAR", sent: { dateTime: "VARCHAR" } }] })).toEqual([]);
  });

  it("reports a field the schema renamed", () => {
    // The schema says operating_system; the struct still reads the old name.
    expect(check({ visitor: { operatingSystem: "VARCHAR", country: "VARCHAR" } })).toEqual([{ path: "visitor.operatingSystem", problem: "not a field of the schema" }]);
  });

  it("reports a misspelt struct field, inside a list too", () => {
    expect(check({ messages: [{ sourse: "VARCHAR", sent: { dateTim: "VARCHAR" } }] })).toEqual([
      { path: "messages[].sourse", problem: "not a field of the schema" },
      { path: "messages[].sent.dateTim", problem: "not a field of the schema" },
    ]);
  });

  it("reports a type that does not fit", () => {
    expect(check({ id: "BIGINT", visitor: "VARCHAR", messages: { source: "VARCHAR" } })).toEqual([
      // lenientId turns a number sent for an id into its text: the record holds text.
      { path: "id", problem: "the struct reads BIGINT, the schema gives text" },
      { path: "visitor", problem: "the struct reads VARCHAR, the schema gives object" },
      { path: "messages", problem: "the struct reads an object, the schema gives list" },
    ]);
    expect(check({ id: ["VARCHAR"] })).toEqual([{ path: "id", problem: "the struct reads a list, the schema gives text" }]);
    expect(check({ id: "VARCHR" })).toEqual([{ path: "id", problem: "VARCHR is not a DuckDB type this check knows" }]);
  });

  it("reads numbers and booleans by their output, and a number as text only when the schema takes it as text too", () => {
    const Measures = z.object({ plain: z.number(), lenient: lenientNumber(), flag: z.boolean().optional(), codes: arrayWithoutNulls(lenientNumber()) });
    expect(check({ plain: "DOUBLE", lenient: "BIGINT", flag: "BOOLEAN", codes: ["INTEGER"] }, Measures)).toEqual([]);
    expect(check({ lenient: "VARCHAR", codes: "BIGINT[]" }, Measures)).toEqual([]);
    expect(check({ plain: "VARCHAR", flag: "VARCHAR", codes: ["BOOLEAN"] }, Measures)).toEqual([
      { path: "plain", problem: "the struct reads VARCHAR, the schema gives number" },
      { path: "flag", problem: "the struct reads VARCHAR, the schema gives boolean" },
      { path: "codes[]", problem: "the struct reads BOOLEAN, the schema gives number (also sent as text)" },
    ]);
  });

  it("finds a field in any object of a union, any key of a record, and anything under JSON or unknown", () => {
    const Event = z.discriminatedUnion("type", [
      openObject({ type: z.literal("state"), state: openObject({ mode: z.string() }) }),
      openObject({ type: z.literal("error"), error: z.string() }),
    ]);
    expect(check({ type: "VARCHAR", error: "VARCHAR", state: { mode: "VARCHAR" } }, Event)).toEqual([]);
    expect(check({ state: { mood: "VARCHAR" } }, Event)).toEqual([{ path: "state.mood", problem: "not a field of the schema" }]);
    const Loose = z.object({ metadata: z.record(z.string(), z.number()), payload: z.unknown(), id: z.string() });
    expect(check({ metadata: { anything: "DOUBLE" }, payload: { deep: ["VARCHAR"] }, id: "JSON" }, Loose)).toEqual([]);
    expect(check({ metadata: { anything: "VARCHAR" } }, Loose)).toEqual([{ path: "metadata.anything", problem: "the struct reads VARCHAR, the schema gives number" }]);
  });

  it("reads every from_json struct of a model's SQL, and refuses one it cannot read", () => {
    const sql = `-- from_json(record_json, '{"commented": "out"}')
      SELECT from_json(record_json, '{"name": "VARCHAR", "it''s": "VARCHAR"}') AS r, from_json(other, '{"a": ["BIGINT"]}').a FROM t`;
    expect(fromJsonCalls(sql)).toEqual([
      { argument: "record_json", struct: { name: "VARCHAR", "it's": "VARCHAR" } },
      { argument: "other", struct: { a: ["BIGINT"] } },
    ]);
    expect(() => fromJsonCalls("SELECT from_json(record_json, shape) FROM t")).toThrow(/without a literal struct/);
    expect(() => fromJsonCalls(`SELECT from_json(record_json, '{"a": 1}') FROM t`)).toThrow(/not an object of DuckDB types/);
    expect(() => fromJsonCalls(`SELECT from_json(record_json, '{"a": ') FROM t`)).toThrow(/not JSON/);
  });

  it("fails for a model that is not mapped, a stale mapping, a wrong table and a mismatch", () => {
    const model = (name: string, sql: string): ModelSql => ({ layer: "staging", name, sql });
    const reads = (struct: string, table = "agendize.chats") => `SELECT from_json(record_json, '${struct}') AS r FROM ${table}`;
    const models = [
      model("stg_new", reads('{"id": "VARCHAR"}')),
      model("stg_wrong_table", reads('{"id": "VARCHAR"}', "upscope.sessions")),
      model("stg_renamed", reads('{"visitor": {"operatingSystem": "VARCHAR"}}')),
      model("stg_plain", "SELECT chat_id FROM agendize.chats"),
    ];
    const chat = { table: CHATS_TABLE, schema: Chat };
    expect(
      shapeProblems(models, { "staging.stg_wrong_table": chat, "staging.stg_renamed": chat, "staging.stg_plain": chat, "staging.stg_gone": chat }),
    ).toEqual([
      "staging.stg_new: parses record_json but is not in the model → schema table, so its struct is not checked",
      "staging.stg_wrong_table: does not read agendize.chats, its mapped table",
      "staging.stg_renamed: visitor.operatingSystem: not a field of the schema",
      "staging.stg_plain: mapped to agendize.chats, but parses no record_json",
      "staging.stg_gone: in the model → schema table, but no such model",
    ]);
  });
});
