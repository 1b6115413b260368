/**
 * Reading NDJSON files from outside (Upscope session files, embedded event files) one
 * line at a time, so that one bad line is a problem of that line only:
 *
 * - the file is streamed through a fixed buffer, never read whole, and a line longer than
 *   MAX_LINE_BYTES is not held at all: it is skipped to its newline and quarantined by
 *   position (a 50 MB line used to be read, parsed and staged, and one over 64 MB failed
 *   the whole source inside DuckDB with an error naming a temporary file);
 * - each line is decoded strictly (TextDecoder with `fatal`), so a half emoji or binary
 *   garbage is "not valid UTF-8" instead of U+FFFD silently stored in its neighbour's place;
 * - JSON is parsed with a depth limit and with messages of our own (embedded/json-text.ts).
 *
 * Hand-written rather than node:readline because readline holds a line of any length in
 * memory and decodes leniently; both are exactly what must not happen here.
 *
 * What is read is archived in chunks of whole lines (`file:///<name>?bytes=a-b&line=n`)
 * for `--replay`. A line that cannot be text (not UTF-8, too long) is archived as an
 * empty line, and its quarantine entry travels in the chunk's `requestBody`, so a replay
 * quarantines exactly what the sync did.
 */
import { open } from "node:fs/promises";
import { isUtf8 } from "node:buffer";
import { z } from "zod";
import { parseJsonText } from "../../embedded/json-text.js";
import type { RawArchiveWriter } from "../lake/index.js";

/** Longest line read: 8 MiB (a real session or event is a few kB; a staged row may not pass 64 MB). */
export const MAX_LINE_BYTES = 8 * 1024 * 1024;
/** Bytes read from a file at a time (lines here, hashes in file-cursor.ts). */
export const READ_BUFFER_BYTES = 1024 * 1024;
/** Text per archived chunk: bounds the archive's lines and what a chunk holds in memory. */
const CHUNK_TEXT_BYTES = 4 * 1024 * 1024;
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB` : `${bytes} bytes`;
}

/** One line as read from the file. */
export interface FileLine {
  /** 1-based line number. */
  line: number;
  /** Byte range of the line in the file, its newline included: [start, end). */
  start: number;
  end: number;
  /** False for a last line without a newline. */
  terminated: boolean;
  /** The line's bytes without newline or carriage return; undefined when longer than the limit (not held). */
  bytes: Buffer | undefined;
  /** The line's length in bytes, without the newline. */
  length: number;
}

/** The lines of `path` from byte `start` (the start of line `firstLine`), through a fixed buffer. */
export async function* readFileLines(path: string, options: { start?: number; firstLine?: number; maxLineBytes?: number } = {}): AsyncGenerator<FileLine> {
  const maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES;
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(READ_BUFFER_BYTES);
    let position = options.start ?? 0;
    let line = options.firstLine ?? 1;
    let lineStart = position;
    let pieces: Buffer[] = [];
    let length = 0;
    const lineOf = (end: number, terminated: boolean): FileLine => {
      let bytes = length > maxLineBytes ? undefined : pieces.length === 1 ? (pieces[0] as Buffer) : Buffer.concat(pieces, length);
      let size = length;
      if (bytes !== undefined && bytes.length > 0 && bytes[bytes.length - 1] === CARRIAGE_RETURN) {
        bytes = bytes.subarray(0, bytes.length - 1);
        size -= 1;
      }
      return { line, start: lineStart, end, terminated, bytes, length: size };
    };
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) break;
      const view = buffer.subarray(0, bytesRead);
      let offset = 0;
      while (offset < bytesRead) {
        const newline = view.indexOf(NEWLINE, offset);
        const pieceEnd = newline === -1 ? bytesRead : newline;
        length += pieceEnd - offset;
        // Copied: the buffer is reused by the next read. Past the limit nothing is kept.
        if (length <= maxLineBytes) pieces.push(Buffer.from(view.subarray(offset, pieceEnd)));
        else pieces = [];
        if (pieceEnd === bytesRead) {
          offset = bytesRead;
          break;
        }
        yield lineOf(position + pieceEnd + 1, true);
        line += 1;
        lineStart = position + pieceEnd + 1;
        pieces = [];
        length = 0;
        offset = pieceEnd + 1;
      }
      position += bytesRead;
    }
    if (length > 0) yield lineOf(position, false);
  } finally {
    await handle.close();
  }
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Why a line is quarantined: it is not text at all (too long, not UTF-8), or text that is not a record. */
export type LineProblemCause = "too-long" | "utf8" | "json" | "depth";

export type LineOutcome =
  | { kind: "blank" }
  | { kind: "value"; value: unknown; text: string }
  | { kind: "problem"; cause: LineProblemCause; message: string; raw: unknown; text: string | undefined };

/** Parses one line's text (JSON, depth-limited); `line` numbers the messages. */
export function parseLineText(text: string, line: number): LineOutcome {
  if (text.trim() === "") return { kind: "blank" };
  const parsed = parseJsonText(text, { firstLine: line });
  if (parsed.ok) return { kind: "value", value: parsed.value, text };
  return { kind: "problem", cause: parsed.cause, message: parsed.message, raw: text.trim(), text };
}

/** What one line read from a file is. */
export function readLine(line: FileLine): LineOutcome {
  if (line.bytes === undefined) {
    return { kind: "problem", cause: "too-long", message: `line longer than ${formatBytes(MAX_LINE_BYTES)} (${line.length} bytes): not read`, raw: { bytes: line.length }, text: undefined };
  }
  let text: string;
  try {
    text = strictUtf8.decode(line.bytes);
  } catch {
    // The bytes themselves stay in the private quarantine table, as base64 (JSON cannot hold them).
    return { kind: "problem", cause: "utf8", message: `not valid UTF-8 (line ${line.line})`, raw: { base64: line.bytes.toString("base64") }, text: undefined };
  }
  return parseLineText(text, line.line);
}

/** First line (1-based) of `bytes` that is not valid UTF-8, or undefined when all are. */
export function firstNonUtf8Line(bytes: Uint8Array): number | undefined {
  let line = 1;
  for (let start = 0; start <= bytes.length; line++) {
    const newline = bytes.indexOf(NEWLINE, start);
    const end = newline === -1 ? bytes.length : newline;
    if (!isUtf8(bytes.subarray(start, end))) return line;
    if (newline === -1) break;
    start = newline + 1;
  }
  return undefined;
}

/** Quarantine entries of lines that could not be archived as text, carried with their chunk. */
export const UnreadableLines = z.object({
  unreadable: z.array(z.object({ line: z.number().int().positive(), message: z.string(), raw: z.unknown() })),
});
export type UnreadableLines = z.infer<typeof UnreadableLines>;

/** The archive URL of a chunk: the file's name inside its folder (never the local path), its bytes and first line. */
export function chunkUrl(name: string, start: number, end: number, firstLine: number): string {
  return `file:///${encodeURIComponent(name)}?bytes=${start}-${end}&line=${firstLine}`;
}

/** Name and first line of an archived chunk (`firstLine` undefined: a whole file archived before chunks). */
export function chunkOf(url: string): { name: string; firstLine: number | undefined } {
  const parsed = new URL(url);
  const line = parsed.searchParams.get("line");
  return { name: decodeURIComponent(parsed.pathname.replace(/^\/+/, "")), firstLine: line === null ? undefined : Number(line) || 1 };
}

export interface LineSink {
  /** A line that is JSON: validate it as a record. `position` is `<name>:<line>`. */
  value(value: unknown, position: string): void;
  /** A line quarantined as a line: `position` is `<name>:<line>`. */
  problem(position: string, message: string, raw: unknown): void;
}

/** Feeds an archived chunk's lines to `sink` exactly as the sync did when it read them. */
export function replayChunk(name: string, body: string, firstLine: number, requestBody: unknown, sink: LineSink): number {
  const unreadable = new Map((UnreadableLines.safeParse(requestBody).data?.unreadable ?? []).map((entry) => [entry.line, entry]));
  let count = 0;
  body.split("\n").forEach((text, index) => {
    const line = firstLine + index;
    const kept = unreadable.get(line);
    if (kept) {
      sink.problem(`${name}:${line}`, kept.message, kept.raw);
      count += 1;
      return;
    }
    const outcome = parseLineText(text, line);
    if (outcome.kind === "value") sink.value(outcome.value, `${name}:${line}`);
    else if (outcome.kind === "problem") sink.problem(`${name}:${line}`, outcome.message, outcome.raw);
    if (outcome.kind !== "blank") count += 1;
  });
  return count;
}

export interface IngestFileOptions {
  path: string;
  /** Name inside the folder: positions and archive URLs use it. */
  name: string;
  start: number;
  firstLine: number;
  /** A last line without a newline is taken always (a finished export), or only when it is complete JSON (a file still being appended to). */
  lastLine: "take" | "only-if-complete";
  archive: RawArchiveWriter;
  sink: LineSink;
  /** Asked after each line: true when the caller wants to commit now. */
  wantsCommit(): boolean;
  /** Commits what the sink holds; the chunks it came from are archived before it is called. */
  commit(): Promise<void>;
}

/**
 * Reads a file's lines from `start` into `sink`, archiving them chunk by chunk (each
 * chunk before any commit of its lines). Returns the end of what was consumed (a
 * half-written last line is not) and the lines read.
 */
export async function ingestFileLines(options: IngestFileOptions): Promise<{ end: number; lines: number }> {
  const { name, archive, sink } = options;
  let end = options.start;
  let lines = 0;
  let chunk: { start: number; firstLine: number; texts: string[]; bytes: number; unreadable: UnreadableLines["unreadable"] } | undefined;
  const archiveChunk = async () => {
    if (!chunk) return;
    const { start, firstLine, texts, unreadable } = chunk;
    chunk = undefined;
    await archive.append({
      fetchedAt: new Date().toISOString(),
      method: "FILE",
      url: chunkUrl(name, start, end, firstLine),
      status: 200,
      ...(unreadable.length > 0 ? { requestBody: { unreadable } } : {}),
      body: texts.join("\n"),
    });
  };
  for await (const line of readFileLines(options.path, { start: options.start, firstLine: options.firstLine })) {
    const outcome = readLine(line);
    // A last line still being written is left for the next run, unless it is already whole JSON.
    if (!line.terminated && options.lastLine === "only-if-complete" && outcome.kind !== "value" && !(outcome.kind === "problem" && outcome.cause === "depth")) break;
    chunk ??= { start: line.start, firstLine: line.line, texts: [], bytes: 0, unreadable: [] };
    const position = `${name}:${line.line}`;
    if (outcome.kind === "value") sink.value(outcome.value, position);
    else if (outcome.kind === "problem") {
      sink.problem(position, outcome.message, outcome.raw);
      if (outcome.text === undefined) chunk.unreadable.push({ line: line.line, message: outcome.message, raw: outcome.raw });
    }
    if (outcome.kind !== "blank") lines += 1;
    const text = outcome.kind === "blank" || outcome.text === undefined ? "" : outcome.text;
    chunk.texts.push(text);
    chunk.bytes += text.length + (outcome.kind === "problem" && outcome.cause === "utf8" ? line.length * 2 : 0);
    end = line.end;
    if (chunk.bytes >= CHUNK_TEXT_BYTES) await archiveChunk();
    if (options.wantsCommit()) {
      await archiveChunk();
      await options.commit();
    }
  }
  await archiveChunk();
  return { end, lines };
}
