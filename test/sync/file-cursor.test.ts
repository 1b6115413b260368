/**
 * The file cursor both file sources read by (sync/file-cursor.ts), on real files in a
 * temp folder: listing, the unchanged check, the cursor as stored in the source state,
 * and the tail of a file that grew, was rewritten or shrank, or ends in a torn line.
 */
import { appendFile, mkdir, readFile, stat, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { stateFilePath } from "../../data-loaders/lake/layout.js";
import { iterateRawArchive, openRawArchive } from "../../data-loaders/lake/raw-archive.js";
import { readState, writeState } from "../../data-loaders/lake/state.js";
import {
  FilesCursor,
  listFiles,
  openFilesState,
  readAppendedLines,
  sha256,
  sha256OfFile,
  TailFingerprint,
  WholeFileFingerprint,
  type FileEntry,
} from "../../data-loaders/sync/file-cursor.js";
import type { LineSink } from "../../data-loaders/sync/file-lines.js";
import { makeTempDir } from "../lake/helpers.js";

let root: string;
let folder: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ path: root, cleanup } = await makeTempDir("file-cursor-"));
  folder = join(root, "files");
  await mkdir(folder);
});
afterEach(async () => cleanup());

const NDJSON = /\.ndjson$/;

async function entryOf(name: string): Promise<FileEntry> {
  const [entry] = (await listFiles(folder, { pattern: NDJSON, variable: "TEST_DIR" })).filter((listed) => listed.name === name);
  if (!entry) throw new Error(`${name} is not listed`);
  return entry;
}

/** Reads a file's unread tail into plain lists, through a real raw archive. */
async function readTail(name: string, stored: TailFingerprint | undefined, force = false) {
  const values: Array<{ value: unknown; position: string }> = [];
  const problems: string[] = [];
  const sink: LineSink = {
    value: (value, position) => values.push({ value, position }),
    problem: (position) => problems.push(position),
  };
  const archive = await openRawArchive(join(root, "lake"), "test", "run-1");
  const read = await readAppendedLines(await entryOf(name), stored, force, { archive, sink, wantsCommit: () => false, commit: async () => {} });
  await archive.close();
  return { ...read, values, problems };
}

/** Writes a file and reads it once: the fingerprint the next run starts from. */
async function readOnce(name: string, text: string): Promise<TailFingerprint> {
  await writeFile(join(folder, name), text);
  return (await readTail(name, undefined)).fingerprint;
}

describe("listing", () => {
  it("lists the matching files by name, skipping hidden, temporary and other files and folders", async () => {
    for (const name of ["b.ndjson", "a.ndjson", ".tmp.ndjson", "_partial.ndjson", "notes.txt"]) await writeFile(join(folder, name), "{}\n");
    await mkdir(join(folder, "c.ndjson"));
    const entries = await listFiles(folder, { pattern: NDJSON, variable: "TEST_DIR" });
    expect(entries.map((entry) => entry.name)).toEqual(["a.ndjson", "b.ndjson"]);
    expect(entries[0]).toMatchObject({ path: join(folder, "a.ndjson"), size: 3 });
  });

  it("names the variable when the folder does not exist, and takes one file only when asked", async () => {
    await writeFile(join(folder, "one.txt"), "{}\n");
    await expect(listFiles(join(folder, "missing"), { pattern: NDJSON, variable: "TEST_DIR" })).rejects.toThrow(/^TEST_DIR points to .*missing, which does not exist$/);
    expect((await listFiles(join(folder, "one.txt"), { pattern: NDJSON, variable: "TEST_DIR", singleFile: true })).map((entry) => entry.name)).toEqual(["one.txt"]);
    await expect(listFiles(join(folder, "one.txt"), { pattern: NDJSON, variable: "TEST_DIR" })).rejects.toThrow();
  });
});

describe("the cursor", () => {
  it("skips a file whose size and mtime are stored, reads a new or moved one, reads all when forced, and forgets files gone", async () => {
    for (const name of ["kept.ndjson", "moved.ndjson", "new.ndjson"]) await writeFile(join(folder, name), '{"a":1}\n');
    const kept = await entryOf("kept.ndjson");
    const moved = await entryOf("moved.ndjson");
    const stored = {
      files: {
        "kept.ndjson": { size: kept.size, mtimeMs: kept.mtimeMs, sha256: "x" },
        "moved.ndjson": { size: moved.size, mtimeMs: moved.mtimeMs - 1000, sha256: "x" },
        "gone.ndjson": { size: 1, mtimeMs: 1, sha256: "x" },
      },
    };
    const entries = await listFiles(folder, { pattern: NDJSON, variable: "TEST_DIR" });
    const cursor = new FilesCursor(WholeFileFingerprint, structuredClone(stored));
    expect(cursor.changed(entries, false).map((entry) => entry.name)).toEqual(["moved.ndjson", "new.ndjson"]);
    cursor.countUnchanged(); // moved.ndjson: touched, same content
    cursor.mark("new.ndjson", { size: 8, mtimeMs: 2, sha256: "y" });
    expect(cursor.finish()).toBe("1 read, 2 unchanged");
    expect(Object.keys(cursor.state.files).sort()).toEqual(["kept.ndjson", "moved.ndjson", "new.ndjson"]);
    expect(new FilesCursor(WholeFileFingerprint, structuredClone(stored)).changed(entries, true)).toHaveLength(3);
  });

  it("saves a staged fingerprint only when told its rows are committed", () => {
    const cursor = new FilesCursor(TailFingerprint, undefined);
    cursor.stage("a.ndjson", { size: 8, mtimeMs: 1, consumed: 8, sha256: "y" });
    expect(cursor.stored("a.ndjson")).toBeUndefined();
    cursor.markStaged();
    expect(cursor.stored("a.ndjson")).toEqual({ size: 8, mtimeMs: 1, consumed: 8, sha256: "y" });
  });

  it("reads the states lakes already hold, byte for byte, and takes an unreadable cursor as nothing read", async () => {
    const lake = { readState: (source: string) => readState(root, source) };
    const cursors = {
      upscope: { files: { "a.json": { size: 10, mtimeMs: 1714000000000.5, sha256: "ab" } } },
      embedded: { files: { "2026-05-01.ndjson": { size: 20, mtimeMs: 1714000000000, consumed: 18, sha256: "cd" } } },
    };
    for (const [source, cursor] of Object.entries(cursors)) {
      await writeState(root, source, { watermarks: { files: "2026-05-01T00:00:00.000Z" }, lastSuccessAt: null, lastRunId: "run-0", cursor }, () => new Date("2026-05-02T00:00:00.000Z"));
    }
    const before = await readFile(stateFilePath(root, "embedded"), "utf8");
    const upscope = await openFilesState(lake, "upscope", "run-1", WholeFileFingerprint);
    expect(upscope.state).toEqual({ watermarks: { files: "2026-05-01T00:00:00.000Z" }, lastSuccessAt: null, lastRunId: "run-1", cursor: cursors.upscope });
    const embedded = await openFilesState(lake, "embedded", "run-1", TailFingerprint);
    expect(JSON.stringify(embedded.state.cursor)).toBe(JSON.stringify(cursors.embedded));
    await writeState(root, "embedded", { ...embedded.state, lastRunId: "run-0" }, () => new Date("2026-05-02T00:00:00.000Z"));
    expect(await readFile(stateFilePath(root, "embedded"), "utf8")).toBe(before);
    // A whole-file cursor is not a tail cursor: read again from the start rather than guess.
    expect((await openFilesState(lake, "upscope", "run-1", TailFingerprint)).state.cursor).toEqual({ files: {} });
    expect((await openFilesState(lake, "never_ran", "run-1", TailFingerprint)).state).toEqual({ watermarks: {}, lastSuccessAt: null, lastRunId: "run-1", cursor: { files: {} } });
  });
});

describe("tails", () => {
  it("reads a new file whole and fingerprints what it consumed", async () => {
    await writeFile(join(folder, "a.ndjson"), '{"n":1}\n{"n":2}\n');
    const read = await readTail("a.ndjson", undefined);
    expect(read.values).toEqual([
      { value: { n: 1 }, position: "a.ndjson:1" },
      { value: { n: 2 }, position: "a.ndjson:2" },
    ]);
    const size = (await stat(join(folder, "a.ndjson"))).size;
    expect(read.fingerprint).toMatchObject({ size, consumed: size, sha256: await sha256OfFile(join(folder, "a.ndjson")) });
  });

  it("reads only the appended lines of a file that grew, numbered from where it left off", async () => {
    const path = join(folder, "a.ndjson");
    const first = await readOnce("a.ndjson", '{"n":1}\n{"n":2}\n');
    await appendFile(path, '{"n":3}\n');
    const second = await readTail("a.ndjson", first);
    expect(second.values).toEqual([{ value: { n: 3 }, position: "a.ndjson:3" }]);
    expect(second.fingerprint).toMatchObject({ consumed: 24, sha256: await sha256OfFile(path) });
    // Nothing appended, only touched: nothing read, the new mtime remembered.
    await utimes(path, new Date("2026-01-01T00:00:00Z"), new Date("2026-01-01T00:00:00Z"));
    const touched = await readTail("a.ndjson", second.fingerprint);
    expect(touched.lines).toBe(0);
    expect(touched.fingerprint).toEqual({ ...second.fingerprint, mtimeMs: Date.parse("2026-01-01T00:00:00Z") });
  });

  it("reads a rewritten or shrunk file again from its start", async () => {
    const path = join(folder, "a.ndjson");
    const first = await readOnce("a.ndjson", '{"n":1}\n{"n":2}\n');
    await writeFile(path, '{"n":9}\n{"n":2}\n{"n":3}\n');
    const rewritten = await readTail("a.ndjson", first);
    expect(rewritten.values.map((value) => value.position)).toEqual(["a.ndjson:1", "a.ndjson:2", "a.ndjson:3"]);
    await writeFile(path, '{"n":1}\n');
    const shrunk = await readTail("a.ndjson", rewritten.fingerprint);
    expect(shrunk.values).toEqual([{ value: { n: 1 }, position: "a.ndjson:1" }]);
    expect(shrunk.fingerprint).toMatchObject({ size: 8, consumed: 8, sha256: sha256(Buffer.from('{"n":1}\n')) });
    // Forced: read from the start even though nothing changed.
    expect((await readTail("a.ndjson", shrunk.fingerprint, true)).lines).toBe(1);
  });

  it("leaves a torn last line for the next run, takes it once complete, and archives what it read", async () => {
    const path = join(folder, "a.ndjson");
    await writeFile(path, '{"n":1}\n{"n":');
    const torn = await readTail("a.ndjson", undefined);
    expect(torn.values).toEqual([{ value: { n: 1 }, position: "a.ndjson:1" }]);
    expect(torn.problems).toEqual([]);
    expect(torn.fingerprint).toMatchObject({ size: 13, consumed: 8 });
    await appendFile(path, "2}");
    const whole = await readTail("a.ndjson", torn.fingerprint);
    expect(whole.values).toEqual([{ value: { n: 2 }, position: "a.ndjson:2" }]);
    expect(whole.fingerprint).toMatchObject({ consumed: 15, sha256: await sha256OfFile(path) });
    const urls: string[] = [];
    for await (const entry of iterateRawArchive(join(root, "lake"), "test")) urls.push(entry.url);
    expect(urls).toEqual(["file:///a.ndjson?bytes=0-8&line=1", "file:///a.ndjson?bytes=8-15&line=2"]);
  });
});
