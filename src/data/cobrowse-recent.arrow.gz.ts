// The recent per-session detail the call-vs-session scatter needs: lengths only,
// for the last DETAIL_WINDOW_DAYS days and at most 20,000 sessions (the newest).
import { DETAIL_WINDOW_DAYS, addDays } from "../components/dates.js";
import { anchorDay, day, publishArrowGzip } from "./publish-marts.js";

const from = addDays(anchorDay(), -(DETAIL_WINDOW_DAYS - 1));
await publishArrowGzip(`
  SELECT ${day("session_date")} AS date, primary_agent_key AS agent, session_source AS source,
    length_seconds::DOUBLE AS length_seconds, coalesce(call_length_seconds, 0)::DOUBLE AS call_length_seconds
  FROM cobrowse_sessions
  WHERE session_date >= DATE '${from}' AND length_seconds IS NOT NULL
  ORDER BY started_at DESC
  LIMIT 20000`);
