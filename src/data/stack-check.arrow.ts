// Framework loader: the stack-check sample as an Arrow IPC stream for `sql:` blocks.
import { DuckDBInstance } from "@duckdb/node-api";
import { queryToArrowIPC, writeStdout } from "../../data-loaders/publish.js";
import { STACK_CHECK_QUERY } from "./stack-check-query.js";

const connection = await (await DuckDBInstance.create(":memory:")).connect();
await writeStdout(await queryToArrowIPC(connection, STACK_CHECK_QUERY));
