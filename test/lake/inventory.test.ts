/**
 * The lake's record of its own files: what the writer committed is checked before
 * each write and by inspectLake, so a deleted, truncated or altered month file is
 * named instead of silently dropping its rows, while a kill between the rename and
 * the record, a copy that moved an mtime, or a file copied in are not damage.
 */
import { createHash } from "node:crypto";
import { copyFile, readFile, rm, stat, truncate, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createOfflineDuckDB, quoteLiteral, type OfflineDuckDB } from "../../data-loaders/lake/duckdb.js";
import { inspectLake, inventoryPath, LakeDamageError, TableInventoryHandle } from "../../data-loaders/lake/inventory.js";
import { partitionDirectory } from "../../data-loaders/lake/layout.js";
import { listLiveFiles, upsertRecords, type UpsertStep } from "../../data-loaders/lake/upsert.js";
import { listTree, makeTempDir, readTable, sessionsSpec } from "./helpers.js";

let root: string;
let cleanup: () => Promise<void>;
let db: OfflineDuckDB;
beforeEach(async () => {
  ({ path: root, cleanup } = await makeTempDir("lake-inventory-"));
  db = await createOfflineDuckDB();
});
afterEach(async () => {
  db.close();
  await cleanup();
});

class SimulatedCrash extends Error {}

const rows = [
  { id: "a", started_at: "2024-03-01T00:00:00Z", note: "a1" },
  { id: "b", started_at: "2024-03-02T00:00:00Z", note: "b1" },
  { id: "c", started_at: "2024-04-01T00:00:00Z", note: "c1" },
];
const upsert = (batch: Array<Record<string, unknown>>, onStep?: (step: UpsertStep) => void) => upsertRecords(db.connection, root, sessionsSpec, batch, { onStep });
const marchFile = async () => (await listLiveFiles(root, "upscope", "sessions")).find((file) => file.month === "2024-03")?.path ?? "";
const sha256 = async (path: string) => createHash("sha256").update(await readFile(path)).digest("hex");
const storedInventory = async () =>
  JSON.parse(await readFile(inventoryPath(root, "upscope", "sessions"), "utf8")) as { files: Record<string, { rows: number; sha256: string; mtimeNs: string; bytes: number }>; pending: unknown };

async function damageFromUpsert(): Promise<LakeDamageError> {
  const error = await upsert([{ id: "d", started_at: "2024-03-09T00:00:00Z", note: "d1" }]).catch((thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(LakeDamageError);
  return error as LakeDamageError;
}

describe("the table inventory", () => {
  it("records each committed month file with its rows, size and SHA-256", async () => {
    await upsert(rows);
    const { files, pending } = await storedInventory();
    expect(pending).toBeNull();
    const march = await marchFile();
    expect(Object.keys(files).sort()).toEqual([`month=2024-03/${march.split("/").at(-1)}`, expect.stringMatching(/^month=2024-04\/part-/)]);
    const entry = files[`month=2024-03/${march.split("/").at(-1)}`];
    expect(entry).toMatchObject({ rows: 2, bytes: (await stat(march)).size, sha256: await sha256(march) });
    expect(await inspectLake(root)).toEqual([]);
  });

  it("names a deleted month file with its recorded rows and the command that restores it, and writes nothing", async () => {
    await upsert(rows);
    const march = await marchFile();
    await rm(march);
    const before = await listTree(root);
    const damages = await inspectLake(root);
    expect(damages).toEqual([expect.objectContaining({ source: "upscope", table: "sessions", month: "2024-03", file: march, problem: "missing", recordedRows: 2 })]);
    const error = await damageFromUpsert();
    expect(error.message).toContain(`${march} is missing (2 rows recorded)`);
    expect(error.message).toContain("`npm run sync -- --replay --source upscope`");
    expect(await listTree(root)).toEqual(before); // the merge did not rewrite March without a and b
  });

  it("names a truncated month file instead of failing inside DuckDB", async () => {
    await upsert(rows);
    const march = await marchFile();
    const { size } = await stat(march);
    await truncate(march, Math.floor(size / 2));
    expect(await inspectLake(root)).toEqual([expect.objectContaining({ problem: "truncated", detail: `is truncated (${Math.floor(size / 2)} of ${size} bytes)` })]);
    expect((await damageFromUpsert()).message).toContain(`${march} is truncated`);
  });

  it("re-hashes only a file whose mtime moved: the same bytes are accepted (and the new mtime kept), other bytes are not", async () => {
    await upsert(rows);
    const march = await marchFile();
    const copy = join(root, "copy.parquet");
    await copyFile(march, copy);
    await copyFile(copy, march); // as a restore from a mirror does: same bytes, new mtime
    const later = new Date(Date.now() + 5_000);
    await utimes(march, later, later);
    expect(await inspectLake(root)).toEqual([]);
    const entry = Object.values((await storedInventory()).files).find((file) => file.rows === 2);
    expect(entry?.mtimeNs).toBe((await stat(march, { bigint: true })).mtimeNs.toString());

    const bytes = await readFile(march);
    bytes[Math.floor(bytes.length / 2)] = (bytes[Math.floor(bytes.length / 2)] ?? 0) ^ 0xff;
    await writeFile(march, bytes);
    expect(await inspectLake(root)).toEqual([expect.objectContaining({ problem: "changed", detail: "has changed (same size, different content)" })]);
  });

  it.each([
    ["after recording the change as pending, before the rename", "month-pending"],
    ["after the rename, before recording it as committed", "month-renamed"],
  ])("takes a kill %s for what it is, not for damage", async (_, kind) => {
    await upsert(rows);
    await expect(
      upsert([{ id: "a", started_at: "2024-03-01T00:00:00Z", note: "a2" }], (step) => {
        if (step.kind === kind) throw new SimulatedCrash();
      }),
    ).rejects.toThrow(SimulatedCrash);
    expect(await inspectLake(root)).toEqual([]);
    const march = await marchFile();
    const { files, pending } = await storedInventory();
    expect(pending).toBeNull();
    expect(Object.values(files).find((file) => file.rows === 2)?.sha256).toBe(await sha256(march)); // the record follows the disk
    expect((await readTable(root, "upscope", "sessions")).map((row) => row.note)).toEqual([kind === "month-pending" ? "a1" : "a2", "b1", "c1"]);
    await upsert([{ id: "a", started_at: "2024-03-01T00:00:00Z", note: "a3" }]);
    expect((await readTable(root, "upscope", "sessions")).map((row) => row.note)).toEqual(["a3", "b1", "c1"]);
  });

  it("adopts a part file it did not write once its footer reads, and names one that does not", async () => {
    await upsert(rows);
    const directory = partitionDirectory(root, "upscope", "sessions", "2024-03");
    await db.connection.run(`COPY (SELECT 'z' AS id, TIMESTAMP '2024-03-05' AS started_at) TO ${quoteLiteral(join(directory, "part-copied-in.parquet"))} (FORMAT parquet)`);
    expect(await inspectLake(root)).toEqual([]);
    expect((await storedInventory()).files["month=2024-03/part-copied-in.parquet"]).toMatchObject({ rows: 1 });
    await writeFile(join(directory, "part-garbage.parquet"), "not parquet at all");
    expect(await inspectLake(root)).toEqual([expect.objectContaining({ problem: "unreadable", file: join(directory, "part-garbage.parquet"), recordedRows: null })]);
  });

  it("is rebuilt from the files when it is lost itself", async () => {
    await upsert(rows);
    const before = (await storedInventory()).files;
    await rm(inventoryPath(root, "upscope", "sessions"));
    expect(await inspectLake(root)).toEqual([]);
    const after = (await storedInventory()).files;
    expect(Object.fromEntries(Object.entries(after).map(([rel, file]) => [rel, [file.rows, file.sha256]]))).toEqual(
      Object.fromEntries(Object.entries(before).map(([rel, file]) => [rel, [file.rows, file.sha256]])),
    );
  });

  it("sets a damaged file aside for a restore, lets the restore write, and compares what came back with what was recorded", async () => {
    await upsert(rows);
    const march = await marchFile();
    await truncate(march, 10);
    const handle = await TableInventoryHandle.open(root, "upscope", "sessions");
    await handle.setAside("run-restore");
    const setAside = join(root, "_damaged", "run-restore", march.slice(root.length + 1));
    expect((await stat(setAside)).size).toBe(10);
    expect(await inspectLake(root)).toEqual([expect.objectContaining({ problem: "restoring", recordedRows: 2 })]);
    await upsert(rows.slice(0, 1)); // a restore that finds only one of the two rows
    const outcome = await (await TableInventoryHandle.open(root, "upscope", "sessions")).finishRestore();
    expect(outcome).toEqual([{ month: "2024-03", file: march, recorded: 2, restored: 1, setAsideTo: setAside }]);
    expect(await inspectLake(root)).toEqual([]);
  });
});
