/**
 * Files of Session objects (UPSCOPE_SESSION_FILES): a customer's exports or stored
 * webhook bodies, the only source of Upscope sessions older than the API's 30 days of
 * "recent sessions". Every `*.json` (an array of sessions, or one session), `*.ndjson`
 * and `*.jsonl` file in the folder is read (names starting with "." or "_" are skipped:
 * temporary and hidden files). Each file is tracked by a fingerprint so an unchanged
 * file is not read again: size and mtime decide "unchanged" without reading; when they
 * moved, the content hash decides whether the content really changed (a copy that only
 * touched the mtime is not parsed again).
 */
import { createHash } from "node:crypto";
import { readdir, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { z } from "zod";
import { SessionFileEnvelope } from "./schemas.js";

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

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
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
  message: string;
  raw: unknown;
}

export interface ParsedSessionFile {
  records: SessionFileRecord[];
  problems: SessionFileProblem[];
}

const isLineDelimited = (name: string) => /\.(ndjson|jsonl)$/i.test(name);

/**
 * Splits a file into raw Session records. A malformed NDJSON line is a problem of that
 * line only; a `.json` file that does not parse (or is neither an array nor an object)
 * is one problem for the whole file. Nothing is validated against the Session schema here.
 */
export function parseSessionFile(name: string, text: string): ParsedSessionFile {
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const records: SessionFileRecord[] = [];
  const problems: SessionFileProblem[] = [];
  if (isLineDelimited(name)) {
    const lines = body.split("\n");
    lines.forEach((line, index) => {
      const trimmed = line.trim();
      if (trimmed === "") return;
      const position = `${name}:${index + 1}`;
      try {
        records.push({ raw: JSON.parse(trimmed), position });
      } catch (error) {
        problems.push({ position, message: `not valid JSON: ${(error as Error).message}`, raw: trimmed });
      }
    });
    return { records, problems };
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    problems.push({ position: name, message: `not valid JSON: ${(error as Error).message}`, raw: body.slice(0, 10_000) });
    return { records, problems };
  }
  const envelope = SessionFileEnvelope.safeParse(value);
  if (!envelope.success) {
    problems.push({ position: name, message: "a .json session file must hold an array of sessions or one session object", raw: value });
  } else if (Array.isArray(envelope.data)) {
    envelope.data.forEach((raw, index) => records.push({ raw, position: `${name}[${index}]` }));
  } else {
    records.push({ raw: envelope.data, position: name });
  }
  return { records, problems };
}
