/**
 * Helpers of the kill tests (test/sync/kill-resume.test.ts, test/nightly-kill.test.ts).
 *
 * lakeFingerprint: a lake as comparable data, every table's rows as `key|content_hash`
 * lines (its first column is the key) plus the distinct quarantine entries. Two
 * lakes with equal fingerprints hold the same records, none lost or duplicated.
 */
import { openLakeDuckDB } from "../../data-loaders/lake/index.js";

export async function lakeFingerprint(lake: string): Promise<Record<string, string[]>> {
  const reader = await openLakeDuckDB(lake);
  try {
    const out: Record<string, string[]> = {};
    for (const { source, table } of reader.tables) {
      if (table === "quarantine") continue;
      const columns = (await reader.queryRows(`SELECT column_name FROM (DESCRIBE "${source}"."${table}")`)).map((row) => String(row.column_name));
      const key = columns[0] as string;
      const rows = await reader.queryRows(
        `SELECT "${key}" AS k, ${columns.includes("content_hash") ? "content_hash" : "NULL"} AS h FROM "${source}"."${table}" ORDER BY 1`,
      );
      out[`${source}.${table}`] = rows.map((row) => `${row.k}|${row.h}`);
    }
    const quarantine = reader.tables.some((t) => t.table === "quarantine")
      ? await reader.queryRows("SELECT DISTINCT source, record_id, field_path FROM main.quarantine ORDER BY ALL")
      : [];
    out.quarantine = quarantine.map((row) => `${row.source}|${row.record_id}|${row.field_path}`);
    return out;
  } finally {
    reader.close();
  }
}

/** A small deterministic PRNG, so a failing kill schedule can be replayed. */
export function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
