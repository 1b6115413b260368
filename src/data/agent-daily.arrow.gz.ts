// Per agent and UTC day: LivePerson chats handled and co-browse sessions joined,
// with the sums (and sums of squares, for the intervals) behind the agent pages' averages (column names match the chat
// and co-browse pages' rows, so the same metric definitions apply).
import { day, published, publishArrowGzip } from "./publish-marts.js";

await publishArrowGzip(`
  WITH chats AS (
    SELECT ${day("engagement_date")} AS date, agent_key AS agent,
      count(*)::INTEGER AS chats,
      coalesce(sum(duration_seconds), 0)::DOUBLE AS duration_sum, coalesce(sum(duration_seconds::DOUBLE * duration_seconds), 0)::DOUBLE AS duration_sumsq, count(duration_seconds)::INTEGER AS duration_count,
      coalesce(sum(chat_mcs), 0)::DOUBLE AS mcs_sum, coalesce(sum(chat_mcs::DOUBLE * chat_mcs), 0)::DOUBLE AS mcs_sumsq, count(chat_mcs)::INTEGER AS mcs_count,
      coalesce(sum(first_response_seconds), 0)::DOUBLE AS first_response_sum, coalesce(sum(first_response_seconds::DOUBLE * first_response_seconds), 0)::DOUBLE AS first_response_sumsq, count(first_response_seconds)::INTEGER AS first_response_count
    FROM engagements WHERE agent_key IS NOT NULL AND ${published("engagement_date")} GROUP BY ALL
  ),
  cobrowse AS (
    SELECT ${day("session_date")} AS date, agent_key AS agent,
      count(DISTINCT session_id)::INTEGER AS sessions,
      coalesce(sum(length_seconds), 0)::DOUBLE AS length_sum, coalesce(sum(length_seconds::DOUBLE * length_seconds), 0)::DOUBLE AS length_sumsq, count(length_seconds)::INTEGER AS length_count
    FROM cobrowse_session_agents WHERE agent_key IS NOT NULL AND ${published("session_date")} GROUP BY ALL
  )
  SELECT date, agent,
    coalesce(chats, 0)::INTEGER AS chats,
    coalesce(duration_sum, 0)::DOUBLE AS duration_sum, coalesce(duration_sumsq, 0)::DOUBLE AS duration_sumsq, coalesce(duration_count, 0)::INTEGER AS duration_count,
    coalesce(mcs_sum, 0)::DOUBLE AS mcs_sum, coalesce(mcs_sumsq, 0)::DOUBLE AS mcs_sumsq, coalesce(mcs_count, 0)::INTEGER AS mcs_count,
    coalesce(first_response_sum, 0)::DOUBLE AS first_response_sum, coalesce(first_response_sumsq, 0)::DOUBLE AS first_response_sumsq, coalesce(first_response_count, 0)::INTEGER AS first_response_count,
    coalesce(sessions, 0)::INTEGER AS sessions,
    coalesce(length_sum, 0)::DOUBLE AS length_sum, coalesce(length_sumsq, 0)::DOUBLE AS length_sumsq, coalesce(length_count, 0)::INTEGER AS length_count,
    (coalesce(chats, 0) + coalesce(sessions, 0))::INTEGER AS interactions
  FROM chats FULL OUTER JOIN cobrowse USING (date, agent)
  ORDER BY date, agent`);
