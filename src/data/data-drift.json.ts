// The data page's drift ledger (data-loaders/drift/): fields that arrived off the
// vendor's documentation but usable, so the sync kept their records instead of
// quarantining them. One entry per source, table, field and kind of drift, with an
// example value and when the sync last recorded it; and per UTC day of the records'
// own time, how many records carried it (additive: a record has one time), so the page
// follows its date range (the days the pages can use: PUBLISHED_HISTORY_DAYS before the
// newest record). Counts, field names and short examples only, never a record;
// the sync keeps no example from personal fields, and one that looks like an email, a
// link or an address is dropped here again.
import { DRIFT_KIND_LABELS, DRIFT_TABLE } from "../../data-loaders/drift/ledger.js";
import { safeExample, type DriftKind } from "../../data-loaders/drift/policy.js";
import { openLakeDuckDB, quoteIdentifier, quoteLiteral } from "../../data-loaders/lake/index.js";
import { siteLakeRoot } from "../../data-loaders/site.js";
import { PUBLISHED_HISTORY_DAYS, publishJson } from "./publish-marts.js";

const reader = await openLakeDuckDB(siteLakeRoot());
try {
  const ledgers = reader.tables.filter((ref) => ref.table === DRIFT_TABLE);
  const union = ledgers
    .map((ref) => `SELECT ${quoteLiteral(ref.source)} AS source, stream, field_path, kind, example, record_id, record_time, recorded_at FROM ${quoteIdentifier(ref.source)}.${DRIFT_TABLE}`)
    .join(" UNION ALL ");
  const entries =
    ledgers.length === 0
      ? []
      : await reader.queryRows(`
        SELECT source, stream, field_path, kind, min(example) AS example, count(DISTINCT record_id)::INTEGER AS records,
          strftime(max(recorded_at), '%Y-%m-%dT%H:%M:%SZ') AS last_recorded_at
        FROM (${union}) GROUP BY ALL ORDER BY source, stream, field_path, kind`);
  const daily =
    ledgers.length === 0
      ? []
      : await reader.queryRows(`
        SELECT strftime(CAST(record_time AS DATE), '%Y-%m-%d') AS date, source, stream, field_path, kind, count(DISTINCT record_id)::INTEGER AS records
        FROM (${union}) WHERE record_time >= (SELECT max(record_time) FROM (${union})) - INTERVAL ${PUBLISHED_HISTORY_DAYS} DAY
        GROUP BY ALL ORDER BY date, source, stream, field_path, kind`);
  // Distinct records per source that carried any drift (a record with two drifted fields counts once).
  const totals =
    ledgers.length === 0
      ? []
      : await reader.queryRows(`SELECT source, count(DISTINCT stream || '/' || record_id)::INTEGER AS records FROM (${union}) GROUP BY source ORDER BY source`);
  const key = (row: Record<string, unknown>) => JSON.stringify([row.source, row.stream, row.field_path, row.kind]);
  const index = new Map(entries.map((row, position) => [key(row), position]));
  await publishJson({
    totals: totals.map((row) => ({ source: String(row.source), records: Number(row.records) })),
    entries: entries.map((row) => ({
      source: String(row.source),
      stream: String(row.stream),
      field_path: String(row.field_path),
      kind: String(row.kind),
      kind_label: DRIFT_KIND_LABELS[String(row.kind) as DriftKind] ?? String(row.kind),
      example: safeExample(row.example),
      records: Number(row.records),
      last_recorded_at: String(row.last_recorded_at ?? ""),
    })),
    // [date, entry index, records]: compact, the page expands it.
    daily: daily.map((row) => [String(row.date), index.get(key(row)) ?? -1, Number(row.records)]),
  });
} finally {
  reader.close();
}
