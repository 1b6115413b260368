// Framework loader: the stack-check sample as Parquet written by DuckDB.
import { DuckDBInstance } from "@duckdb/node-api";
import { queryToParquet, writeStdout } from "../../data-loaders/publish.js";
import { STACK_CHECK_QUERY } from "./stack-check-query.js";

const connection = await (await DuckDBInstance.create(":memory:")).connect();
await writeStdout(await queryToParquet(connection, STACK_CHECK_QUERY));
