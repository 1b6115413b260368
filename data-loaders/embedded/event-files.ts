/**
 * The folder of event files (EMBEDDED_EVENTS_DIR): NDJSON written by the collector,
 * one file per day, only ever appended to (an organisation's own endpoint must write
 * the same way). Every `*.ndjson` and `*.jsonl` file is read; names starting with "."
 * or "_" are skipped (temporary and hidden files).
 *
 * Each file is tracked by a fingerprint of what was read: the file's size and mtime
 * (unchanged: not even opened), the bytes consumed and the hash of those bytes. When a
 * file grew and still starts with the bytes already read, only the new tail is read;
 * when it changed in any other way (rewritten, truncated), it is read again from the
 * start, which is safe because events merge by id. A last line without its newline is
 * taken only if it is complete JSON (otherwise it is still being written, and the next
 * run reads it).
 *
 * Files are streamed line by line (sync/file-lines.ts): a line that is not UTF-8 or JSON,
 * nested too deeply or longer than 8 MiB is quarantined by position, the rest is read,
 * and the file's fingerprint moves past it like past any other line.
 */
import { createHash } from "node:crypto";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { parseJsonText } from "../../embedded/json-text.js";
import { hashFileRange } from "../sync/file-lines.js";

export interface EventFileEntry {
  /** Name inside the folder: the file's identity in the state and in quarantine record ids. */
  name: string;
  path: string;
  size: number;
  mtimeMs: number;
}

export const EventFileFingerprint = z.object({
  /** File size and mtime when it was last read: both unchanged means nothing new. */
  size: z.number().int().nonnegative(),
  mtimeMs: z.number(),
  /** Bytes read and committed (complete lines), and their hash. */
  consumed: z.number().int().nonnegative(),
  sha256: z.string(),
});
export type EventFileFingerprint = z.infer<typeof EventFileFingerprint>;

export const EventFilesCursor = z.object({ files: z.record(z.string(), EventFileFingerprint) });
export type EventFilesCursor = z.infer<typeof EventFilesCursor>;

/** The stored cursor; anything unreadable counts as "nothing read yet" (reading again is safe). */
export function readEventFilesCursor(cursor: unknown): EventFilesCursor {
  const parsed = EventFilesCursor.safeParse(cursor);
  return parsed.success ? parsed.data : { files: {} };
}

const EVENT_FILE = /\.(ndjson|jsonl)$/i;

export function isEventFileName(name: string): boolean {
  return EVENT_FILE.test(name) && !name.startsWith(".") && !name.startsWith("_");
}

/** The event files in `directory`, sorted by name (the collector's names sort by day). */
export async function listEventFiles(directory: string): Promise<EventFileEntry[]> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") {
      throw new Error(`EMBEDDED_EVENTS_DIR points to ${directory}, which does not exist`);
    }
    throw error;
  }
  const entries: EventFileEntry[] = [];
  for (const name of names.filter(isEventFileName).sort()) {
    const path = join(directory, name);
    const info = await stat(path);
    if (info.isFile()) entries.push({ name, path, size: info.size, mtimeMs: info.mtimeMs });
  }
  return entries;
}

export function sha256(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

export function looksUnchanged(entry: EventFileEntry, stored: EventFileFingerprint | undefined): boolean {
  return stored !== undefined && stored.size === entry.size && stored.mtimeMs === entry.mtimeMs;
}

export interface UnreadPart {
  /** Byte range to read: [start, end). */
  start: number;
  end: number;
  /** Line number (1-based) of the line starting at `start`. */
  firstLine: number;
}

const NEWLINE = 0x0a;

/** Whole JSON, even if too deep to be a record (that is quarantined, not waited for). */
function isCompleteJson(bytes: Uint8Array): boolean {
  const text = Buffer.from(bytes).toString("utf8");
  if (text.trim() === "") return false;
  const parsed = parseJsonText(text);
  return parsed.ok || parsed.cause === "depth";
}

/**
 * The rule for what is new in a file held in memory: the bytes after those already
 * consumed when the file still starts with them (or everything, when it does not or
 * `force`), up to the last complete line. The sync applies the same rule while streaming
 * (`unreadStart` and `ingestFileLines`' "only-if-complete" last line).
 */
export function unreadPart(content: Uint8Array, stored: EventFileFingerprint | undefined, force: boolean): UnreadPart {
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
 * starts with them (hashed through a fixed buffer, never read whole), else at 0. Returns
 * the hash of the bytes before `start`, to be continued over what is read next.
 */
export async function unreadStart(entry: EventFileEntry, stored: EventFileFingerprint | undefined, force: boolean): Promise<{ start: number; firstLine: number; hash: ReturnType<typeof createHash> }> {
  if (!force && stored !== undefined && stored.consumed <= entry.size) {
    const prefix = await hashFileRange(entry.path, 0, stored.consumed);
    if (prefix.bytes === stored.consumed && prefix.hash.copy().digest("hex") === stored.sha256) {
      return { start: stored.consumed, firstLine: prefix.newlines + 1, hash: prefix.hash };
    }
  }
  return { start: 0, firstLine: 1, hash: createHash("sha256") };
}
