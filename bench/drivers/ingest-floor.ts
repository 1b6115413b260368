/**
 * DuckDB's own floor for turning archived LivePerson search pages into the staging
 * Parquet: one statement, `read_json` over the raw archive's gzip NDJSON plus
 * `COPY ... TO` Hive-partitioned Parquet, with only what the same rows need (records
 * unnested from the bodies, partial pages and partial records dropped, the last copy
 * of an engagement kept, its start and end as UTC timestamps, the record as JSON text).
 * No validation, no pseudonyms, no merge with earlier files: what no ingest can beat.
 *
 *   node --import tsx bench/drivers/ingest-floor.ts --raw LAKE/_raw/source=liveperson --out DIR
 *
 * Prints one JSON line: {rows, seconds, bytes}.
 */
import { readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createOfflineDuckDB, quoteLiteral } from "../../data-loaders/lake/duckdb.js";

const { values } = parseArgs({ options: { raw: { type: "string" }, out: { type: "string" } } });
if (!values.raw || !values.out) {
  process.stderr.write("usage: --raw DIR --out DIR\n");
  process.exit(2);
}
await rm(values.out, { recursive: true, force: true });
const db = await createOfflineDuckDB();
const glob = join(values.raw, "run=*", "part-*.ndjson.gz");
const statement = `
COPY (
  WITH pages AS (
    SELECT filename, row_number() OVER () AS page_order, body
    FROM read_json(${quoteLiteral(glob)}, format = 'newline_delimited', filename = true,
                   columns = {url: 'VARCHAR', status: 'INTEGER', body: 'VARCHAR'}, maximum_object_size = 268435456)
    WHERE status = 200 AND url LIKE '%/interactions/search%'
      AND coalesce(CAST(json_extract(body, '$._metadata.shardsStatusResult.partialResult') AS BOOLEAN), false) = false
  ),
  records AS (
    SELECT filename, page_order, unnest(CAST(json_extract(body, '$.interactionHistoryRecords') AS JSON[])) AS record
    FROM pages
  )
  SELECT
    record ->> '$.info.engagementId' AS engagement_id,
    make_timestamp(CAST(record -> '$.info.startTimeL' AS BIGINT) * 1000) AS start_time,
    make_timestamp(CAST(record -> '$.info.endTimeL' AS BIGINT) * 1000) AS end_time,
    CAST(record AS VARCHAR) AS record_json,
    strftime(make_timestamp(CAST(record -> '$.info.startTimeL' AS BIGINT) * 1000), '%Y-%m') AS month
  FROM records
  WHERE coalesce(CAST(record -> '$.info.isPartial' AS BOOLEAN), false) = false
  QUALIFY row_number() OVER (PARTITION BY engagement_id ORDER BY filename DESC, page_order DESC) = 1
) TO ${quoteLiteral(values.out)} (FORMAT parquet, PARTITION_BY (month))`;
const started = performance.now();
await db.connection.run(statement);
const seconds = (performance.now() - started) / 1000;
const rows = Number((await db.queryRows(`SELECT count(*) AS n FROM read_parquet(${quoteLiteral(join(values.out, "**", "*.parquet"))})`))[0]?.n ?? 0);
db.close();
let bytes = 0;
for (const entry of await readdir(values.out, { recursive: true })) {
  const info = await stat(join(values.out, String(entry)));
  if (info.isFile()) bytes += info.size;
}
process.stdout.write(`${JSON.stringify({ rows, seconds, bytes })}\n`);
