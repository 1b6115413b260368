import { readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openLake, type Lake } from "../../data-loaders/lake/lake.js";
import { listRawArchiveRuns } from "../../data-loaders/lake/raw-archive.js";
import { openLakeDuckDB } from "../../data-loaders/lake/read.js";
import { stateFilePath } from "../../data-loaders/lake/layout.js";
import { listTree, makeTempDir } from "./helpers.js";

let root: string;
let cleanup: () => Promise<void>;
let lake: Lake;
beforeEach(async () => {
  ({ path: root, cleanup } = await makeTempDir());
  lake = await openLake(root);
});
afterEach(async () => {
  lake.close();
  await cleanup();
});

describe("quarantine", () => {
  it("stores failing records per source, idempotently per run", async () => {
    const record = {
      source: "liveperson",
      recordId: "eng-1",
      fieldPath: "info.startTimeL",
      message: "Expected number, received string",
      raw: { info: { startTimeL: "soon" } },
      fetchedAt: new Date("2024-03-05T10:00:00Z"),
      runId: "run-1",
    };
    await lake.quarantine([record, { ...record, source: "agendize", recordId: "chat-9", fieldPath: "start.timeZone", raw: { bad: true } }]);
    await lake.quarantine([record]); // same run again: no duplicate
    await lake.quarantine([{ ...record, runId: "run-2", fetchedAt: "2024-04-01T00:00:00Z" }]);
    expect((await listTree(root)).filter((path) => path.endsWith(".parquet"))).toEqual([
      expect.stringMatching(/^source=agendize\/table=quarantine\/month=2024-03\/part-\w+\.parquet$/),
      expect.stringMatching(/^source=liveperson\/table=quarantine\/month=2024-03\/part-\w+\.parquet$/),
      expect.stringMatching(/^source=liveperson\/table=quarantine\/month=2024-04\/part-\w+\.parquet$/),
    ]);
    const reader = await openLakeDuckDB(root);
    try {
      const rows = await reader.queryRows(
        "SELECT source, record_id, field_path, message, raw_json, fetched_at, run_id FROM main.quarantine ORDER BY source, run_id",
      );
      expect(rows).toEqual([
        { source: "agendize", record_id: "chat-9", field_path: "start.timeZone", message: record.message, raw_json: '{"bad":true}', fetched_at: "2024-03-05 10:00:00", run_id: "run-1" },
        { source: "liveperson", record_id: "eng-1", field_path: "info.startTimeL", message: record.message, raw_json: '{"info":{"startTimeL":"soon"}}', fetched_at: "2024-03-05 10:00:00", run_id: "run-1" },
        { source: "liveperson", record_id: "eng-1", field_path: "info.startTimeL", message: record.message, raw_json: '{"info":{"startTimeL":"soon"}}', fetched_at: "2024-04-01 00:00:00", run_id: "run-2" },
      ]);
      const described = await reader.queryRows("DESCRIBE liveperson.quarantine");
      expect(described.map((row) => row.column_name)).toEqual(["record_id", "field_path", "message", "raw_json", "fetched_at", "run_id", "_ingested_at"]);
    } finally {
      reader.close();
    }
  });
});

describe("per-source state", () => {
  it("round-trips and is replaced atomically", async () => {
    expect(await lake.readState("liveperson")).toBeUndefined();
    const state = {
      watermarks: { engagements: "2024-03-05T10:00:00.000Z" },
      lastSuccessAt: "2024-03-05T10:05:00Z",
      lastRunId: "run-1",
      cursor: { next: "https://x/next?offset=100", windows: [1, 2, null], done: false },
    };
    const written = await lake.writeState("liveperson", state);
    expect(await lake.readState("liveperson")).toEqual(written);
    expect(written).toMatchObject({ ...state, source: "liveperson" });
    await lake.writeState("liveperson", { ...state, lastRunId: "run-2" });
    expect((await lake.readState("liveperson"))?.lastRunId).toBe("run-2");
    expect(await readdir(join(root, "_state", "source=liveperson"))).toEqual(["state.json"]); // no temp files left
    expect(await lake.readState("upscope")).toBeUndefined();
  });

  it("refuses invalid state on write and a corrupt file on read", async () => {
    await expect(lake.writeState("upscope", { watermarks: { x: "yesterday" }, lastSuccessAt: null, lastRunId: null, cursor: null })).rejects.toThrow();
    await lake.writeState("upscope", { watermarks: {}, lastSuccessAt: null, lastRunId: null, cursor: null });
    await writeFile(stateFilePath(root, "upscope"), '{"watermarks": 5}');
    await expect(lake.readState("upscope")).rejects.toThrow(/Corrupt sync state for source "upscope"/);
  });
});

describe("raw response archive", () => {
  it("writes gzip NDJSON per run, redacts URLs, and replays in order", async () => {
    const writer = await lake.openRawArchive("agendize", "20240305T100000Z-a1", { maxRecordsPerFile: 2 });
    const bodies = ['{"items":[1]}', '{"items":[2]}', "{not json at all", '{"items":[]}', "é unicode ✓"];
    for (const [index, body] of bodies.entries()) {
      await writer.append({
        fetchedAt: `2024-03-05T10:00:0${index}Z`,
        method: "GET",
        url: `https://api.agendize.com/api/2.0/chat/history?apiKey=SECRET&token=SECRET2&page=${index}`,
        status: 200,
        body,
      });
    }
    await writer.close();
    const second = await lake.openRawArchive("agendize", "20240306T100000Z-b2");
    await second.append({ fetchedAt: "2024-03-06T10:00:00Z", method: "POST", url: "https://x.test/search", status: 200, requestBody: { filter: 1 }, body: "[]" });
    await second.close();

    const runDir = join(root, "_raw", "source=agendize", "run=20240305T100000Z-a1");
    expect(await readdir(runDir)).toEqual(["part-00000.ndjson.gz", "part-00001.ndjson.gz", "part-00002.ndjson.gz"]);
    const firstFile = gunzipSync(readFileSync(join(runDir, "part-00000.ndjson.gz"))).toString("utf8");
    expect(firstFile).not.toContain("SECRET");
    expect(firstFile.trim().split("\n")).toHaveLength(2);

    expect(await listRawArchiveRuns(root, "agendize")).toEqual(["20240305T100000Z-a1", "20240306T100000Z-b2"]);
    const replayed = [];
    for await (const response of lake.iterateRawArchive("agendize")) replayed.push(response);
    expect(replayed.map((response) => response.body)).toEqual([...bodies, "[]"]);
    expect(replayed[0]).toEqual({
      source: "agendize",
      runId: "20240305T100000Z-a1",
      fetchedAt: "2024-03-05T10:00:00Z",
      method: "GET",
      url: "https://api.agendize.com/api/2.0/chat/history?apiKey=[REDACTED]&token=[REDACTED]&page=0",
      status: 200,
      body: '{"items":[1]}',
    });
    expect(replayed[5]).toMatchObject({ runId: "20240306T100000Z-b2", requestBody: { filter: 1 } });
    const oneRun = [];
    for await (const response of lake.iterateRawArchive("agendize", { runId: "20240306T100000Z-b2" })) oneRun.push(response);
    expect(oneRun).toHaveLength(1);
  });

  it("ignores an unfinished chunk a crash left and continues numbering when a run is reopened", async () => {
    const writer = await lake.openRawArchive("upscope", "run-1");
    await writer.append({ fetchedAt: "2024-01-01T00:00:00Z", method: "GET", url: "https://x.test/a", status: 200, body: "1" });
    await writer.close();
    const runDir = join(root, "_raw", "source=upscope", "run=run-1");
    await writeFile(join(runDir, ".tmp-crashed-part-00001.ndjson.gz"), Buffer.from([0x1f, 0x8b, 0x08])); // truncated gzip
    const reopened = await lake.openRawArchive("upscope", "run-1");
    await reopened.append({ fetchedAt: "2024-01-01T00:00:01Z", method: "GET", url: "https://x.test/b", status: 200, body: "2" });
    await reopened.close();
    const bodies = [];
    for await (const response of lake.iterateRawArchive("upscope")) bodies.push(response.body);
    expect(bodies).toEqual(["1", "2"]);
    await expect(lake.openRawArchive("upscope", "../escape")).rejects.toThrow(/Invalid run id/);
  });
});
