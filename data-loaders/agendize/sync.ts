/**
 * Syncs Agendize chat histories into the lake, and rebuilds them from the raw
 * archive (`--replay`). Grid windows are read with bounded concurrency; each is
 * committed (chats, vendor summaries, quarantine) as soon as it is complete, and the
 * watermark only moves over a contiguous prefix of committed windows, so a crash or
 * kill at any point loses nothing (those windows are read again) and duplicates
 * nothing (records merge by chat id, summaries by their requested window).
 */
import type { AgendizeConfig } from "./config.js";
import { createHttpClient } from "../http/index.js";
import { listRawArchiveRuns } from "../lake/index.js";
import { commitRows, type MappedRow } from "../sync/commit.js";
import { readFrom, saveQuarantine, type SourceRunContext, type SourceRunResult } from "../sync/context.js";
import { readWindowsWithWatermark } from "../sync/windows.js";
import { AgendizeClient, agendizePolicy, parseListBody } from "./client.js";
import {
  CHATS_TABLE,
  DAY_MS,
  LIST_SUMMARIES_TABLE,
  collectListResponse,
  emptyListRead,
  gridWindows,
  keptSpanOf,
  mergeRow,
  readWindow,
  type ListRead,
  type Span,
} from "./stream.js";
import { assertValidTimeZone, InvalidTimeZoneError } from "./timezone.js";

const SOURCE = "agendize";
/** Rows a replay holds before committing them. */
const REPLAY_BATCH_ROWS = 5000;

function agendizeConfig(ctx: SourceRunContext): AgendizeConfig {
  const config = ctx.config.sources.agendize;
  if (!config) throw new Error("agendize is not configured");
  try {
    assertValidTimeZone(config.companyTimeZone);
  } catch (error) {
    if (error instanceof InvalidTimeZoneError) {
      throw new Error(`AGENDIZE_COMPANY_TIME_ZONE "${config.companyTimeZone}" is not an IANA time zone this runtime knows (e.g. Europe/Paris)`);
    }
    throw error;
  }
  return config;
}

/** Counts distinct records and quarantined records over a run (a record seen by two windows counts once). */
class RunTally {
  private readonly records = new Set<string>();
  private readonly quarantined = new Set<string>();

  /** Adds a read; returns how many quarantined records it newly names. */
  add(read: ListRead): number {
    for (const id of read.chats.keys()) this.records.add(`chats:${id}`);
    for (const id of read.summaries.keys()) this.records.add(`list_summaries:${id}`);
    const before = this.quarantined.size;
    for (const key of read.problems.keys()) {
      this.records.add(key);
      this.quarantined.add(key);
    }
    return this.quarantined.size - before;
  }

  result(): SourceRunResult {
    return { records: this.records.size, quarantined: this.quarantined.size };
  }
}

/** Commits what reads hold: chats, summaries, then quarantine. Returns rows written. */
async function commitReads(ctx: SourceRunContext, reads: readonly ListRead[]): Promise<number> {
  // Windows are disjoint by start, but merge as a re-read does in case two hold one chat.
  const chats = new Map<string, MappedRow>();
  const summaries = new Map<string, MappedRow>();
  for (const read of reads) {
    for (const [id, row] of read.chats) mergeRow(chats, id, row);
    for (const [id, row] of read.summaries) mergeRow(summaries, id, row);
  }
  const chatsWritten = await commitRows(ctx.lake, CHATS_TABLE, [...chats.values()]);
  const summariesWritten = await commitRows(ctx.lake, LIST_SUMMARIES_TABLE, [...summaries.values()]);
  await saveQuarantine(ctx, reads.flatMap((read) => [...read.problems.values()].flat()));
  return chatsWritten.written + summariesWritten.written;
}

export async function syncAgendize(ctx: SourceRunContext): Promise<SourceRunResult> {
  const config = agendizeConfig(ctx);
  const state = await ctx.lake.readState(SOURCE);
  const from = readFrom(ctx, state?.watermarks.chats);
  const windows = gridWindows(from.getTime(), ctx.now.getTime(), config.windowDays * DAY_MS);
  const http = createHttpClient({
    source: SOURCE,
    defaultPolicy: agendizePolicy(),
    maxConcurrency: config.concurrency,
    budgetMs: ctx.config.httpTimeBudgetMs,
    ...ctx.http,
    onEvent: (event) => {
      if (event.type === "retry") ctx.progress.retry(SOURCE);
    },
  });
  const client = new AgendizeClient(config, http);
  const archive = await ctx.lake.openRawArchive(SOURCE, ctx.runId);
  const tally = new RunTally();
  const read = (window: Span) =>
    readWindow(client, window, config.companyTimeZone, ctx.pseudonym, {
      onPage: async (page) => {
        ctx.progress.page(SOURCE, page.items.length);
        await archive.append({ fetchedAt: page.fetchedAt.toISOString(), method: "GET", url: page.url, status: page.status, body: page.text });
      },
      onSplit: () => ctx.progress.note(`[${SOURCE}] a list was cut short; reading its window in halves`),
    });
  const commit = async (reads: readonly ListRead[]) => {
    // Archived before committing, so --replay can rebuild everything that was committed.
    await archive.flush();
    ctx.progress.written(SOURCE, await commitReads(ctx, reads));
    for (const done of reads) ctx.progress.quarantine(SOURCE, tally.add(done));
  };

  try {
    // The client bounds requests in flight; the pool keeps that many windows busy.
    await readWindowsWithWatermark(ctx, {
      source: SOURCE,
      watermark: "chats",
      windows,
      concurrency: config.concurrency,
      read,
      rowsOf: (done) => done.chats.size,
      commit,
    });
  } finally {
    await archive.close();
    await http.close();
  }
  return { ...tally.result(), ...(windows[0] ? { rereadFrom: new Date(windows[0].from) } : {}) };
}

/** The requested bounds of an archived list URL, in order (a reversed request included). */
function requestedSpanOfUrl(url: string): Span | undefined {
  const params = new URL(url).searchParams;
  const startDate = Date.parse(params.get("startDate") ?? "");
  const endDate = Date.parse(params.get("endDate") ?? "");
  if (Number.isNaN(startDate) || Number.isNaN(endDate)) return undefined;
  return { from: Math.min(startDate, endDate), to: Math.max(startDate, endDate) };
}

/** Archived runs in the order they fetched (run ids sort by clock, which a pinned clock makes ambiguous). */
async function runsInFetchOrder(ctx: SourceRunContext): Promise<string[]> {
  const firstFetch = new Map<string, string>();
  for (const runId of await listRawArchiveRuns(ctx.lake.root, SOURCE)) {
    let first: string | undefined;
    for await (const response of ctx.lake.iterateRawArchive(SOURCE, { runId })) first ??= response.fetchedAt;
    if (first !== undefined) firstFetch.set(runId, first);
  }
  return [...firstFetch].sort(([runA, a], [runB, b]) => Date.parse(a) - Date.parse(b) || runA.localeCompare(runB)).map(([runId]) => runId);
}

/**
 * `--replay`: rebuilds `agendize.chats` and `agendize.list_summaries` from every
 * archived response, oldest run first, with the same keeping and merging rules as
 * the sync, fetching nothing. Watermarks are left alone.
 */
export async function replayAgendize(ctx: SourceRunContext): Promise<SourceRunResult> {
  const config = agendizeConfig(ctx);
  const tally = new RunTally();
  let batch = emptyListRead();
  const flush = async () => {
    ctx.progress.written(SOURCE, await commitReads(ctx, [batch]));
    ctx.progress.quarantine(SOURCE, tally.add(batch));
    batch = emptyListRead();
  };
  for (const runId of await runsInFetchOrder(ctx)) {
    for await (const response of ctx.lake.iterateRawArchive(SOURCE, { runId })) {
      const requested = requestedSpanOfUrl(response.url);
      if (response.method !== "GET" || response.status < 200 || response.status >= 300 || requested === undefined) continue;
      const { summary, items } = parseListBody(JSON.parse(response.body), `archived response of run ${runId}`);
      ctx.progress.page(SOURCE, items.length);
      collectListResponse(
        { requested, kept: keptSpanOf(requested), summary, items, fetchedAt: new Date(response.fetchedAt) },
        config.companyTimeZone,
        ctx.pseudonym,
        batch,
      );
      if (batch.chats.size >= REPLAY_BATCH_ROWS) await flush();
    }
  }
  await flush();
  return tally.result();
}
