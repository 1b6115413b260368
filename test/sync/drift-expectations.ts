/**
 * What every sync test with the simulator's drift switched on checks: each drifted
 * record of the ground truth (`drift.ndjson`) is in the lake, not in quarantine, and
 * the drift ledger names its field and kind; replays and re-reads do not count twice.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { expect } from "vitest";
import { generalisePath } from "../../data-loaders/drift/policy.js";
import { openLakeDuckDB, quoteIdentifier } from "../../data-loaders/lake/index.js";
import type { DriftLine } from "../../simulator/index.js";

/** A high drift rate: most kinds show up many times even in a small history. */
export const HIGH_DRIFT_RATE = 0.3;

export async function driftLines(truthDir: string, source: DriftLine["source"]): Promise<DriftLine[]> {
  return (await readFile(join(truthDir, "drift.ndjson"), "utf-8"))
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as DriftLine)
    .filter((line) => line.source === source);
}

export interface LedgerRow {
  stream: string;
  record_id: string;
  field_path: string;
  kind: string;
  example: string | null;
}

export async function ledgerRows(lakeDir: string, source: string): Promise<LedgerRow[]> {
  const reader = await openLakeDuckDB(lakeDir);
  try {
    if (!reader.tables.some((table) => table.source === source && table.table === "drift")) return [];
    return (await reader.queryRows(
      `SELECT stream, record_id, field_path, kind, example FROM ${quoteIdentifier(source)}.drift ORDER BY ALL`,
    )) as unknown as LedgerRow[];
  } finally {
    reader.close();
  }
}

/**
 * Every drifted record is kept (in its table, under its key column, not quarantined) and
 * every drift but a left-out optional field is in the ledger under the record, the
 * generalised path and the kind. Returns the ledger rows and the drift lines.
 */
export async function expectDriftKept(
  lakeDir: string,
  truthDir: string,
  source: DriftLine["source"],
  keyColumns: Record<string, string>,
): Promise<{ ledger: LedgerRow[]; lines: DriftLine[] }> {
  const lines = await driftLines(truthDir, source);
  const reader = await openLakeDuckDB(lakeDir);
  try {
    for (const [stream, column] of Object.entries(keyColumns)) {
      const ids = new Set(
        (await reader.queryRows(`SELECT ${quoteIdentifier(column)} AS id FROM ${quoteIdentifier(source)}.${quoteIdentifier(stream)}`)).map((row) => String(row.id)),
      );
      const missing = lines.filter((line) => line.stream === stream && !ids.has(line.id)).map((line) => `${line.id} ${line.kind}`);
      expect(missing, `${source}.${stream}: drifted records not kept`).toEqual([]);
    }
    const hasQuarantine = reader.tables.some((table) => table.source === source && table.table === "quarantine");
    const quarantined = hasQuarantine
      ? new Set((await reader.queryRows(`SELECT DISTINCT record_id FROM ${quoteIdentifier(source)}.quarantine`)).map((row) => String(row.record_id)))
      : new Set<string>();
    expect(lines.filter((line) => quarantined.has(`${line.stream}:${line.id}`)).map((line) => line.id)).toEqual([]);
  } finally {
    reader.close();
  }
  const ledger = await ledgerRows(lakeDir, source);
  const entries = new Set(ledger.map((row) => `${row.stream} ${row.record_id} ${row.field_path} ${row.kind}`));
  const unlisted = lines
    .filter((line) => line.kind !== "missing_optional")
    .map((line) => `${line.stream} ${line.id} ${generalisePath(line.path)} ${line.kind}`)
    .filter((entry) => !entries.has(entry));
  expect(unlisted, `${source}: drift missing from the ledger`).toEqual([]);
  return { ledger, lines };
}

/** The drift kinds a ledger lists. */
export function ledgerKinds(ledger: readonly LedgerRow[]): string[] {
  return [...new Set(ledger.map((row) => row.kind))].sort();
}
