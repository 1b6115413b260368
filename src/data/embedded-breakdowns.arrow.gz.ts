// Embedded sessions per UTC day (of the session's first event) and first agent,
// broken down by one attribute at a time (kind/key): modes and control tools used,
// audio and video states reached, visitor connections (tabs) and observers at most,
// how the session ended; and error events by code (`events`), by the error's own day.
import { day, published, publishArrowGzip } from "./publish-marts.js";

const perSession = (kind: string, key: string) => `
  SELECT ${day("session_date")} AS date, primary_agent_key AS agent, '${kind}' AS kind, ${key} AS key,
    count(*)::INTEGER AS sessions, 0::INTEGER AS events
  FROM embedded_sessions WHERE ${published("session_date")} GROUP BY ALL`;

const listed = (kind: string, list: string) => `
  SELECT ${day("session_date")}, primary_agent_key, '${kind}', item, count(*)::INTEGER, 0::INTEGER
  FROM (SELECT session_date, primary_agent_key, unnest(${list}) AS item FROM embedded_sessions WHERE ${published("session_date")})
  GROUP BY ALL`;

// A state the session reached at least once: events joined to their session for its day.
const reached = (kind: string, column: string) => `
  SELECT ${day("s.session_date")}, s.primary_agent_key, '${kind}', e.${column}, count(DISTINCT s.session_key)::INTEGER, 0::INTEGER
  FROM embedded_events e JOIN embedded_sessions s USING (session_key)
  WHERE ${published("s.session_date")} AND e.${column} IS NOT NULL
  GROUP BY ALL`;

const capped = (column: string, cap: number) =>
  `CASE WHEN ${column} IS NULL THEN 'unknown' WHEN ${column} >= ${cap} THEN '${cap}+' ELSE CAST(${column} AS VARCHAR) END`;

await publishArrowGzip(`
  ${perSession("connections", capped("max_connections", 4))}
  UNION ALL ${perSession("observers", capped("max_observers", 4))}
  UNION ALL ${perSession("end_reason", "coalesce(end_reason, 'not recorded')")}
  UNION ALL ${listed("mode", "modes_used")}
  UNION ALL ${listed("control_tool", "control_tools_used")}
  UNION ALL ${reached("audio_state", "audio_state")}
  UNION ALL ${reached("video_visitor_state", "video_visitor_state")}
  UNION ALL ${reached("video_agent_state", "video_agent_state")}
  UNION ALL
  SELECT ${day("event_date")}, primary_agent_key, 'error_code', error_code, count(DISTINCT session_key)::INTEGER, count(*)::INTEGER
  FROM embedded_events
  WHERE ${published("event_date")} AND error_code IS NOT NULL
  GROUP BY ALL
  ORDER BY 1, 3, 4, 2`);
