/** What every source's sync receives from the engine. */
import type { SyncConfig } from "../settings.js";
import type { Lake } from "../lake/index.js";
import type { Pseudonymizer } from "../privacy.js";
import type { SyncProgress } from "./progress.js";
import type { QuarantineEntry } from "./validate.js";

export interface SourceRunContext {
  config: SyncConfig;
  lake: Lake;
  progress: SyncProgress;
  runId: string;
  now: Date;
  /** Re-read from here instead of the stored watermark (`--since`). */
  since: Date | undefined;
  /** Re-read the whole history (`--full`). */
  full: boolean;
  pseudonym: Pseudonymizer;
  /** Options for every HTTP client of this run (tests scale retry delays down). */
  http: { delayScale?: number };
}

export interface SourceRunResult {
  records: number;
  quarantined: number;
  /**
   * From here on, the run read everything the vendor has (its first window, or for
   * Upscope the visitors active since then). The data contracts compare two runs'
   * returned records only over such hours; a replay reads nothing and leaves it out.
   */
  rereadFrom?: Date;
}

/** Where a source starts reading: `--full`, `--since`, or the watermark minus the trailing window. */
export function readFrom(ctx: SourceRunContext, watermark: string | undefined): Date {
  const historyStart = new Date(ctx.now.getTime() - ctx.config.historyDays * 24 * 3600 * 1000);
  if (ctx.full || watermark === undefined) return ctx.since ?? historyStart;
  if (ctx.since) return ctx.since;
  const trailing = new Date(Date.parse(watermark) - ctx.config.trailingWindowHours * 3600 * 1000);
  return trailing < historyStart ? historyStart : trailing;
}

export async function saveQuarantine(ctx: SourceRunContext, entries: readonly QuarantineEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const fetchedAt = new Date();
  await ctx.lake.quarantine(
    entries.map((entry) => ({
      source: entry.source,
      recordId: `${entry.stream}:${entry.recordId}`,
      fieldPath: entry.fieldPath,
      message: entry.message,
      raw: entry.raw,
      fetchedAt,
      runId: ctx.runId,
    })),
  );
}
