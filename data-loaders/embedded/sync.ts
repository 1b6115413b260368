/**
 * Syncs embedded session events into the lake (`embedded.events`) from the folder the
 * collector writes (EMBEDDED_EVENTS_DIR; in demo mode the simulator's event files).
 *
 * Each file is read only when new or grown (event-files.ts), and then only its unread
 * tail, cut at the last complete line. Every chunk read is archived (method "FILE",
 * with its byte range) before its rows are committed, and the file's fingerprint is
 * saved only after the commit: a run killed at any point reads the same bytes again
 * next time, and rows merge by event id, so nothing is lost or doubled.
 *
 * `--full` and `--since` read every file from its start again. Files that disappear
 * are forgotten (their rows stay in the lake): a collector may rotate old files away.
 */
import { readFile } from "node:fs/promises";
import type { SourceState } from "../lake/state.js";
import { commitRows } from "../sync/commit.js";
import type { SourceRunContext, SourceRunResult } from "../sync/context.js";
import { EMBEDDED_PROGRESS_SOURCE, EMBEDDED_SOURCE, embeddedConfigOf } from "./config.js";
import { listEventFiles, looksUnchanged, parseEventLines, readEventFilesCursor, sha256, unreadPart, type EventFilesCursor } from "./event-files.js";
import { EVENTS_TABLE, RecordedEventCollector, type EventProblem } from "./stream.js";

/** Records collected before a commit: bounds memory and the work a crash can cost. */
const COMMIT_EVERY_RECORDS = 5000;

/** The archive URL of a chunk: the file's name inside the folder (never the local path), its bytes and first line. */
export function chunkUrl(name: string, start: number, end: number, firstLine: number): string {
  return `file:///${encodeURIComponent(name)}?bytes=${start}-${end}&line=${firstLine}`;
}

function chunkOf(url: string): { name: string; firstLine: number } {
  const parsed = new URL(url);
  return { name: decodeURIComponent(parsed.pathname.replace(/^\/+/, "")), firstLine: Number(parsed.searchParams.get("line") ?? "1") || 1 };
}

async function saveProblems(ctx: SourceRunContext, problems: readonly EventProblem[]): Promise<void> {
  if (problems.length === 0) return;
  const fetchedAt = new Date();
  await ctx.lake.quarantine(problems.map((problem) => ({ ...problem, fetchedAt, runId: ctx.runId })));
}

/** Commits what the collector holds: rows (merged by event id), then quarantine. */
async function commit(ctx: SourceRunContext, collector: RecordedEventCollector): Promise<void> {
  const batch = collector.take();
  const written = await commitRows(ctx.lake, EVENTS_TABLE, batch.rows);
  await saveProblems(ctx, batch.problems);
  ctx.progress.written(EMBEDDED_PROGRESS_SOURCE, written.written);
  if (batch.newlyQuarantined > 0) ctx.progress.quarantine(EMBEDDED_PROGRESS_SOURCE, batch.newlyQuarantined);
}

/**
 * Adds a chunk's lines to the collector, handing it to `flush` whenever it holds enough
 * (a big file is not mapped whole in memory). Returns the lines read.
 */
async function ingestChunk(collector: RecordedEventCollector, name: string, text: string, firstLine: number, flush: () => Promise<void>): Promise<number> {
  const parsed = parseEventLines(name, text, firstLine);
  for (const problem of parsed.problems) collector.addProblem(problem.position, problem.message, problem.raw);
  for (const line of parsed.lines) {
    collector.add(line.raw, line.position);
    if (collector.size >= COMMIT_EVERY_RECORDS) await flush();
  }
  return parsed.lines.length + parsed.problems.length;
}

export async function syncEmbedded(ctx: SourceRunContext): Promise<SourceRunResult> {
  const config = embeddedConfigOf(ctx.config);
  if (!config) throw new Error("embedded is not configured (EMBEDDED_EVENTS_DIR)");
  const stored = await ctx.lake.readState(EMBEDDED_SOURCE);
  const state: SourceState = {
    watermarks: { ...(stored?.watermarks ?? {}) },
    lastSuccessAt: stored?.lastSuccessAt ?? null,
    lastRunId: ctx.runId,
    cursor: readEventFilesCursor(stored?.cursor),
  };
  const cursor = state.cursor as EventFilesCursor;
  const saveState = () => ctx.lake.writeState(EMBEDDED_SOURCE, state);
  const force = ctx.full || ctx.since !== undefined;
  const collector = new RecordedEventCollector();
  const archive = await ctx.lake.openRawArchive(EMBEDDED_SOURCE, ctx.runId);
  // Fingerprints of files read but not committed yet: saved only after their rows are.
  let readSinceCommit: Array<[string, EventFilesCursor["files"][string]]> = [];
  const commitAndMark = async () => {
    await archive.flush(); // archive first, commit second: every committed row can be rebuilt by --replay
    await commit(ctx, collector);
    for (const [name, fingerprint] of readSinceCommit) cursor.files[name] = fingerprint;
    readSinceCommit = [];
    await saveState();
  };
  try {
    const entries = await listEventFiles(config.eventsDir);
    let unchanged = 0;
    for (const entry of entries) {
      const before = cursor.files[entry.name];
      if (!force && looksUnchanged(entry, before)) {
        unchanged += 1;
        continue;
      }
      const content = await readFile(entry.path);
      const part = unreadPart(content, before, force);
      if (part.end > part.start) {
        const text = content.subarray(part.start, part.end).toString("utf8");
        await archive.append({ fetchedAt: new Date().toISOString(), method: "FILE", url: chunkUrl(entry.name, part.start, part.end, part.firstLine), status: 200, body: text });
        ctx.progress.page(EMBEDDED_PROGRESS_SOURCE, await ingestChunk(collector, entry.name, text, part.firstLine, commitAndMark));
      } else {
        unchanged += 1;
      }
      readSinceCommit.push([entry.name, { size: content.length, mtimeMs: entry.mtimeMs, consumed: part.end, sha256: sha256(content.subarray(0, part.end)) }]);
      // Small files are committed together: every commit rewrites a month of the table.
      if (collector.size >= COMMIT_EVERY_RECORDS) await commitAndMark();
    }
    await commitAndMark();
    const present = new Set(entries.map((entry) => entry.name));
    for (const name of Object.keys(cursor.files)) if (!present.has(name)) delete cursor.files[name];
    ctx.progress.note(`[embedded] event files: ${entries.length - unchanged} read, ${unchanged} unchanged`);
    state.watermarks = { ...state.watermarks, files: ctx.now.toISOString() };
    state.lastSuccessAt = new Date().toISOString();
    await saveState();
  } finally {
    await archive.close();
  }
  return collector.counts;
}

/** `--replay`: rebuilds `embedded.events` from the archived chunks alone, oldest run first. */
export async function replayEmbedded(ctx: SourceRunContext): Promise<SourceRunResult> {
  const collector = new RecordedEventCollector();
  for await (const entry of ctx.lake.iterateRawArchive(EMBEDDED_SOURCE)) {
    if (entry.method !== "FILE") continue;
    const { name, firstLine } = chunkOf(entry.url);
    ctx.progress.page(EMBEDDED_PROGRESS_SOURCE, await ingestChunk(collector, name, entry.body, firstLine, () => commit(ctx, collector)));
  }
  await commit(ctx, collector);
  return collector.counts;
}
