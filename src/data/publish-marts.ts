/**
 * What every loader in src/data shares: a DuckDB over the marts, the day the
 * pages' presets end on, and writing the result to stdout (Framework keeps it as
 * the loader's file). Not a loader itself (no double extension).
 */
import { queryToArrowIPC, queryToParquet, writeStdout } from "../../data-loaders/publish.js";
import { MartsMissingError, openMarts, readMartsManifestSync, siteLakeRoot } from "../../data-loaders/site.js";
import { addDays, lastCompleteDay } from "../components/dates.js";

/** The marts' build time; the loaders fail (and with them the build) without marts. */
export function martsBuiltAt(): string {
  const manifest = readMartsManifestSync();
  if (!manifest) throw new MartsMissingError(siteLakeRoot());
  return manifest.builtAt;
}

/** The last complete UTC day when the marts were built: where the date presets end. */
export function anchorDay(): string {
  return lastCompleteDay(martsBuiltAt());
}

/**
 * The pages offer ranges within the last SELECTABLE_HISTORY_DAYS (13 months) and
 * compare them with the period before, so the loaders publish twice that and no
 * more: the site's weight stops growing with the lake's age.
 */
export const SELECTABLE_HISTORY_DAYS = 400;
export const PUBLISHED_HISTORY_DAYS = 2 * SELECTABLE_HISTORY_DAYS;

/** A WHERE condition keeping the days the pages can use (and dropping NULL days). */
export function published(dateColumn: string): string {
  return `${dateColumn} >= DATE '${addDays(anchorDay(), -(PUBLISHED_HISTORY_DAYS - 1))}'`;
}

/** Runs `sql` over the marts and writes the result to stdout as Parquet (zstd). */
export async function publishParquet(sql: string): Promise<void> {
  const db = await openMarts();
  try {
    await writeStdout(await queryToParquet(db.connection, sql));
  } finally {
    db.close();
  }
}

/** Runs `sql` over the marts and writes the result to stdout as Arrow IPC, for a page's `sql:` front matter. */
export async function publishArrow(sql: string): Promise<void> {
  const db = await openMarts();
  try {
    await writeStdout(await queryToArrowIPC(db.connection, sql));
  } finally {
    db.close();
  }
}

export async function publishJson(value: unknown): Promise<void> {
  await writeStdout(new TextEncoder().encode(`${JSON.stringify(value)}\n`));
}

/** A DATE column as the "YYYY-MM-DD" text the pages compare. */
export function day(column: string): string {
  return `strftime(${column}, '%Y-%m-%d')`;
}
