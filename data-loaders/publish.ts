/**
 * What Framework data loaders use to hand a DuckDB query to a page: the result as
 * Parquet (read in the page by `FileAttachment(...).parquet()`) or as an Arrow IPC
 * stream (for `sql:` front matter, since DuckDB-WASM 1.29 cannot read Parquet
 * without downloading an extension). Both are written by DuckDB itself; the Arrow
 * form is Parquet re-read by parquet-wasm, so no column type is mapped by hand.
 */
import { DuckDBConnection } from "@duckdb/node-api";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

const require = createRequire(import.meta.url);

interface ParquetWasmNode {
  readParquet(bytes: Uint8Array): { intoIPCStream(): Uint8Array };
}

function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** Runs `query` on `connection` and returns the result as Parquet bytes (zstd). */
export async function queryToParquet(connection: DuckDBConnection, query: string): Promise<Uint8Array> {
  const dir = await mkdtemp(join(tmpdir(), "si-publish-"));
  try {
    const file = join(dir, "out.parquet");
    await connection.run(`COPY (${query}) TO ${sqlString(file)} (FORMAT parquet, COMPRESSION zstd)`);
    return new Uint8Array(await readFile(file));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs `query` and returns the result as an Arrow IPC stream. */
export async function queryToArrowIPC(connection: DuckDBConnection, query: string): Promise<Uint8Array> {
  const parquet = await queryToParquet(connection, query);
  const parquetWasm = require("parquet-wasm/node") as ParquetWasmNode;
  return parquetWasm.readParquet(parquet).intoIPCStream();
}

/** Writes bytes to stdout and resolves once they are flushed (loaders exit after). */
export function writeStdout(bytes: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(bytes, (error) => (error ? reject(error) : resolve()));
  });
}
