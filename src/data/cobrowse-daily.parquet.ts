// Co-browse sessions per UTC day, first agent and session source: additive counts
// and sums for every KPI and trend on the co-browsing and overview pages.
import { day, published, publishParquet } from "./publish-marts.js";

await publishParquet(`
  SELECT
    ${day("session_date")} AS date,
    primary_agent_key AS agent,
    session_source AS source,
    count(*)::INTEGER AS sessions,
    count(*) FILTER (WHERE went_live)::INTEGER AS went_live,
    coalesce(sum(length_seconds), 0)::DOUBLE AS length_sum,
    count(length_seconds)::INTEGER AS length_count,
    count(*) FILTER (WHERE had_call)::INTEGER AS with_call,
    -- call time only where the session length is known, so call_sum / length_sum is a share
    coalesce(sum(call_length_seconds) FILTER (WHERE length_seconds IS NOT NULL), 0)::DOUBLE AS call_sum,
    count(*) FILTER (WHERE session_authorized)::INTEGER AS authorized,
    count(*) FILTER (WHERE has_ready_recording)::INTEGER AS ready_recording,
    coalesce(sum(quality_rating), 0)::DOUBLE AS quality_sum,
    count(quality_rating)::INTEGER AS quality_count,
    coalesce(sum(visitor_rating), 0)::DOUBLE AS visitor_rating_sum,
    count(visitor_rating)::INTEGER AS visitor_rating_count,
    count(*) FILTER (WHERE multi_agent)::INTEGER AS multi_agent
  FROM cobrowse_sessions
  WHERE ${published("session_date")}
  GROUP BY ALL
  ORDER BY date, agent, source`);
