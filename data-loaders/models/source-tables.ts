/**
 * The lake tables the staging models read. A source that is not configured has
 * no files, so the model runner stands in an empty view with these columns and
 * every mart still builds (with no rows for that source).
 */
import type { TableSpec } from "../lake/index.js";
import { ENGAGEMENTS_TABLE } from "../liveperson/stream.js";

type SourceTableColumns = Pick<TableSpec, "source" | "name" | "columns">;

export const SOURCE_TABLES: readonly SourceTableColumns[] = [
  ENGAGEMENTS_TABLE,
  {
    source: "upscope",
    name: "sessions",
    columns: {
      session_id: "VARCHAR",
      started_at: "TIMESTAMP",
      ended_at: "TIMESTAMP",
      visitor_id: "VARCHAR",
      email_pseudonym: "VARCHAR",
      ip_pseudonym: "VARCHAR",
      unique_id_pseudonym: "VARCHAR",
      content_hash: "VARCHAR",
      record_json: "VARCHAR",
    },
  },
  {
    source: "upscope",
    name: "visitors",
    columns: {
      visitor_id: "VARCHAR",
      first_seen_at: "TIMESTAMP",
      last_seen_at: "TIMESTAMP",
      email_pseudonym: "VARCHAR",
      ip_pseudonym: "VARCHAR",
      name_pseudonym: "VARCHAR",
      unique_id_pseudonym: "VARCHAR",
      identity_pseudonyms: "VARCHAR[]",
      content_hash: "VARCHAR",
      record_json: "VARCHAR",
    },
  },
  {
    source: "agendize",
    name: "chats",
    columns: {
      chat_id: "VARCHAR",
      start_time: "TIMESTAMP",
      end_time: "TIMESTAMP",
      time_zone: "VARCHAR",
      email_pseudonym: "VARCHAR",
      ip_pseudonym: "VARCHAR",
      name_pseudonym: "VARCHAR",
      content_hash: "VARCHAR",
      record_json: "VARCHAR",
    },
  },
  {
    source: "agendize",
    name: "list_summaries",
    columns: {
      summary_id: "VARCHAR",
      window_start: "TIMESTAMP",
      window_end: "TIMESTAMP",
      average_chat_session_duration_seconds: "DOUBLE",
      chat_sessions: "BIGINT",
      items_returned: "BIGINT",
      fetched_at: "TIMESTAMP",
      content_hash: "VARCHAR",
    },
  },
];
