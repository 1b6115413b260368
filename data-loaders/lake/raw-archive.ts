/**
 * Raw response archive: every vendor response of a run, as gzip-compressed NDJSON,
 * so staging models can be rebuilt (`--replay`) without fetching again.
 *
 *   <root>/_raw/source=<source>/run=<runId>/part-00000.ndjson.gz
 *
 * Records are buffered and written a chunk at a time, each chunk as a complete gzip
 * file committed by atomic rename: a crash loses at most the unflushed chunk of a
 * run that did not finish (whose data the next run fetches again anyway), and never
 * leaves a truncated gzip that would break replay. URLs are redacted before they are
 * stored; request headers are not stored at all.
 */
import { createReadStream } from "node:fs";
import { mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { createGunzip, gzip } from "node:zlib";
import { z } from "zod";
import { redactUrl } from "../http/redact.js";
import { writeFileAtomic } from "./fs-atomic.js";
import { rawRunDirectory, rawSourceDirectory } from "./layout.js";

export interface RawResponseRecord {
  fetchedAt: string;
  method: string;
  /** Redacted on write. */
  url: string;
  status: number;
  /** The request body, if any (search filters), for replaying paging decisions. */
  requestBody?: unknown;
  /** The response body exactly as received (text, so even invalid JSON is kept). */
  body: string;
}

export interface ArchivedResponse extends RawResponseRecord {
  source: string;
  runId: string;
}

export interface RawArchiveWriter {
  readonly source: string;
  readonly runId: string;
  append(record: RawResponseRecord): Promise<void>;
  /** Writes buffered records now (e.g. after each page). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface RawArchiveOptions {
  /** Records per file. Default 500. */
  maxRecordsPerFile?: number;
  /** Uncompressed bytes per file. Default 16 MiB. */
  maxBytesPerFile?: number;
}

const PART_FILE = /^part-(\d{5,})\.ndjson\.gz$/;

// Compressed on libuv's thread pool: gzipSync held the event loop for ~0.4 s per
// 10,000 LivePerson records, time the sync could spend parsing the next pages.
const gzipAsync = promisify(gzip);

const archivedLineSchema = z.object({
  fetchedAt: z.string(),
  method: z.string(),
  url: z.string(),
  status: z.number().int(),
  requestBody: z.unknown().optional(),
  body: z.string(),
});

async function existingPartNumbers(directory: string): Promise<number[]> {
  const entries = await readdir(directory).catch(() => [] as string[]);
  return entries.flatMap((name) => {
    const match = PART_FILE.exec(name);
    return match?.[1] === undefined ? [] : [Number(match[1])];
  });
}

export async function openRawArchive(root: string, source: string, runId: string, options: RawArchiveOptions = {}): Promise<RawArchiveWriter> {
  const directory = rawRunDirectory(root, source, runId);
  await mkdir(directory, { recursive: true });
  const maxRecords = options.maxRecordsPerFile ?? 500;
  const maxBytes = options.maxBytesPerFile ?? 16 * 1024 * 1024;
  // Continue numbering if the same run id is reopened, so nothing archived is overwritten.
  let nextPart = Math.max(-1, ...(await existingPartNumbers(directory))) + 1;
  let lines: string[] = [];
  let bytes = 0;
  let closed = false;

  const flush = async (): Promise<void> => {
    if (lines.length === 0) return;
    const content = `${lines.join("\n")}\n`;
    lines = [];
    bytes = 0;
    const name = `part-${String(nextPart++).padStart(5, "0")}.ndjson.gz`;
    await writeFileAtomic(join(directory, name), await gzipAsync(content));
  };

  return {
    source,
    runId,
    async append(record) {
      if (closed) throw new Error(`Raw archive ${source}/${runId} is closed`);
      const line = JSON.stringify({ ...record, url: redactUrl(record.url) });
      lines.push(line);
      bytes += Buffer.byteLength(line);
      if (lines.length >= maxRecords || bytes >= maxBytes) await flush();
    },
    flush,
    async close() {
      if (closed) return;
      await flush();
      closed = true;
    },
  };
}

/** Run ids archived for a source, oldest first when run ids sort by time (as they should). */
export async function listRawArchiveRuns(root: string, source: string): Promise<string[]> {
  const entries = await readdir(rawSourceDirectory(root, source)).catch(() => [] as string[]);
  return entries.filter((entry) => entry.startsWith("run=")).map((entry) => entry.slice(4)).sort();
}

/** Archived responses of one run (or of every run, in order), in the order they were appended. */
export async function* iterateRawArchive(root: string, source: string, options: { runId?: string } = {}): AsyncGenerator<ArchivedResponse> {
  const runIds = options.runId !== undefined ? [options.runId] : await listRawArchiveRuns(root, source);
  for (const runId of runIds) {
    const directory = rawRunDirectory(root, source, runId);
    const parts = (await readdir(directory).catch(() => [] as string[]))
      .filter((name) => PART_FILE.test(name))
      .sort();
    for (const part of parts) {
      const lines = createInterface({ input: createReadStream(join(directory, part)).pipe(createGunzip()), crlfDelay: Infinity });
      let lineNumber = 0;
      for await (const line of lines) {
        lineNumber++;
        if (line === "") continue;
        const parsed = archivedLineSchema.safeParse(JSON.parse(line));
        if (!parsed.success) throw new Error(`Malformed raw archive line ${join(directory, part)}:${lineNumber}: ${parsed.error.message}`);
        yield { ...parsed.data, source, runId };
      }
    }
  }
}
