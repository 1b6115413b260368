/**
 * The drift ledger: every drift the sync kept (data-loaders/drift/policy.ts), one row
 * per record, field and kind, in the lake beside the source's tables:
 *
 *   <lake>/source=<source>/table=drift/month=YYYY-MM/part-….parquet
 *
 * Written by the lake's own upsert in the same commit step as the records that carry
 * it (sync/commit.ts), so it survives kills like the rest of the lake, and keyed by
 * (stream, record_id, field_path, kind), so a record fetched again, a re-read window
 * or a `--replay` rewrites the same rows instead of counting them twice (the key is one
 * column, `drift_id`, made of those four). Counts are of
 * distinct records. `recorded_at` is when this version was first written (an unchanged
 * re-fetch is not rewritten); `record_time` is the record's own time (its partition
 * column), so the Data page can say from when to when the vendor drifted.
 *
 * How findings travel from validation to the commit: validateRecord registers them on
 * the validated value, each stream's mapping hands them on to the row it makes
 * (`carryDrift`), and the commit writes the rows' findings. A WeakMap, so nothing is
 * added to the values or rows themselves.
 */
import { createHash } from "node:crypto";
import type { Lake, LakeInputRow, TableSpec } from "../lake/index.js";
import type { DriftFinding, DriftKind } from "./policy.js";

export const DRIFT_TABLE = "drift";

/** What each kind means and what was kept, for the Data page's ledger. */
export const DRIFT_KIND_LABELS: Record<DriftKind, string> = {
  unknown_enum_value: "value outside the documented list (kept as its own category)",
  number_as_string: "number sent as text (read as the number)",
  number_for_string: "number where text or an id is documented (kept as its text)",
  null_in_array: "null inside an array (left out)",
  unknown_field: "field the documentation does not list (kept in the raw record)",
};

const findings = new WeakMap<object, readonly DriftFinding[]>();

function isObject(value: unknown): value is object {
  return value !== null && typeof value === "object";
}

/** Remembers the drift found in a validated value (or a row). */
export function noteDrift(target: unknown, drift: readonly DriftFinding[]): void {
  if (isObject(target) && drift.length > 0) findings.set(target, drift);
}

/** The drift registered on a value or row, if any. */
export function driftOf(target: unknown): readonly DriftFinding[] | undefined {
  return isObject(target) ? findings.get(target) : undefined;
}

/**
 * Hands the drift of `from` (a validated record), plus `extra`, on to `to` (the row made
 * of it) and returns `to`. Findings are one per path and kind.
 */
export function carryDrift<T extends object>(from: unknown, to: T, extra: readonly DriftFinding[] = []): T {
  const all = [...(driftOf(from) ?? []), ...extra];
  if (all.length === 0) return to;
  const unique = new Map<string, DriftFinding>();
  for (const finding of all) {
    const key = `${finding.kind}\u0000${finding.path}`;
    if (!unique.has(key)) unique.set(key, finding);
  }
  findings.set(to, [...unique.values()]);
  return to;
}

export function driftTableSpec(source: string): TableSpec {
  return {
    source,
    name: DRIFT_TABLE,
    // One key column first, like every lake table: `<stream>/<record_id>/<field_path>/<kind>`.
    primaryKey: ["drift_id"],
    partitionColumn: "record_time",
    columns: {
      drift_id: "VARCHAR",
      /** The table the record went to (sessions, visitors, engagements, chats …). */
      stream: "VARCHAR",
      record_id: "VARCHAR",
      /** Generalised: `transcript.lines[].lineSeq`. */
      field_path: "VARCHAR",
      kind: "VARCHAR",
      /** A short example of the value as sent; NULL for fields that may hold personal data. */
      example: "VARCHAR",
      record_time: "TIMESTAMP",
      recorded_at: "TIMESTAMP",
      content_hash: "VARCHAR",
    },
  };
}

function timeOf(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (typeof value === "string" && value !== "") return value;
  return undefined;
}

/** The ledger rows for the drifted rows among `rows` of `spec`. */
export function driftRowsOf(spec: TableSpec, rows: readonly object[], recordedAt: Date): LakeInputRow[] {
  const out: LakeInputRow[] = [];
  for (const row of rows) {
    const drift = driftOf(row);
    if (!drift) continue;
    const values = row as Record<string, unknown>;
    const recordTime = timeOf(values[spec.partitionColumn]);
    if (recordTime === undefined) continue; // a row the lake cannot place is refused by the upsert anyway
    const recordId = spec.primaryKey.map((column) => String(values[column] ?? "")).join("/");
    for (const finding of drift) {
      const identity = JSON.stringify([spec.name, recordId, finding.path, finding.kind, finding.example, recordTime]);
      out.push({
        drift_id: [spec.name, recordId, finding.path, finding.kind].join("/"),
        stream: spec.name,
        record_id: recordId,
        field_path: finding.path,
        kind: finding.kind,
        example: finding.example,
        record_time: recordTime,
        recorded_at: recordedAt,
        content_hash: createHash("sha256").update(identity).digest("hex").slice(0, 32),
      });
    }
  }
  return out;
}

/** Records the drift of the rows just committed to `spec`. Returns how many of the rows carried drift. */
export async function recordDrift(lake: Pick<Lake, "upsertRecords">, spec: TableSpec, rows: readonly object[], recordedAt = new Date()): Promise<number> {
  if (spec.name === DRIFT_TABLE) return 0;
  const ledgerRows = driftRowsOf(spec, rows, recordedAt);
  if (ledgerRows.length === 0) return 0;
  // Unchanged entries (the same record fetched again) are not rewritten: their recorded_at stays.
  await lake.upsertRecords(driftTableSpec(spec.source), ledgerRows, { skipUnchangedBy: "content_hash" });
  return rows.filter((row) => driftOf(row) !== undefined).length;
}
