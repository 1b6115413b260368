import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createOfflineDuckDB, quoteLiteral, type OfflineDuckDB } from "../../data-loaders/lake/duckdb.js";
import { lakeTableExists, openLakeDuckDB } from "../../data-loaders/lake/read.js";
import { listLiveFiles, upsertRecords } from "../../data-loaders/lake/upsert.js";
import { validateTableSpec, type TableSpec } from "../../data-loaders/lake/table-spec.js";
import { listTree, makeTempDir, readRawFiles, readTable, sessionsSpec } from "./helpers.js";

let root: string;
let cleanup: () => Promise<void>;
let db: OfflineDuckDB;
beforeEach(async () => {
  ({ path: root, cleanup } = await makeTempDir());
  db = await createOfflineDuckDB();
});
afterEach(async () => {
  db.close();
  await cleanup();
});

const upsert = (rows: Array<Record<string, unknown>>, spec: TableSpec = sessionsSpec) => upsertRecords(db.connection, root, spec, rows);

const march = [
  { id: "s1", started_at: "2024-03-01T10:00:00Z", duration_s: 60, agent_ids: ["a1", "a2"], score: 0.5, note: "first" },
  { id: "s2", started_at: "2024-03-31T23:30:00-02:00", duration_s: 120, agent_ids: [], score: null, note: null }, // = 2024-04-01T01:30Z
  { id: "s3", started_at: new Date("2024-03-15T08:00:00.123Z"), duration_s: 5n, note: "bigint + Date" },
];

describe("offline DuckDB", () => {
  it("uses only built-in extensions and has auto-install off", async () => {
    const rows = await db.queryRows(
      "SELECT extension_name, install_mode FROM duckdb_extensions() WHERE extension_name IN ('parquet', 'json', 'icu') ORDER BY 1",
    );
    expect(rows).toEqual([
      { extension_name: "icu", install_mode: "STATICALLY_LINKED" },
      { extension_name: "json", install_mode: "STATICALLY_LINKED" },
      { extension_name: "parquet", install_mode: "STATICALLY_LINKED" },
    ]);
    const settings = await db.queryRows(
      "SELECT name, value FROM duckdb_settings() WHERE name IN ('autoinstall_known_extensions', 'autoload_known_extensions', 'TimeZone') ORDER BY 1",
    );
    expect(settings).toEqual([
      { name: "TimeZone", value: "UTC" },
      { name: "autoinstall_known_extensions", value: "false" },
      { name: "autoload_known_extensions", value: "false" },
    ]);
  });
});

describe("upsertRecords", () => {
  it("writes Hive-partitioned Parquet with standard types only", async () => {
    await upsert(march);
    expect(await listTree(root)).toEqual([
      expect.stringMatching(/^source=upscope\/table=sessions\/_inventory\.json$/),
      expect.stringMatching(/^source=upscope\/table=sessions\/_table\.json$/),
      expect.stringMatching(/^source=upscope\/table=sessions\/month=2024-03\/part-[0-9a-f]{16}\.parquet$/),
      expect.stringMatching(/^source=upscope\/table=sessions\/month=2024-04\/part-[0-9a-f]{16}\.parquet$/),
    ]);
    const glob = quoteLiteral(`${root}/source=*/table=*/month=*/*.parquet`);
    const described = await db.queryRows(`DESCRIBE SELECT * FROM read_parquet(${glob}, hive_partitioning = true)`);
    expect(Object.fromEntries(described.map((row) => [row.column_name, row.column_type]))).toEqual({
      id: "VARCHAR",
      started_at: "TIMESTAMP",
      duration_s: "BIGINT",
      agent_ids: "VARCHAR[]",
      score: "DOUBLE",
      note: "VARCHAR",
      _ingested_at: "TIMESTAMP",
      source: "VARCHAR",
      table: "VARCHAR",
      month: "VARCHAR",
    });
    // The Parquet physical/logical types other engines see: INT64 timestamps not adjusted to a zone, no INT96/HUGEINT.
    const schema = await db.queryRows(
      `SELECT DISTINCT name, type, logical_type FROM parquet_schema(${glob}) WHERE name IN ('started_at', '_ingested_at', 'duration_s') ORDER BY name`,
    );
    expect(schema).toEqual([
      { name: "_ingested_at", type: "INT64", logical_type: expect.stringContaining("TimestampType(isAdjustedToUTC=0") },
      { name: "duration_s", type: "INT64", logical_type: null },
      { name: "started_at", type: "INT64", logical_type: expect.stringContaining("TimestampType(isAdjustedToUTC=0") },
    ]);
    const allTypes = await db.queryRows(`SELECT DISTINCT duckdb_type FROM parquet_schema(${glob}) WHERE duckdb_type IS NOT NULL ORDER BY 1`);
    expect(allTypes.map((row) => row.duckdb_type)).not.toContainEqual(expect.stringMatching(/HUGEINT|TIME ZONE|UNION|MAP/));
  });

  it("converts offsets, Dates and epoch milliseconds to UTC", async () => {
    await upsert([...march, { id: "s4", started_at: Date.UTC(2024, 4, 1, 12), duration_s: 1 }]);
    const rows = await readTable(root, "upscope", "sessions");
    expect(rows.map((row) => [row.id, row.started_at])).toEqual([
      ["s1", "2024-03-01 10:00:00"],
      ["s2", "2024-04-01 01:30:00"],
      ["s3", "2024-03-15 08:00:00.123"],
      ["s4", "2024-05-01 12:00:00"],
    ]);
    expect(rows[0]).toEqual({ id: "s1", started_at: "2024-03-01 10:00:00", duration_s: "60", agent_ids: ["a1", "a2"], score: 0.5, note: "first" });
  });

  it("is idempotent: the same rows twice give the same rows and files", async () => {
    await upsert(march);
    const firstRows = await readTable(root, "upscope", "sessions");
    const firstFiles = await listTree(root);
    const second = await upsert(march);
    expect(await readTable(root, "upscope", "sessions")).toEqual(firstRows);
    expect(await listTree(root)).toEqual(firstFiles);
    expect(await readRawFiles(root, "upscope", "sessions")).toHaveLength(3);
    expect(second).toMatchObject({ rowsWritten: 3, staleRowsRemoved: 0, monthsRepaired: [] });
  });

  it("replaces a record fetched again (latest wins), also within one batch", async () => {
    await upsert(march);
    await upsert([
      { id: "s1", started_at: "2024-03-01T10:00:00Z", duration_s: 61, note: "second" },
      { id: "s3", started_at: "2024-03-15T08:00:00Z", duration_s: 6, note: "older in batch" },
      { id: "s3", started_at: "2024-03-15T08:00:00Z", duration_s: 7, note: "newer in batch" },
    ]);
    const rows = await readTable(root, "upscope", "sessions");
    expect(rows.map((row) => [row.id, row.duration_s, row.note, row.agent_ids])).toEqual([
      ["s1", "61", "second", null], // whole-record replacement, not a field merge
      ["s2", "120", null, []],
      ["s3", "7", "newer in batch", null],
    ]);
    expect(await readRawFiles(root, "upscope", "sessions")).toHaveLength(3);
  });

  it("moves a record whose partition timestamp changed month, leaving no copy behind", async () => {
    await upsert(march);
    const result = await upsert([{ id: "s1", started_at: "2024-06-02T00:00:00Z", duration_s: 1, note: "moved" }]);
    expect(result).toMatchObject({ monthsMerged: ["2024-06"], monthsRepaired: ["2024-03"], staleRowsRemoved: 1 });
    const raw = await readRawFiles(root, "upscope", "sessions");
    expect(raw.map((row) => [row.id, row.month])).toEqual([
      ["s1", "2024-06"],
      ["s2", "2024-04"],
      ["s3", "2024-03"],
    ]);
    // Moving the last record out of a month removes that month.
    await upsert([{ id: "s2", started_at: "2024-06-03T00:00:00Z", duration_s: 2 }]);
    expect((await listLiveFiles(root, "upscope", "sessions")).map((file) => file.month)).toEqual(["2024-03", "2024-06"]);
  });

  it("supports composite keys", async () => {
    const spec: TableSpec = {
      source: "liveperson",
      name: "transcript_lines",
      primaryKey: ["engagement_id", "line_seq"],
      partitionColumn: "sent_at",
      columns: { engagement_id: "VARCHAR", line_seq: "INTEGER", sent_at: "TIMESTAMP", text: "VARCHAR" },
    };
    await upsert([{ engagement_id: "e1", line_seq: 1, sent_at: "2024-01-01T00:00:00Z", text: "a" }, { engagement_id: "e1", line_seq: 2, sent_at: "2024-01-01T00:00:01Z", text: "b" }], spec);
    await upsert([{ engagement_id: "e1", line_seq: 2, sent_at: "2024-01-01T00:00:01Z", text: "b2" }, { engagement_id: "e2", line_seq: 1, sent_at: "2024-01-01T00:00:02Z", text: "c" }], spec);
    expect((await readTable(root, "liveperson", "transcript_lines", "engagement_id, line_seq")).map((row) => row.text)).toEqual(["a", "b2", "c"]);
  });

  it("rejects null keys, bad values and non-portable types with clear errors", async () => {
    await expect(upsert([{ id: null, started_at: "2024-01-01T00:00:00Z" }])).rejects.toThrow(/null primary key \(id\)/);
    await expect(upsert([{ id: "x", started_at: null }])).rejects.toThrow(/partition column \(started_at\)/);
    await expect(upsert([{ id: "x", started_at: "2024-01-01T00:00:00Z", note: { nested: true } }])).rejects.toThrow(/row 0, column "note"/);
    expect(() => validateTableSpec({ ...sessionsSpec, columns: { ...sessionsSpec.columns, big: "HUGEINT" as "BIGINT" } })).toThrow(/not a portable lake type/);
    expect(() => validateTableSpec({ ...sessionsSpec, columns: { ...sessionsSpec.columns, at: "TIMESTAMPTZ" as "TIMESTAMP" } })).toThrow(/not a portable/);
    expect(() => validateTableSpec({ ...sessionsSpec, columns: { ...sessionsSpec.columns, month: "VARCHAR" } })).toThrow(/reserved/);
    expect(() => validateTableSpec({ ...sessionsSpec, partitionColumn: "note" })).toThrow(/must be a TIMESTAMP/);
  });

  it("reads old files after a column is added to the spec (NULL for the new column)", async () => {
    await upsert(march);
    const widened: TableSpec = { ...sessionsSpec, columns: { ...sessionsSpec.columns, channel: "VARCHAR" } };
    await upsert([{ id: "s9", started_at: "2024-04-20T00:00:00Z", channel: "web" }], widened);
    const rows = await readTable(root, "upscope", "sessions");
    expect(rows.map((row) => [row.id, row.channel])).toEqual([
      ["s1", null],
      ["s2", null],
      ["s3", null],
      ["s9", "web"],
    ]);
  });
});

describe("openLakeDuckDB and lakeTableExists", () => {
  it("creates a view per table and reports existence", async () => {
    expect(await lakeTableExists(root, "upscope", "sessions")).toBe(false);
    await upsert(march);
    expect(await lakeTableExists(root, "upscope", "sessions")).toBe(true);
    expect(await lakeTableExists(root, "upscope", "visitors")).toBe(false);
    const reader = await openLakeDuckDB(root);
    try {
      expect(reader.tables).toEqual([{ source: "upscope", table: "sessions" }]);
      expect(await reader.queryRows(`SELECT count(*)::INTEGER AS n FROM upscope.sessions`)).toEqual([{ n: 3 }]);
    } finally {
      reader.close();
    }
  });
});

describe("lake root", () => {
  it("refuses a root with glob characters, which DuckDB would expand", async () => {
    await expect(openLakeDuckDB("/tmp/lake[1]")).rejects.toThrow(/glob characters/);
    await expect(upsertRecords(db.connection, "/tmp/la*ke", sessionsSpec, [])).rejects.toThrow(/glob characters/);
  });
});

describe("upsertRecords with skipUnchangedBy", () => {
  const hashed = (id: string, startedAt: string, hash: string) => ({ id, started_at: startedAt, note: hash });
  const skip = { skipUnchangedBy: "note" };

  it("leaves out rows whose newest stored version is the same, and rewrites no month for them", async () => {
    await upsert([hashed("a", "2024-03-01T00:00:00Z", "h1"), hashed("b", "2024-04-01T00:00:00Z", "h1")]);
    const files = await listLiveFiles(root, "upscope", "sessions");
    const same = await upsertRecords(db.connection, root, sessionsSpec, [hashed("a", "2024-03-01T00:00:00Z", "h1"), hashed("b", "2024-04-01T00:00:00Z", "h1")], skip);
    expect(same.rowsWritten).toBe(0);
    expect(same.monthsMerged).toEqual([]);
    expect(await listLiveFiles(root, "upscope", "sessions")).toEqual(files);

    const oneChanged = await upsertRecords(db.connection, root, sessionsSpec, [hashed("a", "2024-03-01T00:00:00Z", "h2"), hashed("b", "2024-04-01T00:00:00Z", "h1"), hashed("c", "2024-04-02T00:00:00Z", "h1")], skip);
    expect(oneChanged.rowsWritten).toBe(2);
    expect(oneChanged.monthsMerged).toEqual(["2024-03", "2024-04"]);
    expect((await readTable(root, "upscope", "sessions")).map((row) => `${String(row.id)}:${String(row.note)}`)).toEqual(["a:h2", "b:h1", "c:h1"]);
  });

  it("compares with the version readers see, even when a crash left an older copy in another month", async () => {
    await upsert([hashed("a", "2024-03-01T00:00:00Z", "v1")]);
    // The record moves to May with new content, and the upsert stops before removing March's copy.
    await expect(
      upsertRecords(db.connection, root, sessionsSpec, [hashed("a", "2024-05-01T00:00:00Z", "v2")], {
        onStep: (step) => {
          if (step.kind === "month-written" && step.phase === "merge") throw new Error("crash");
        },
      }),
    ).rejects.toThrow("crash");
    expect(await readRawFiles(root, "upscope", "sessions")).toHaveLength(2);
    // The vendor moves it back with the old content: March's stale copy matches it, but readers see v2, so it must be written.
    const back = await upsertRecords(db.connection, root, sessionsSpec, [hashed("a", "2024-03-01T00:00:00Z", "v1")], skip);
    expect(back.rowsWritten).toBe(1);
    expect((await readTable(root, "upscope", "sessions")).map((row) => `${String(row.id)}:${String(row.note)}`)).toEqual(["a:v1"]);
    expect(await readRawFiles(root, "upscope", "sessions")).toHaveLength(1);
  });

  it("refuses a column the table does not have", async () => {
    await upsert([hashed("a", "2024-03-01T00:00:00Z", "h1")]);
    await expect(upsertRecords(db.connection, root, sessionsSpec, [hashed("a", "2024-03-01T00:00:00Z", "h1")], { skipUnchangedBy: "nope" })).rejects.toThrow(/not a column/);
  });
});
