// Co-browse sessions over the presets' window for the whole team, by one
// attribute at a time (kind/key), as cobrowse-breakdowns without the agent and
// source cross: features and video status per UTC day (the page charts them per
// week), start page and the three ratings per preset span (`date` is the span's first day,
// see dates.presetSegments), which is exact for the presets and much smaller.
import { day, inPresetWindow, presetSegment, publishArrowGzip } from "./publish-marts.js";

const perSession = (kind: string, key: string, period: string) => `
  SELECT ${period} AS date, '${kind}' AS kind, ${key} AS key,
    count(*)::INTEGER AS sessions, count(*) FILTER (WHERE went_live)::INTEGER AS live_sessions
  FROM cobrowse_sessions WHERE ${inPresetWindow("session_date")} GROUP BY ALL`;
const span = presetSegment("session_date");

await publishArrowGzip(`
  ${perSession("video_status", "coalesce(video_status, 'unknown')", day("session_date"))}
  UNION ALL ${perSession("start_path", "coalesce(start_path, '(unknown)')", span)}
  UNION ALL ${perSession("quality_rating", "CASE WHEN quality_rating = floor(quality_rating) THEN CAST(CAST(quality_rating AS INTEGER) AS VARCHAR) ELSE CAST(quality_rating AS VARCHAR) END", span)}
  UNION ALL ${perSession("visitor_quality_rating", "CASE WHEN visitor_quality_rating = floor(visitor_quality_rating) THEN CAST(CAST(visitor_quality_rating AS INTEGER) AS VARCHAR) ELSE CAST(visitor_quality_rating AS VARCHAR) END", span)}
  UNION ALL ${perSession("visitor_rating", "CAST(CAST(visitor_rating AS INTEGER) AS VARCHAR)", span)}
  UNION ALL
  SELECT ${day("s.session_date")}, 'feature', f.feature,
    count(DISTINCT s.session_id)::INTEGER, count(DISTINCT s.session_id) FILTER (WHERE s.went_live)::INTEGER
  FROM cobrowse_session_features f JOIN cobrowse_sessions s USING (session_id)
  WHERE ${inPresetWindow("s.session_date")} AND f.feature IS NOT NULL
  GROUP BY ALL
  ORDER BY 1, 2, 3`);
