/**
 * `--replay`: rebuild a source's lake tables from its raw archive without a single
 * request. Archived responses are read oldest run first, in the order they were
 * received, and fed through the same validation and mapping as a live sync, so a
 * later copy of a record replaces an earlier one exactly as it did when fetched.
 * Rows are committed in batches to keep memory flat over a year of archives.
 */
import type { ArchivedResponse, TableSpec } from "../lake/index.js";
import { COMMIT_BATCH_ROWS, commitRows, type MappedRow } from "./commit.js";
import { saveQuarantine, type SourceRunContext, type SourceRunResult } from "./context.js";
import type { QuarantineEntry } from "./validate.js";

export interface ReplayedResponse {
  /** Rows per table, keyed by primary key within this response. */
  rows: Array<{ spec: TableSpec; row: MappedRow }>;
  problems: QuarantineEntry[];
  records: number;
}

export async function replayArchive(
  ctx: SourceRunContext,
  source: string,
  mapResponse: (response: ArchivedResponse) => ReplayedResponse | undefined,
): Promise<SourceRunResult> {
  const pending = new Map<TableSpec, Map<string, MappedRow>>();
  let pendingRows = 0;
  let records = 0;
  const quarantinedIds = new Set<string>();
  const flush = async () => {
    for (const [spec, rows] of pending) {
      const { written } = await commitRows(ctx.lake, spec, [...rows.values()]);
      ctx.progress.written(source, written);
    }
    pending.clear();
    pendingRows = 0;
  };
  for await (const response of ctx.lake.iterateRawArchive(source)) {
    const mapped = mapResponse(response);
    if (!mapped) continue;
    ctx.progress.page(source, mapped.records);
    records += mapped.records;
    for (const { spec, row } of mapped.rows) {
      const key = spec.primaryKey.map((column) => String(row[column])).join("\u0000");
      let table = pending.get(spec);
      if (!table) pending.set(spec, (table = new Map()));
      if (!table.has(key)) pendingRows += 1;
      table.set(key, row);
    }
    if (mapped.problems.length > 0) {
      await saveQuarantine(ctx, mapped.problems);
      const ids = new Set(mapped.problems.map((problem) => `${problem.stream}:${problem.recordId}`));
      ctx.progress.quarantine(source, ids.size);
      for (const id of ids) quarantinedIds.add(id);
    }
    if (pendingRows >= COMMIT_BATCH_ROWS) await flush();
  }
  await flush();
  return { records, quarantined: quarantinedIds.size };
}
