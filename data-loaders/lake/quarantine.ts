/**
 * Records that failed validation, kept in the lake like any table
 * (`source=<source>/table=quarantine/month=…`, partitioned by fetched_at) so a run
 * can report them and a later run can see whether they were fixed. `source` comes
 * from the partition path; it is not stored in the files (Spark rejects a column
 * that is both in the data and in the path).
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import type { TableSpec } from "./table-spec.js";
import { upsertRecords, type UpsertOptions, type UpsertResult } from "./upsert.js";

export interface QuarantineRecord {
  source: string;
  /** The record's id as the vendor sent it, or a positional stand-in ("page 3 #17") when it has none. */
  recordId: string;
  /** Path of the failing field, e.g. "sessions[2].agents[0].id"; "" for the whole record. */
  fieldPath: string;
  message: string;
  /** The record as received; serialized to JSON text. */
  raw: unknown;
  fetchedAt: Date | string;
  runId: string;
}

export const QUARANTINE_TABLE = "quarantine";

export function quarantineTableSpec(source: string): TableSpec {
  return {
    source,
    name: QUARANTINE_TABLE,
    // One row per failing field per record per run: re-quarantining in the same run replaces, a new run adds.
    primaryKey: ["run_id", "record_id", "field_path"],
    partitionColumn: "fetched_at",
    columns: {
      record_id: "VARCHAR",
      field_path: "VARCHAR",
      message: "VARCHAR",
      raw_json: "VARCHAR",
      fetched_at: "TIMESTAMP",
      run_id: "VARCHAR",
    },
  };
}

function rawJson(raw: unknown): string {
  try {
    return JSON.stringify(raw) ?? "null";
  } catch {
    // Cyclic or BigInt-holding values cannot be JSON; keep a readable trace instead of losing the record.
    return JSON.stringify(String(raw));
  }
}

/** Stores quarantined records, grouped by source. Returns one result per source. */
export async function quarantineRecords(
  connection: DuckDBConnection,
  root: string,
  records: readonly QuarantineRecord[],
  options: UpsertOptions = {},
): Promise<Record<string, UpsertResult>> {
  const bySource = new Map<string, QuarantineRecord[]>();
  for (const record of records) bySource.set(record.source, [...(bySource.get(record.source) ?? []), record]);
  const results: Record<string, UpsertResult> = {};
  for (const [source, group] of bySource) {
    results[source] = await upsertRecords(
      connection,
      root,
      quarantineTableSpec(source),
      group.map((record) => ({
        record_id: record.recordId,
        field_path: record.fieldPath,
        message: record.message,
        raw_json: rawJson(record.raw),
        fetched_at: record.fetchedAt,
        run_id: record.runId,
      })),
      options,
    );
  }
  return results;
}
