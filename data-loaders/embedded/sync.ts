/**
 * Syncs embedded session events into the lake (`embedded.events`) from the folder the
 * collector writes (EMBEDDED_EVENTS_DIR; in demo mode the simulator's event files).
 *
 * Each file is read only when new or grown (sync/file-cursor.ts), and then only its
 * unread tail, cut at the last complete line. Every chunk read is archived (method "FILE",
 * with its byte range) before its rows are committed, and the file's fingerprint is
 * saved only after the commit: a run killed at any point reads the same bytes again
 * next time, and rows merge by event id, so nothing is lost or doubled.
 *
 * `--full` and `--since` read every file from its start again. Files that disappear
 * are forgotten (their rows stay in the lake): a collector may rotate old files away.
 */
import { commitRows } from "../sync/commit.js";
import type { SourceRunContext, SourceRunResult } from "../sync/context.js";
import { openFilesState, readAppendedLines, TailFingerprint } from "../sync/file-cursor.js";
import { chunkOf, replayChunk, type LineSink } from "../sync/file-lines.js";
import { EMBEDDED_PROGRESS_SOURCE, EMBEDDED_SOURCE, embeddedConfigOf } from "./config.js";
import { listEventFiles } from "./event-files.js";
import { EVENTS_TABLE, RecordedEventCollector, type EventProblem } from "./stream.js";

/** Records collected before a commit: bounds memory and the work a crash can cost. */
const COMMIT_EVERY_RECORDS = 5000;

export { chunkUrl } from "../sync/file-lines.js";

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

/** Lines go to the collector: events are validated, unreadable lines quarantined as lines. */
function sinkOf(collector: RecordedEventCollector): LineSink {
  return {
    value: (raw, position) => collector.add(raw, position),
    problem: (position, message, raw) => collector.addProblem(position, message, raw),
  };
}

export async function syncEmbedded(ctx: SourceRunContext): Promise<SourceRunResult> {
  const config = embeddedConfigOf(ctx.config);
  if (!config) throw new Error("embedded is not configured (EMBEDDED_EVENTS_DIR)");
  const { state, files } = await openFilesState(ctx.lake, EMBEDDED_SOURCE, ctx.runId, TailFingerprint);
  const saveState = () => ctx.lake.writeState(EMBEDDED_SOURCE, state);
  const force = ctx.full || ctx.since !== undefined;
  const collector = new RecordedEventCollector();
  const sink = sinkOf(collector);
  const archive = await ctx.lake.openRawArchive(EMBEDDED_SOURCE, ctx.runId);
  // Fingerprints of files read are staged, and saved only after their rows are committed.
  const commitAndMark = async () => {
    await archive.flush(); // archive first, commit second: every committed row can be rebuilt by --replay
    await commit(ctx, collector);
    files.markStaged();
    await saveState();
  };
  try {
    for (const entry of files.changed(await listEventFiles(config.eventsDir), force)) {
      const read = await readAppendedLines(entry, files.stored(entry.name), force, {
        archive,
        sink,
        wantsCommit: () => collector.size >= COMMIT_EVERY_RECORDS,
        commit: commitAndMark, // marks the files read before this one; this one's fingerprint moves once it is read to its end
      });
      if (read.lines > 0) ctx.progress.page(EMBEDDED_PROGRESS_SOURCE, read.lines);
      else files.countUnchanged();
      files.stage(entry.name, read.fingerprint);
      // Small files are committed together: every commit rewrites a month of the table.
      if (collector.size >= COMMIT_EVERY_RECORDS) await commitAndMark();
    }
    await commitAndMark();
    ctx.progress.note(`[embedded] event files: ${files.finish()}`);
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
  const sink = sinkOf(collector);
  for await (const entry of ctx.lake.iterateRawArchive(EMBEDDED_SOURCE)) {
    if (entry.method !== "FILE") continue;
    const { name, firstLine } = chunkOf(entry.url);
    ctx.progress.page(EMBEDDED_PROGRESS_SOURCE, replayChunk(name, entry.body, firstLine ?? 1, entry.requestBody, sink));
    if (collector.size >= COMMIT_EVERY_RECORDS) await commit(ctx, collector);
  }
  await commit(ctx, collector);
  return collector.counts;
}
