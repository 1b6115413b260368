// The data page: per source, the lake's tables with their row counts and the
// quarantine (records that failed validation) as source, record id, field path,
// message and count. The quarantined record itself (raw_json) is never read here:
// it can hold anything the vendor sent, personal data included. Messages are written by
// the sync without the record's content; they are redacted again here (quoted text,
// emails, IPs, URLs), as a second guard and for lakes with messages from older runs.
import { openLakeDuckDB, quoteIdentifier } from "../../data-loaders/lake/index.js";
import { redactMessage } from "../../data-loaders/sync/validate.js";
import { readMartsManifestSync, siteLakeRoot } from "../../data-loaders/site.js";
import { publishJson } from "./publish-marts.js";

/** At most this many quarantined records are listed (the newest); totals count all. */
const QUARANTINE_LIST_LIMIT = 500;
const MESSAGE_MAX = 300;

const reader = await openLakeDuckDB(siteLakeRoot());
try {
  const tables: Array<{ source: string; table: string; rows: number }> = [];
  for (const ref of reader.tables) {
    if (ref.table === "quarantine") continue;
    const [row] = await reader.queryRows(`SELECT count(*)::INTEGER AS n FROM ${quoteIdentifier(ref.source)}.${quoteIdentifier(ref.table)}`);
    tables.push({ source: ref.source, table: ref.table, rows: Number(row?.n ?? 0) });
  }
  const hasQuarantine = reader.tables.some((ref) => ref.table === "quarantine");
  const quarantineRows = async (sql: string) => (hasQuarantine ? reader.queryRows(sql) : []);
  const records = await quarantineRows(`
    SELECT source, record_id, field_path, left(message, ${MESSAGE_MAX}) AS message, count(*)::INTEGER AS count,
      strftime(max(fetched_at), '%Y-%m-%dT%H:%M:%SZ') AS last_fetched_at
    FROM main.quarantine
    GROUP BY source, record_id, field_path, left(message, ${MESSAGE_MAX})
    ORDER BY max(fetched_at) DESC, source, record_id, field_path
    LIMIT ${QUARANTINE_LIST_LIMIT}`);
  // A record counts once, on the day it was first rejected: the quarantine holds a row per
  // failing field and per run, and the trailing window re-reads (and re-rejects) records nightly.
  const daily = await quarantineRows(`
    SELECT strftime(first_fetched_at, '%Y-%m-%d') AS date, source, count(*)::INTEGER AS quarantined
    FROM (SELECT source, record_id, min(fetched_at) AS first_fetched_at FROM main.quarantine GROUP BY source, record_id)
    GROUP BY ALL ORDER BY date, source`);
  const totals = await quarantineRows(`SELECT source, count(*)::INTEGER AS quarantined, count(DISTINCT record_id)::INTEGER AS records FROM main.quarantine GROUP BY source`);
  await publishJson({
    marts: readMartsManifestSync()?.marts ?? [],
    tables,
    quarantine: {
      totals: totals.map((row) => ({ source: String(row.source), quarantined: Number(row.quarantined), records: Number(row.records) })),
      daily: daily.map((row) => ({ date: String(row.date), source: String(row.source), quarantined: Number(row.quarantined) })),
      records: records.map((row) => ({
        source: String(row.source),
        record_id: String(row.record_id ?? ""),
        field_path: String(row.field_path ?? ""),
        message: redactMessage(String(row.message ?? "")),
        count: Number(row.count),
        last_fetched_at: String(row.last_fetched_at ?? ""),
      })),
      listLimit: QUARANTINE_LIST_LIMIT,
    },
  });
} finally {
  reader.close();
}
