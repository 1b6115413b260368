/**
 * Files of Session objects (UPSCOPE_SESSION_FILES): a customer's exports or stored
 * webhook bodies, the only source of Upscope sessions older than the API's 30 days of
 * "recent sessions". Every `*.json` (an array of sessions, or one session), `*.ndjson`
 * and `*.jsonl` file in the folder is read (names starting with "." or "_" are skipped:
 * temporary and hidden files). Each file is tracked by a fingerprint so an unchanged
 * file is not read again (sync/file-cursor.ts' `WholeFileFingerprint`): size and mtime
 * decide "unchanged" without reading; when they moved, the content hash decides whether
 * the content really changed (a copy that only touched the mtime is not parsed again).
 * A changed file is read again whole.
 *
 * Bad input is a problem of its own line or record, never of the source: NDJSON files
 * are streamed line by line (sync/file-lines.ts: strict UTF-8, 8 MiB per line, a depth
 * limit); a `.json` file is one JSON document, read whole up to MAX_JSON_FILE_BYTES, and
 * a record in it that is nested too deeply or longer than 8 MiB is quarantined by its
 * index. A file with problems is still marked as read: it is read again only once it changes.
 */
import { readFile } from "node:fs/promises";
import { describeJsonSyntaxError, MAX_JSON_DEPTH, nestedDeeperThan } from "../../embedded/json-text.js";
import { listFiles, sha256, sha256OfFile, type FileEntry } from "../sync/file-cursor.js";
import { firstNonUtf8Line, formatBytes, MAX_LINE_BYTES, parseLineText } from "../sync/file-lines.js";
import { SessionFileEnvelope } from "./schemas.js";

/** Largest `.json` file read (whole: a JSON document cannot be cut into lines). NDJSON files have no limit. */
export const MAX_JSON_FILE_BYTES = 256 * 1024 * 1024;

const SESSION_FILE = /\.(json|ndjson|jsonl)$/i;

/** The session files at `location` (a folder, or one file), sorted by name. */
export function listSessionFiles(location: string): Promise<FileEntry[]> {
  return listFiles(location, { pattern: SESSION_FILE, variable: "UPSCOPE_SESSION_FILES", singleFile: true });
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
export async function readJsonSessionFile(entry: FileEntry): Promise<JsonSessionFileContent> {
  if (entry.size > MAX_JSON_FILE_BYTES) {
    const message = `file larger than ${formatBytes(MAX_JSON_FILE_BYTES)} (${entry.size} bytes): not read; write large exports as NDJSON, one session per line`;
    return { ok: false, sha256: await sha256OfFile(entry.path), problem: { position: entry.name, fieldPath: "(file)", message, raw: { bytes: entry.size } } };
  }
  const bytes = await readFile(entry.path);
  const digest = sha256(bytes);
  const badLine = firstNonUtf8Line(bytes);
  if (badLine !== undefined) {
    return { ok: false, sha256: digest, problem: { position: entry.name, fieldPath: "(file)", message: `not valid UTF-8 (line ${badLine})`, raw: { bytes: bytes.length } } };
  }
  return { ok: true, text: bytes.toString("utf8"), sha256: digest };
}
