// Co-browse sessions per day, first agent and source, broken down by one
// attribute at a time (kind/key): features used, video status, start page (path
// only), the agents' and the visitor's quality ratings and the visitor's rating of the agent. `live_sessions` counts those that went live.
import { day, published, publishArrowGzip } from "./publish-marts.js";

const perSession = (kind: string, key: string) => `
  SELECT ${day("session_date")} AS date, primary_agent_key AS agent, session_source AS source,
    '${kind}' AS kind, ${key} AS key,
    count(*)::INTEGER AS sessions, count(*) FILTER (WHERE went_live)::INTEGER AS live_sessions
  FROM cobrowse_sessions WHERE ${published("session_date")} GROUP BY ALL`;

await publishArrowGzip(`
  ${perSession("video_status", "coalesce(video_status, 'unknown')")}
  UNION ALL ${perSession("start_path", "coalesce(start_path, '(unknown)')")}
  UNION ALL ${perSession("quality_rating", "CASE WHEN quality_rating = floor(quality_rating) THEN CAST(CAST(quality_rating AS INTEGER) AS VARCHAR) ELSE CAST(quality_rating AS VARCHAR) END")}
  UNION ALL ${perSession("visitor_quality_rating", "CASE WHEN visitor_quality_rating = floor(visitor_quality_rating) THEN CAST(CAST(visitor_quality_rating AS INTEGER) AS VARCHAR) ELSE CAST(visitor_quality_rating AS VARCHAR) END")}
  UNION ALL ${perSession("visitor_rating", "CAST(CAST(visitor_rating AS INTEGER) AS VARCHAR)")}
  UNION ALL
  SELECT ${day("s.session_date")}, s.primary_agent_key, s.session_source, 'feature', f.feature,
    count(DISTINCT s.session_id)::INTEGER, count(DISTINCT s.session_id) FILTER (WHERE s.went_live)::INTEGER
  FROM cobrowse_session_features f JOIN cobrowse_sessions s USING (session_id)
  WHERE ${published("s.session_date")} AND f.feature IS NOT NULL
  GROUP BY ALL
  ORDER BY 1, 4, 5`);
