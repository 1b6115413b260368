// LivePerson chats per UTC day, skill and agent: additive counts and sums for
// every KPI and trend on the chat page, the overview and the agent pages.
import { day, published, publishParquet } from "./publish-marts.js";

await publishParquet(`
  SELECT
    ${day("engagement_date")} AS date,
    skill_name AS skill,
    agent_key AS agent,
    count(*)::INTEGER AS chats,
    coalesce(sum(duration_seconds), 0)::DOUBLE AS duration_sum,
    count(duration_seconds)::INTEGER AS duration_count,
    coalesce(sum(wait_seconds), 0)::DOUBLE AS wait_sum,
    count(wait_seconds)::INTEGER AS wait_count,
    coalesce(sum(first_response_seconds), 0)::DOUBLE AS first_response_sum,
    count(first_response_seconds)::INTEGER AS first_response_count,
    count(*) FILTER (WHERE started_by_transfer)::INTEGER AS transfers_in,
    count(*) FILTER (WHERE ended_by_transfer)::INTEGER AS transfers_out,
    count(*) FILTER (WHERE has_cobrowse)::INTEGER AS with_cobrowse,
    coalesce(sum(chat_mcs), 0)::DOUBLE AS mcs_sum,
    count(chat_mcs)::INTEGER AS mcs_count,
    count(*) FILTER (WHERE alerted_mcs = -1)::INTEGER AS alerted_negative,
    count(*) FILTER (WHERE alerted_mcs = 0)::INTEGER AS alerted_neutral,
    count(*) FILTER (WHERE alerted_mcs = 1)::INTEGER AS alerted_positive,
    count(alerted_mcs)::INTEGER AS alerted_count,
    coalesce(sum(chat_mcs) FILTER (WHERE has_cobrowse), 0)::DOUBLE AS cobrowse_mcs_sum,
    count(chat_mcs) FILTER (WHERE has_cobrowse)::INTEGER AS cobrowse_mcs_count,
    coalesce(sum(chat_mcs) FILTER (WHERE NOT has_cobrowse), 0)::DOUBLE AS no_cobrowse_mcs_sum,
    count(chat_mcs) FILTER (WHERE NOT has_cobrowse)::INTEGER AS no_cobrowse_mcs_count
  FROM engagements
  WHERE ${published("engagement_date")}
  GROUP BY ALL
  ORDER BY date, skill, agent`);
