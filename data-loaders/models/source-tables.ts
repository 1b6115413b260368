/**
 * The lake tables the staging models read: every registered source's (sources/index.ts).
 * A source that is not configured has no files, so the model runner stands in an
 * empty view with these columns and every mart still builds (with no rows for that source).
 */
import type { TableSpec } from "../lake/index.js";
import { SOURCE_DEFINITIONS } from "../sources/index.js";

export const SOURCE_TABLES: readonly TableSpec[] = SOURCE_DEFINITIONS.flatMap((source) => source.tables);
