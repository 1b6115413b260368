/**
 * DuckDB set up for an offline machine: parquet, json and icu are statically linked
 * into @duckdb/node-api (verified with `SELECT * FROM duckdb_extensions()`:
 * install_mode STATICALLY_LINKED), so nothing may be installed or auto-loaded from
 * the network. Session time zone is UTC so TIMESTAMPTZ -> TIMESTAMP casts mean "to UTC".
 */
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import type { Json } from "@duckdb/node-api";

export interface OfflineDuckDB {
  instance: DuckDBInstance;
  connection: DuckDBConnection;
  /** Runs a query and returns its rows as JSON-safe objects (BIGINT as string, TIMESTAMP as ISO-like string). */
  queryRows(sql: string): Promise<Array<Record<string, Json>>>;
  close(): void;
}

export async function createOfflineDuckDB(path = ":memory:"): Promise<OfflineDuckDB> {
  const instance = await DuckDBInstance.create(path, {
    autoinstall_known_extensions: "false",
    // Every extension the lake needs is built in and already loaded; auto-loading could only reach for the network.
    autoload_known_extensions: "false",
  });
  const connection = await instance.connect();
  await connection.run("SET TimeZone = 'UTC'");
  return {
    instance,
    connection,
    async queryRows(sql) {
      const reader = await connection.runAndReadAll(sql);
      return reader.getRowObjectsJson();
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** SQL string literal; used for file paths, which DuckDB's COPY cannot take as bound parameters. */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
