/**
 * Leftovers a crash can leave at each step of an upsert (see the argument in
 * data-loaders/lake/upsert.ts), built by hand or by stopping an upsert at a step:
 * reads must show no loss and no duplicate, and the next upsert must tidy up.
 */
import { copyFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createOfflineDuckDB, quoteLiteral, type OfflineDuckDB } from "../../data-loaders/lake/duckdb.js";
import { partitionDirectory } from "../../data-loaders/lake/layout.js";
import { listLiveFiles, upsertRecords, type UpsertStep } from "../../data-loaders/lake/upsert.js";
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

class SimulatedCrash extends Error {}

const base = [
  { id: "a", started_at: "2024-03-01T00:00:00Z", note: "a1" },
  { id: "b", started_at: "2024-03-02T00:00:00Z", note: "b1" },
  { id: "c", started_at: "2024-04-01T00:00:00Z", note: "c1" },
];
const idsAndNotes = async () => (await readTable(root, "upscope", "sessions")).map((row) => `${String(row.id)}:${String(row.note)}`);
const marchDir = () => partitionDirectory(root, "upscope", "sessions", "2024-03");

describe("crash leftovers", () => {
  it("a partial temp file (crash during COPY) is invisible and removed by the next upsert", async () => {
    await upsertRecords(db.connection, root, sessionsSpec, base);
    await writeFile(join(marchDir(), ".tmp-crashed.parquet"), "PAR1 half written");
    expect(await idsAndNotes()).toEqual(["a:a1", "b:b1", "c:c1"]);
    await upsertRecords(db.connection, root, sessionsSpec, [{ id: "d", started_at: "2024-04-09T00:00:00Z", note: "d1" }]);
    expect((await readdir(marchDir())).filter((name) => name.startsWith("."))).toEqual([]);
    expect(await idsAndNotes()).toEqual(["a:a1", "b:b1", "c:c1", "d:d1"]);
  });

  it("a complete temp file not yet renamed (crash before rename) is invisible: the old data stands", async () => {
    await upsertRecords(db.connection, root, sessionsSpec, base);
    const [marchFile] = await listLiveFiles(root, "upscope", "sessions");
    // The would-be new version, complete but still under its temporary name.
    await db.connection.run(
      `COPY (SELECT * REPLACE ('a2' AS note) FROM read_parquet(${quoteLiteral(marchFile!.path)})) TO ${quoteLiteral(join(marchDir(), ".tmp-next.parquet"))} (FORMAT parquet)`,
    );
    expect(await idsAndNotes()).toEqual(["a:a1", "b:b1", "c:c1"]);
    expect(await readRawFiles(root, "upscope", "sessions")).toHaveLength(3);
  });

  it("an old part file left beside the new one (crash before deleting it) causes no duplicate and is folded in", async () => {
    await upsertRecords(db.connection, root, sessionsSpec, base);
    const [marchFile] = await listLiveFiles(root, "upscope", "sessions");
    const oldVersion = join(root, "snapshot-of-old-march.parquet"); // outside any table directory
    await copyFile(marchFile!.path, oldVersion);
    await upsertRecords(db.connection, root, sessionsSpec, [{ id: "a", started_at: "2024-03-01T00:00:00Z", note: "a2" }]);
    // The state a crash between "rename new file in" and "delete old file" leaves in a multi-file scheme.
    await copyFile(oldVersion, join(marchDir(), "part-old-version.parquet"));
    expect(await readRawFiles(root, "upscope", "sessions")).toHaveLength(5); // physically duplicated …
    expect(await idsAndNotes()).toEqual(["a:a2", "b:b1", "c:c1"]); // … but never on read, and the newer version wins
    const repair = await upsertRecords(db.connection, root, sessionsSpec, []);
    expect(repair).toMatchObject({ monthsRepaired: ["2024-03"], staleRowsRemoved: 2 });
    expect(await readRawFiles(root, "upscope", "sessions")).toHaveLength(3);
    expect((await readdir(marchDir())).filter((name) => name.endsWith(".parquet"))).toHaveLength(1);
    expect(await idsAndNotes()).toEqual(["a:a2", "b:b1", "c:c1"]);
  });

  it("a foreign part file without _ingested_at loses to lake-written versions", async () => {
    await upsertRecords(db.connection, root, sessionsSpec, base);
    await db.connection.run(
      `COPY (SELECT 'a' AS id, TIMESTAMP '2024-03-01' AS started_at, 'foreign' AS note) TO ${quoteLiteral(join(marchDir(), "part-foreign.parquet"))} (FORMAT parquet)`,
    );
    expect(await idsAndNotes()).toEqual(["a:a1", "b:b1", "c:c1"]);
    await upsertRecords(db.connection, root, sessionsSpec, []);
    expect(await readRawFiles(root, "upscope", "sessions")).toHaveLength(3);
  });

  it.each([
    ["after staging", (step: UpsertStep) => step.kind === "staged"],
    ["after writing the new month, before removing the old copy", (step: UpsertStep) => step.kind === "month-written" && step.phase === "merge"],
  ])("a month move stopped %s loses nothing, reads no duplicate, and the next upsert repairs", async (_label, stopAt) => {
    await upsertRecords(db.connection, root, sessionsSpec, base);
    const move = [{ id: "a", started_at: "2024-05-05T00:00:00Z", note: "a-moved" }];
    await expect(
      upsertRecords(db.connection, root, sessionsSpec, move, {
        onStep: (step) => {
          if (stopAt(step)) throw new SimulatedCrash();
        },
      }),
    ).rejects.toBeInstanceOf(SimulatedCrash);
    const afterCrash = await idsAndNotes();
    expect(afterCrash).toHaveLength(3);
    expect(["a:a1", "a:a-moved"]).toContain(afterCrash[0]);
    // An unrelated upsert (here: none at all) repairs whatever was left.
    await upsertRecords(db.connection, root, sessionsSpec, []);
    const raw = await readRawFiles(root, "upscope", "sessions");
    expect(raw).toHaveLength(3);
    // Re-running the interrupted upsert converges to the intended result.
    await upsertRecords(db.connection, root, sessionsSpec, move);
    expect(await idsAndNotes()).toEqual(["a:a-moved", "b:b1", "c:c1"]);
    expect((await readRawFiles(root, "upscope", "sessions")).map((row) => `${String(row.id)}@${String(row.month)}`)).toEqual([
      "a@2024-05",
      "b@2024-03",
      "c@2024-04",
    ]);
    expect((await listTree(root)).filter((path) => path.includes("/."))).toEqual([]);
  });
});
