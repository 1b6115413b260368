/**
 * Syncs LivePerson engagements into the lake. Windows are read with bounded
 * concurrency and committed in batches (sync/windows.ts), and the watermark only
 * moves over a contiguous prefix of committed windows, so a crash or kill at any
 * point loses nothing (those windows are read again) and duplicates nothing
 * (records merge by engagementId).
 */
import { createHttpClient } from "../http/index.js";
import { livePersonPolicy } from "./retry-policy.js";
import { commitRows } from "../sync/commit.js";
import { readFrom, saveQuarantine, type SourceRunContext, type SourceRunResult } from "../sync/context.js";
import { readWindowsWithWatermark } from "../sync/windows.js";
import { LivePersonClient } from "./client.js";
import { ENGAGEMENTS_TABLE, planWindows, readWindow, type Window, type WindowResult } from "./stream.js";

/** Day windows: a day of enterprise volume (~2,500 records) pages in ~25 requests. */
export const WINDOW_MS = 24 * 3600 * 1000;
/**
 * Windows read at once per request allowed in flight: while one window's page is being
 * validated, another window's request keeps the connection busy (the HTTP client
 * still caps requests in flight at C).
 */
export const WINDOWS_PER_REQUEST_SLOT = 2;

export async function syncLivePerson(ctx: SourceRunContext): Promise<SourceRunResult> {
  const config = ctx.config.sources.liveperson;
  if (!config) throw new Error("liveperson is not configured");
  const state = await ctx.lake.readState("liveperson");
  const from = readFrom(ctx, state?.watermarks.engagements);
  const windows = planWindows(from.getTime(), ctx.now.getTime(), WINDOW_MS);
  const http = createHttpClient({
    source: "liveperson",
    defaultPolicy: livePersonPolicy(),
    maxConcurrency: config.concurrency,
    budgetMs: ctx.config.httpTimeBudgetMs,
    ...ctx.http,
    onEvent: (event) => {
      if (event.type === "retry") ctx.progress.retry("liveperson");
    },
  });
  const client = new LivePersonClient(config, http);
  const archive = await ctx.lake.openRawArchive("liveperson", ctx.runId);
  let records = 0;
  let quarantined = 0;

  const read = (window: Window) =>
    readWindow(client, window, ctx.pseudonym, {
      onPage: async (page, requestBody) => {
        ctx.progress.page("liveperson", page.records.length);
        await archive.append({ fetchedAt: new Date().toISOString(), method: "POST", url: page.url, status: 200, requestBody, body: page.text });
      },
      onRetry: () => ctx.progress.retry("liveperson"),
    });

  const commit = async (reads: readonly WindowResult[]) => {
    // Archived first, so --replay can rebuild everything that was committed.
    await archive.flush();
    // A record starting exactly on a window boundary is listed by both windows.
    const rows = new Map(reads.flatMap((result) => result.rows.map((row) => [String(row.engagement_id), row] as const)));
    const problems = reads.flatMap((result) => result.problems);
    const { written } = await commitRows(ctx.lake, ENGAGEMENTS_TABLE, [...rows.values()]);
    await saveQuarantine(ctx, problems);
    ctx.progress.written("liveperson", written);
    const badRecords = new Set(problems.map((p) => p.recordId)).size;
    ctx.progress.quarantine("liveperson", badRecords);
    records += reads.reduce((sum, result) => sum + result.records, 0);
    quarantined += badRecords;
  };

  try {
    // LivePerson's own 429 pause and the client's concurrency bound keep the request rate polite.
    await readWindowsWithWatermark(ctx, {
      source: "liveperson",
      watermark: "engagements",
      windows,
      concurrency: WINDOWS_PER_REQUEST_SLOT * config.concurrency,
      read,
      rowsOf: (result) => result.rows.length,
      commit,
    });
  } finally {
    await archive.close();
    await http.close();
  }
  return { records, quarantined, ...(windows[0] ? { rereadFrom: new Date(windows[0].from) } : {}) };
}
