-- Daily rollup per agent and channel, for the agent pages (additive, like daily_activity).
-- @column activity_date: UTC day
-- @column agent_key: cross-source agent key
-- @column channel: cobrowse or liveperson_chat
-- @column interactions: sessions joined or chats handled that day
-- @column duration_seconds_sum: total length of those interactions
-- @column chat_mcs_sum: sum of chat MCS (LivePerson only)
-- @column chat_mcs_count: chats with an MCS (LivePerson only)
-- @column first_response_seconds_sum: sum of first response times (LivePerson only)
-- @column first_response_count: chats with a first response (LivePerson only)
-- @unique activity_date, agent_key, channel
-- @not_null activity_date, agent_key, channel
SELECT session_date AS activity_date, agent_key, 'cobrowse' AS channel,
  count(*) AS interactions, exact_sum(length_seconds) AS duration_seconds_sum,
  NULL::BIGINT AS chat_mcs_sum, NULL::BIGINT AS chat_mcs_count,
  NULL::DOUBLE AS first_response_seconds_sum, NULL::BIGINT AS first_response_count
FROM marts.cobrowse_session_agents WHERE agent_key IS NOT NULL GROUP BY ALL
UNION ALL
SELECT engagement_date, agent_key, 'liveperson_chat',
  count(*), exact_sum(duration_seconds),
  sum(chat_mcs), count(chat_mcs),
  exact_sum(first_response_seconds), count(first_response_seconds)
FROM marts.engagements WHERE agent_key IS NOT NULL GROUP BY ALL
