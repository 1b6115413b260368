/**
 * Data contracts. Every source run writes a manifest (rows, time range, schema
 * hash, retries, quarantined, duration, and what the vendor returned per hour of
 * the recent past); before a nightly build publishes anything, the manifests are
 * checked: a source too stale, a vendor suddenly returning far fewer records for
 * the same hours than the night before, or too many records quarantined stops the
 * build with a message naming the source and the figure.
 *
 * The row-drop check compares the same hours in two runs (the trailing window is
 * read every night), because the lake itself only grows: a vendor returning half
 * of its records would never make a lake count fall.
 */
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import type { SourceName } from "./config.js";
import { writeFileAtomic } from "./lake/fs-atomic.js";
import { assertLakeIdentifier, createOfflineDuckDB, dedupedTableSql, lakeTableExists, listLakeTables, quoteIdentifier, readState, readTableSpec } from "./lake/index.js";
import type { TableSpec } from "./lake/index.js";

const isoInstant = z.iso.datetime({ offset: true });

export const TableManifest = z.object({
  rows: z.number().int().nonnegative(),
  minTime: isoInstant.nullable(),
  maxTime: isoInstant.nullable(),
  schemaHash: z.string(),
});
export type TableManifest = z.infer<typeof TableManifest>;

export const RunManifest = z.object({
  source: z.string(),
  runId: z.string(),
  startedAt: isoInstant,
  finishedAt: isoInstant,
  durationSeconds: z.number().nonnegative(),
  ok: z.boolean(),
  error: z.string().nullable(),
  replay: z.boolean(),
  recordsFetched: z.number().int().nonnegative(),
  quarantined: z.number().int().nonnegative(),
  /** Records kept although they drifted from the vendor's docs (never a failure; see data-loaders/drift/). */
  driftedRecords: z.number().int().nonnegative().optional(),
  retries: z.number().int().nonnegative(),
  pages: z.number().int().nonnegative(),
  /** From here on the run read everything the vendor has (null: a replay, or nothing read). */
  rereadFrom: isoInstant.nullable().default(null),
  /** Lake tables of the source after the run. */
  tables: z.record(z.string(), TableManifest),
  /** Records the vendor returned in this run per table and UTC hour (`2026-03-30T01`), recent hours only. */
  returnedByHour: z.record(z.string(), z.record(z.string(), z.number().int().nonnegative())),
});
export type RunManifest = z.infer<typeof RunManifest>;

/** How far back `returnedByHour` keeps hours: covers any trailing window plus a missed night. */
export const RETURNED_BY_HOUR_SPAN_HOURS = 72;

export function manifestDirectory(lakeRoot: string, source: string): string {
  assertLakeIdentifier("source", source);
  return join(lakeRoot, "_manifests", `source=${source}`);
}

export function schemaHash(spec: Pick<TableSpec, "columns" | "primaryKey">): string {
  return createHash("sha256").update(JSON.stringify({ columns: spec.columns, primaryKey: spec.primaryKey })).digest("hex").slice(0, 16);
}

export function hourKey(value: unknown): string | undefined {
  const time = value instanceof Date ? value.getTime() : typeof value === "number" ? value : typeof value === "string" ? Date.parse(value) : Number.NaN;
  return Number.isNaN(time) ? undefined : new Date(time).toISOString().slice(0, 13);
}

export async function writeRunManifest(lakeRoot: string, manifest: RunManifest): Promise<string> {
  const path = join(manifestDirectory(lakeRoot, manifest.source), `run=${manifest.runId}.json`);
  await writeFileAtomic(path, `${JSON.stringify(RunManifest.parse(manifest), null, 2)}\n`);
  return path;
}

/** Every manifest of a source, oldest first. */
export async function readRunManifests(lakeRoot: string, source: string): Promise<RunManifest[]> {
  const directory = manifestDirectory(lakeRoot, source);
  const files = (await readdir(directory).catch(() => [] as string[])).filter((name) => /^run=.+\.json$/.test(name));
  const manifests = await Promise.all(
    files.map(async (name) => {
      const parsed = RunManifest.safeParse(JSON.parse(await readFile(join(directory, name), "utf8")));
      if (!parsed.success) throw new Error(`Corrupt run manifest ${join(directory, name)}: ${parsed.error.message}`);
      return parsed.data;
    }),
  );
  return manifests.sort((a, b) => a.finishedAt.localeCompare(b.finishedAt));
}

export interface ContractThresholds {
  /** A source whose last successful sync is older than this breaks the freshness contract. */
  maxStaleHours: number;
  /** Largest allowed fall, as a share, of records returned for the same hours as the previous run. */
  maxRowDrop: number;
  /** Below this many records in the compared hours, a fall is noise and not judged. */
  minRowsForDrop: number;
  /** Largest allowed share of quarantined records in a run. */
  quarantineMaxShare: number;
}

export type ContractName = "freshness" | "last-run" | "row-drop" | "quarantine" | "table-shrink";

export interface ContractBreach {
  source: SourceName;
  contract: ContractName;
  message: string;
}

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

/**
 * The same-hours comparison of two runs' returned records for one table: the hours
 * the previous run saw that the latest run read again in full (from the first whole
 * hour after where its re-read started).
 */
export function compareReturnedHours(
  previous: Record<string, number>,
  latest: Record<string, number>,
  latestRereadFrom: string,
): { hours: string[]; previous: number; latest: number } {
  const firstWholeHour = hourKey(Math.ceil(Date.parse(latestRereadFrom) / 3_600_000) * 3_600_000) ?? "";
  const hours = Object.keys(previous)
    .filter((hour) => hour >= firstWholeHour)
    .sort();
  return {
    hours,
    previous: hours.reduce((sum, hour) => sum + (previous[hour] ?? 0), 0),
    latest: hours.reduce((sum, hour) => sum + (latest[hour] ?? 0), 0),
  };
}

/**
 * The lake never drops a record (an upsert only adds or replaces), so a table holding
 * fewer rows after the latest run than after the last good run before it has lost
 * rows in the lake itself: a month file deleted or damaged, a bad restore of the
 * lake. Replays count (they leave the lake as it is then); a failed run is no baseline.
 */
export function tableShrinks(source: SourceName, manifests: readonly RunManifest[]): ContractBreach[] {
  const latest = manifests.at(-1);
  const previous = manifests.slice(0, -1).filter((manifest) => manifest.ok).at(-1);
  if (!latest || !previous) return [];
  const breaches: ContractBreach[] = [];
  for (const [table, now] of Object.entries(latest.tables)) {
    const before = previous.tables[table];
    if (!before || now.rows >= before.rows) continue;
    breaches.push({
      source,
      contract: "table-shrink",
      message:
        `${source}.${table}: ${now.rows} rows in the lake after run ${latest.runId}, fewer than the ${before.rows} rows the run before (${previous.runId}) left. ` +
        `The lake lost rows itself (a month file deleted, damaged or restored from an old copy?): the sync's log names the file; ` +
        `restore it with \`npm run sync -- --replay --source ${source}\`, or fetch the history again with \`npm run sync -- --full --source ${source}\``,
    });
  }
  return breaches;
}

export async function checkContracts(
  lakeRoot: string,
  sources: readonly SourceName[],
  thresholds: ContractThresholds,
  now: Date,
): Promise<ContractBreach[]> {
  const breaches: ContractBreach[] = [];
  for (const source of sources) {
    const everyRun = await readRunManifests(lakeRoot, source);
    breaches.push(...tableShrinks(source, everyRun));
    const manifests = everyRun.filter((manifest) => !manifest.replay);
    const latest = manifests.at(-1);
    const state = await readState(lakeRoot, source);
    const lastSuccess = state?.lastSuccessAt ? new Date(state.lastSuccessAt) : undefined;
    if (!lastSuccess) {
      breaches.push({ source, contract: "freshness", message: `${source} has never synced successfully` });
    } else {
      const ageHours = (now.getTime() - lastSuccess.getTime()) / 3_600_000;
      if (ageHours > thresholds.maxStaleHours) {
        breaches.push({
          source,
          contract: "freshness",
          message: `${source} last synced successfully ${ageHours.toFixed(1)} h ago (${lastSuccess.toISOString()}), more than the ${thresholds.maxStaleHours} h allowed`,
        });
      }
    }
    if (!latest) continue;
    if (!latest.ok) {
      breaches.push({ source, contract: "last-run", message: `${source}: the last run (${latest.runId}) failed: ${latest.error ?? "unknown error"}` });
    }
    const share = latest.recordsFetched === 0 ? 0 : latest.quarantined / latest.recordsFetched;
    if (share > thresholds.quarantineMaxShare) {
      breaches.push({
        source,
        contract: "quarantine",
        message: `${source}: ${latest.quarantined} of ${latest.recordsFetched} records quarantined in the last run (${percent(share)}), more than the ${percent(thresholds.quarantineMaxShare)} allowed`,
      });
    }
    const previous = manifests.slice(0, -1).filter((manifest) => manifest.ok).at(-1);
    if (!previous || !latest.ok || latest.rereadFrom === null) continue;
    const rereadFrom = latest.rereadFrom;
    for (const [table, latestHours] of Object.entries(latest.returnedByHour)) {
      const previousHours = previous.returnedByHour[table];
      if (!previousHours) continue;
      const compared = compareReturnedHours(previousHours, latestHours, rereadFrom);
      if (compared.previous < thresholds.minRowsForDrop) continue;
      const drop = 1 - compared.latest / compared.previous;
      if (drop > thresholds.maxRowDrop) {
        breaches.push({
          source,
          contract: "row-drop",
          message: `${source}.${table}: ${compared.latest} records returned for ${compared.hours[0]}:00–${compared.hours.at(-1)}:59 UTC, where the previous run got ${compared.previous} for the same hours (−${percent(drop)}, more than the ${percent(thresholds.maxRowDrop)} allowed)`,
        });
      }
    }
  }
  return breaches;
}

/**
 * Row count, time range and schema hash of each of a source's lake tables, for its run
 * manifest. Reads only that source's files (a damaged table of another source must not
 * stop this one's manifest).
 */
export async function summarizeSourceTables(lakeRoot: string, source: string): Promise<Record<string, TableManifest>> {
  const reader = await createOfflineDuckDB();
  const out: Record<string, TableManifest> = {};
  try {
    for (const ref of (await listLakeTables(lakeRoot)).filter((table) => table.source === source && table.table !== "quarantine")) {
      const spec = await readTableSpec(lakeRoot, ref.source, ref.table);
      if (!spec) continue;
      const column = quoteIdentifier(spec.partitionColumn);
      const rows = dedupedTableSql(lakeRoot, spec, await lakeTableExists(lakeRoot, ref.source, ref.table));
      const [row] = await reader.queryRows(
        `SELECT count(*) AS n, strftime(min(${column}), '%Y-%m-%dT%H:%M:%S.%gZ') AS lo, strftime(max(${column}), '%Y-%m-%dT%H:%M:%S.%gZ') AS hi FROM (${rows})`,
      );
      out[ref.table] = {
        rows: Number(row?.n ?? 0),
        minTime: typeof row?.lo === "string" ? row.lo : null,
        maxTime: typeof row?.hi === "string" ? row.hi : null,
        schemaHash: schemaHash(spec),
      };
    }
  } finally {
    reader.close();
  }
  return out;
}
