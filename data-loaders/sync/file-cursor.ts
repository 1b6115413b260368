/**
 * Folders of files a source reads by cursor (Upscope session files, embedded event files):
 * which files there are, which changed since the cursor was saved, where the unread tail
 * of an appended file starts, and the fingerprints the source state keeps.
 *
 * A file whose size and mtime are those of its fingerprint is unchanged and not even
 * opened. When they moved, the content decides, through a fixed buffer (never read whole):
 * - a file read whole (`WholeFileFingerprint`) is unchanged when its hash is (a copy that
 *   only touched the mtime is not parsed again);
 * - a file only ever appended to (`TailFingerprint`) is read from the end of what was
 *   consumed when it still starts with those bytes, else again from its start (rewritten,
 *   truncated); a last line without its newline is read only once it is complete JSON.
 *
 * Each source keeps what is its own: its file names, how a file's records are parsed and
 * mapped, and when it commits. The fingerprint of a file is saved only after its rows are
 * committed, so a run killed at any point reads the same bytes again next time.
 */
import { createHash, type Hash } from "node:crypto";
import { open, readdir, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { z } from "zod";
import { parseJsonText } from "../../embedded/json-text.js";
import type { Lake } from "../lake/index.js";
import type { SourceState } from "../lake/state.js";
import { ingestFileLines, READ_BUFFER_BYTES, type IngestFileOptions } from "./file-lines.js";

const NEWLINE = 0x0a;

/** One file of a folder, as listed. */
export interface FileEntry {
  /** Name inside the folder: the file's identity in the cursor and in quarantine record ids. */
  name: string;
  path: string;
  size: number;
  mtimeMs: number;
}

/** True for a name matching `pattern` that is not hidden or temporary (starting with "." or "_"). */
function isListedFileName(name: string, pattern: RegExp): boolean {
  return pattern.test(name) && !name.startsWith(".") && !name.startsWith("_");
}

export interface ListFilesOptions {
  /** Names to read (hidden and temporary files are skipped whatever it says). */
  pattern: RegExp;
  /** The environment variable that named `location`, for the message when it does not exist. */
  variable: string;
  /** `location` may also be one file, read whatever its name. */
  singleFile?: boolean;
}

/** The files at `location` (a folder, or with `singleFile` one file), sorted by name. */
export async function listFiles(location: string, options: ListFilesOptions): Promise<FileEntry[]> {
  let names: string[];
  try {
    if (options.singleFile) {
      const info = await stat(location);
      if (info.isFile()) return [{ name: basename(location), path: location, size: info.size, mtimeMs: info.mtimeMs }];
    }
    names = await readdir(location);
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") {
      throw new Error(`${options.variable} points to ${location}, which does not exist`);
    }
    throw error;
  }
  const entries: FileEntry[] = [];
  for (const name of names.filter((name) => isListedFileName(name, options.pattern)).sort()) {
    const path = join(location, name);
    const info = await stat(path);
    if (info.isFile()) entries.push({ name, path, size: info.size, mtimeMs: info.mtimeMs });
  }
  return entries;
}

/** A file read whole: its size and mtime then, and the hash of its content. */
export const WholeFileFingerprint = z.object({ size: z.number(), mtimeMs: z.number(), sha256: z.string() });
export type WholeFileFingerprint = z.infer<typeof WholeFileFingerprint>;

/** A file read up to `consumed` (complete lines): its size and mtime then, and the hash of the bytes consumed. */
export const TailFingerprint = z.object({
  size: z.number().int().nonnegative(),
  mtimeMs: z.number(),
  consumed: z.number().int().nonnegative(),
  sha256: z.string(),
});
export type TailFingerprint = z.infer<typeof TailFingerprint>;

type Fingerprint = WholeFileFingerprint | TailFingerprint;

/** The shape of the cursor in the source state: the fingerprint of each file read and committed. */
function filesCursorSchema<F extends Fingerprint>(fingerprint: z.ZodType<F>) {
  return z.object({ files: z.record(z.string(), fingerprint) });
}

/** True when size and mtime are those of the fingerprint: the file is taken as unchanged without reading it. */
function looksUnchanged(entry: FileEntry, stored: Fingerprint | undefined): boolean {
  return stored !== undefined && stored.size === entry.size && stored.mtimeMs === entry.mtimeMs;
}

/** The files of one folder read in one run, against the fingerprints of the runs before. */
export class FilesCursor<F extends Fingerprint> {
  /** The cursor as the source state holds it: changed in place as files are marked. */
  readonly state: { files: Record<string, F> };
  private entries: readonly FileEntry[] = [];
  private unchanged = 0;
  private staged: Array<[string, F]> = [];

  /** Anything unreadable in `stored` counts as "no file read yet" (reading again is safe). */
  constructor(fingerprint: z.ZodType<F>, stored: unknown) {
    const parsed = filesCursorSchema(fingerprint).safeParse(stored);
    this.state = parsed.success ? parsed.data : { files: {} };
  }

  /** The fingerprint saved for a file, if it was read before. */
  stored(name: string): F | undefined {
    return this.state.files[name];
  }

  /** The entries to read: all when `force`, else those whose size or mtime moved (the others count as unchanged). */
  changed(entries: readonly FileEntry[], force: boolean): FileEntry[] {
    this.entries = entries;
    const changed = entries.filter((entry) => force || !looksUnchanged(entry, this.stored(entry.name)));
    this.unchanged = entries.length - changed.length;
    return changed;
  }

  /** A changed file that held nothing new after all. */
  countUnchanged(): void {
    this.unchanged += 1;
  }

  /** Saves a file's fingerprint (its rows are committed). */
  mark(name: string, fingerprint: F): void {
    this.state.files[name] = fingerprint;
  }

  /** Holds a file's fingerprint until `markStaged`, called once its rows are committed. */
  stage(name: string, fingerprint: F): void {
    this.staged.push([name, fingerprint]);
  }

  markStaged(): void {
    for (const [name, fingerprint] of this.staged) this.mark(name, fingerprint);
    this.staged = [];
  }

  /** Forgets the files gone from the folder (their rows stay in the lake) and says what the run did. */
  finish(): string {
    const present = new Set(this.entries.map((entry) => entry.name));
    for (const name of Object.keys(this.state.files)) if (!present.has(name)) delete this.state.files[name];
    return `${this.entries.length - this.unchanged} read, ${this.unchanged} unchanged`;
  }
}

/** The source's state for this run, with its cursor of `fingerprint`s. */
export async function openFilesState<F extends Fingerprint>(
  lake: Pick<Lake, "readState">,
  source: string,
  runId: string,
  fingerprint: z.ZodType<F>,
): Promise<{ state: SourceState; files: FilesCursor<F> }> {
  const stored = await lake.readState(source);
  const files = new FilesCursor(fingerprint, stored?.cursor);
  const state: SourceState = {
    watermarks: { ...(stored?.watermarks ?? {}) },
    lastSuccessAt: stored?.lastSuccessAt ?? null,
    lastRunId: runId,
    cursor: files.state,
  };
  return { state, files };
}

export function sha256(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Feeds bytes [start, end) of `path` to `hash` through a fixed buffer, counting newlines. */
async function hashFileRange(path: string, start: number, end: number, hash: Hash = createHash("sha256")): Promise<{ hash: Hash; newlines: number; bytes: number }> {
  const handle = await open(path, "r");
  let newlines = 0;
  let position = start;
  try {
    const buffer = Buffer.alloc(READ_BUFFER_BYTES);
    while (position < end) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, end - position), position);
      if (bytesRead === 0) break;
      const piece = buffer.subarray(0, bytesRead);
      hash.update(piece);
      for (let index = piece.indexOf(NEWLINE); index !== -1; index = piece.indexOf(NEWLINE, index + 1)) newlines += 1;
      position += bytesRead;
    }
  } finally {
    await handle.close();
  }
  return { hash, newlines, bytes: position - start };
}

/** The hash of a whole file, read through a fixed buffer. */
export async function sha256OfFile(path: string): Promise<string> {
  return (await hashFileRange(path, 0, Number.POSITIVE_INFINITY)).hash.digest("hex");
}

export interface UnreadPart {
  /** Byte range to read: [start, end). */
  start: number;
  end: number;
  /** Line number (1-based) of the line starting at `start`. */
  firstLine: number;
}

/** Whole JSON, even if too deep to be a record (that is quarantined, not waited for). */
function isCompleteJson(bytes: Uint8Array): boolean {
  const text = Buffer.from(bytes).toString("utf8");
  if (text.trim() === "") return false;
  const parsed = parseJsonText(text);
  return parsed.ok || parsed.cause === "depth";
}

/**
 * The rule for what is new in an appended file held in memory: the bytes after those
 * already consumed when the file still starts with them (or everything, when it does not
 * or `force`), up to the last complete line. `readAppendedLines` applies the same rule
 * while streaming (`unreadStart` and `ingestFileLines`' "only-if-complete" last line).
 */
export function unreadPart(content: Uint8Array, stored: TailFingerprint | undefined, force: boolean): UnreadPart {
  const appended =
    !force && stored !== undefined && stored.consumed <= content.length && sha256(content.subarray(0, stored.consumed)) === stored.sha256;
  const start = appended ? stored.consumed : 0;
  let end = content.lastIndexOf(NEWLINE) + 1;
  if (end < content.length && isCompleteJson(content.subarray(Math.max(end, start)))) end = content.length;
  if (end < start) end = start;
  let firstLine = 1;
  for (let index = 0; index < start; index++) if (content[index] === NEWLINE) firstLine += 1;
  return { start, end, firstLine };
}

/**
 * Where to start reading a file on disk: after the bytes already consumed when it still
 * starts with them, else at 0. Returns the hash of the bytes before `start`, to be
 * continued over what is read next.
 */
async function unreadStart(entry: FileEntry, stored: TailFingerprint | undefined, force: boolean): Promise<{ start: number; firstLine: number; hash: Hash }> {
  if (!force && stored !== undefined && stored.consumed <= entry.size) {
    const prefix = await hashFileRange(entry.path, 0, stored.consumed);
    if (prefix.bytes === stored.consumed && prefix.hash.copy().digest("hex") === stored.sha256) {
      return { start: stored.consumed, firstLine: prefix.newlines + 1, hash: prefix.hash };
    }
  }
  return { start: 0, firstLine: 1, hash: createHash("sha256") };
}

export type AppendedLinesOptions = Omit<IngestFileOptions, "path" | "name" | "start" | "firstLine" | "lastLine">;

/**
 * Reads the unread tail of an appended file into `options.sink` (all of it when it was
 * rewritten, or when `force`), up to its last complete line. Returns the lines read and
 * the file's new fingerprint, to be saved once those lines are committed.
 */
export async function readAppendedLines(
  entry: FileEntry,
  stored: TailFingerprint | undefined,
  force: boolean,
  options: AppendedLinesOptions,
): Promise<{ lines: number; fingerprint: TailFingerprint }> {
  const from = await unreadStart(entry, stored, force);
  const read = await ingestFileLines({ ...options, path: entry.path, name: entry.name, start: from.start, firstLine: from.firstLine, lastLine: "only-if-complete" });
  const { hash } = await hashFileRange(entry.path, from.start, read.end, from.hash);
  return { lines: read.lines, fingerprint: { size: entry.size, mtimeMs: entry.mtimeMs, consumed: read.end, sha256: hash.digest("hex") } };
}
