/**
 * The lake tables the staging models read. A source that is not configured has
 * no files, so the model runner stands in an empty view with these columns and
 * every mart still builds (with no rows for that source).
 */
import { CHATS_TABLE, LIST_SUMMARIES_TABLE } from "../agendize/stream.js";
import { EVENTS_TABLE as EMBEDDED_EVENTS_TABLE } from "../embedded/stream.js";
import type { TableSpec } from "../lake/index.js";
import { ENGAGEMENTS_TABLE } from "../liveperson/stream.js";
import { SESSIONS_TABLE, VISITORS_TABLE } from "../upscope/stream.js";

export const SOURCE_TABLES: readonly TableSpec[] = [SESSIONS_TABLE, VISITORS_TABLE, ENGAGEMENTS_TABLE, CHATS_TABLE, LIST_SUMMARIES_TABLE, EMBEDDED_EVENTS_TABLE];
