/**
 * Files of Session objects (UPSCOPE_SESSION_FILES): a customer's exports or stored
 * webhook bodies, the only source of Upscope sessions older than the API's 30 days of
 * "recent sessions". Every `*.json` (an array of sessions, or one session), `*.ndjson`
 * and `*.jsonl` file in the folder is read (names starting with "." or "_" are skipped:
 * temporary and hidden files). Each file is tracked by a fingerprint so an unchanged
 * file is not read again: size and mtime decide "unchanged" without reading; when they
 * moved, the content hash decides whether the content really changed (a copy that only
 * touched the mtime is not parsed again).
 *
 * Bad input is a problem of its own line or record, never of the source: NDJSON files
 * are streamed line by line (sync/file-lines.ts: strict UTF-8, 8 MiB per line, a depth
 * limit); a `.json` file is one JSON document, read whole up to MAX_JSON_FILE_BYTES, and
 * a record in it that is nested too deeply or longer than 8 MiB is quarantined by its
 * index. A file with problems is still marked as read: it is read again only once it changes.
 */
import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { z } from "zod";
import { describeJsonSyntaxError, MAX_JSON_DEPTH, nestedDeeperThan } from "../../embedded/json-text.js";
import { firstNonUtf8Line, formatBytes, hashFileRange, MAX_LINE_BYTES, parseLineText } from "../sync/file-lines.js";
import { SessionFileEnvelope } from "./schemas.js";

/** Largest `.json` file read (whole: a JSON document cannot be cut into lines). NDJSON files have no limit. */
export const MAX_JSON_FILE_BYTES = 256 * 1024 * 1024;

export interface SessionFileEntry {
  /** Name inside the folder: the file's identity in the state and its record ids in quarantine. */
  name: string;
  path: string;
  size: number;
  mtimeMs: number;
}

export const FileFingerprint = z.object({ size: z.number(), mtimeMs: z.number(), sha256: z.string() });
export type FileFingerprint = z.infer<typeof FileFingerprint>;

/** What the source state keeps about files (in `cursor`): the fingerprint of each file fully committed. */
export const SessionFilesCursor = z.object({ files: z.record(z.string(), FileFingerprint) });
export type SessionFilesCursor = z.infer<typeof SessionFilesCursor>;

/** Reads the stored cursor; anything unreadable counts as "no file processed yet" (re-reading is safe). */
export function readFilesCursor(cursor: unknown): SessionFilesCursor {
  const parsed = SessionFilesCursor.safeParse(cursor);
  return parsed.success ? parsed.data : { files: {} };
}

const SESSION_FILE = /\.(json|ndjson|jsonl)$/i;

export function isSessionFileName(name: string): boolean {
  return SESSION_FILE.test(name) && !name.startsWith(".") && !name.startsWith("_");
}

/** The session files at `location` (a folder, or one file), sorted by name. */
export async function listSessionFiles(location: string): Promise<SessionFileEntry[]> {
  let info;
  try {
    info = await stat(location);
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") {
      throw new Error(`UPSCOPE_SESSION_FILES points to ${location}, which does not exist`);
    }
    throw error;
  }
  if (info.isFile()) return [{ name: basename(location), path: location, size: info.size, mtimeMs: info.mtimeMs }];
  const entries: SessionFileEntry[] = [];
  for (const name of (await readdir(location)).filter(isSessionFileName).sort()) {
    const path = join(location, name);
    const fileInfo = await stat(path);
    if (fileInfo.isFile()) entries.push({ name, path, size: fileInfo.size, mtimeMs: fileInfo.mtimeMs });
  }
  return entries;
}

/** True when size and mtime are those of the fingerprint: the file is taken as unchanged without reading it. */
export function looksUnchanged(entry: SessionFileEntry, stored: FileFingerprint | undefined): boolean {
  return stored !== undefined && stored.size === entry.size && stored.mtimeMs === entry.mtimeMs;
}

export interface SessionFileRecord {
  raw: unknown;
  /** `file.ndjson:12` (line) or `file.json[3]` (array element): names a record that has no id. */
  position: string;
}

export interface SessionFileProblem {
  position: string;
  /** "(line)" for a line of an NDJSON file, "(record)" for an element of a `.json` array, "(file)" for a whole file. */
  fieldPath: "(line)" | "(record)" | "(file)";
  message: string;
  raw: unknown;
}

export interface ParsedSessionFile {
  records: SessionFileRecord[];
  problems: SessionFileProblem[];
}

export const isLineDelimited = (name: string) => /\.(ndjson|jsonl)$/i.test(name);

/** A record of a `.json` file that could not go on as a record: too deep for the schemas, or too long for a lake row. */
function recordProblem(raw: unknown, checkLength: boolean): string | undefined {
  if (nestedDeeperThan(raw)) return `nested more than ${MAX_JSON_DEPTH} levels deep`;
  if (!checkLength) return undefined;
  const length = JSON.stringify(raw).length;
  return length > MAX_LINE_BYTES ? `record longer than ${formatBytes(MAX_LINE_BYTES)} (${length} characters)` : undefined;
}

/**
 * Splits a file held in memory into raw Session records. An NDJSON line that is not JSON
 * (or nested too deeply) is a problem of that line only; a `.json` file that does not
 * parse (or is neither an array nor an object) is one problem for the whole file, and a
 * record in it nested too deeply or longer than 8 MiB a problem of that record. Messages
 * are ours (never the parser's, which quotes the text). Nothing is validated against the
 * Session schema here.
 */
export function parseSessionFile(name: string, text: string): ParsedSessionFile {
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const records: SessionFileRecord[] = [];
  const problems: SessionFileProblem[] = [];
  if (isLineDelimited(name)) {
    body.split("\n").forEach((line, index) => {
      const position = `${name}:${index + 1}`;
      const outcome = parseLineText(line, index + 1);
      if (outcome.kind === "value") records.push({ raw: outcome.value, position });
      else if (outcome.kind === "problem") problems.push({ position, fieldPath: "(line)", message: outcome.message, raw: outcome.raw });
    });
    return { records, problems };
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    const message = error instanceof RangeError ? `nested more than ${MAX_JSON_DEPTH} levels deep (too deep to parse)` : describeJsonSyntaxError(error, body);
    problems.push({ position: name, fieldPath: "(file)", message, raw: body.slice(0, 10_000) });
    return { records, problems };
  }
  const envelope = SessionFileEnvelope.safeParse(value);
  const checkLength = body.length > MAX_LINE_BYTES;
  if (!envelope.success) {
    problems.push({ position: name, fieldPath: "(file)", message: "a .json session file must hold an array of sessions or one session object", raw: body.slice(0, 10_000) });
  } else if (Array.isArray(envelope.data)) {
    envelope.data.forEach((raw, index) => {
      const position = `${name}[${index}]`;
      const problem = recordProblem(raw, checkLength);
      // A record too deep is kept as text: the quarantine table stores JSON, and JSON.stringify would overflow on it.
      if (problem) problems.push({ position, fieldPath: "(record)", message: problem, raw: null });
      else records.push({ raw, position });
    });
  } else {
    const problem = recordProblem(envelope.data, checkLength);
    if (problem) problems.push({ position: name, fieldPath: "(file)", message: problem, raw: body.slice(0, 10_000) });
    else records.push({ raw: envelope.data, position: name });
  }
  return { records, problems };
}

/** A `.json` session file as text, or the one problem that keeps it from being read. */
export type JsonSessionFileContent = { ok: true; text: string; sha256: string } | { ok: false; problem: SessionFileProblem; sha256: string };

/** Reads a `.json` session file whole, strictly as UTF-8, up to MAX_JSON_FILE_BYTES. */
export async function readJsonSessionFile(entry: SessionFileEntry): Promise<JsonSessionFileContent> {
  if (entry.size > MAX_JSON_FILE_BYTES) {
    const { hash } = await hashFileRange(entry.path, 0, Number.POSITIVE_INFINITY);
    const message = `file larger than ${formatBytes(MAX_JSON_FILE_BYTES)} (${entry.size} bytes): not read; write large exports as NDJSON, one session per line`;
    return { ok: false, sha256: hash.digest("hex"), problem: { position: entry.name, fieldPath: "(file)", message, raw: { bytes: entry.size } } };
  }
  const bytes = await readFile(entry.path);
  const digest = createHash("sha256").update(bytes).digest("hex");
  const badLine = firstNonUtf8Line(bytes);
  if (badLine !== undefined) {
    return { ok: false, sha256: digest, problem: { position: entry.name, fieldPath: "(file)", message: `not valid UTF-8 (line ${badLine})`, raw: { bytes: bytes.length } } };
  }
  return { ok: true, text: bytes.toString("utf8"), sha256: digest };
}
