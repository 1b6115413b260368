-- Daily rollup per channel, additive so that any date range sums correctly:
-- counts and sums only (averages are sum / count).
-- @column activity_date: UTC day
-- @column channel: cobrowse (Upscope), liveperson_chat or agendize_chat
-- @column interactions: sessions or chats that started that day
-- @column duration_seconds_sum: total length of those interactions
-- @column duration_count: interactions with a known length
-- @column went_live: co-browsing sessions that went live (NULL for chats)
-- @column with_call: co-browsing sessions with a call (NULL for chats)
-- @column call_seconds_sum: seconds on calls (NULL for chats)
-- @column chat_mcs_sum: sum of chat MCS (LivePerson only)
-- @column chat_mcs_count: chats with an MCS (LivePerson only)
-- @column with_cobrowse: chats with a co-browse inside (LivePerson only)
-- @unique activity_date, channel
-- @not_null activity_date, channel
SELECT session_date AS activity_date, 'cobrowse' AS channel,
  count(*) AS interactions, exact_sum(length_seconds) AS duration_seconds_sum, count(length_seconds) AS duration_count,
  count(*) FILTER (WHERE went_live) AS went_live, count(*) FILTER (WHERE had_call) AS with_call, exact_sum(call_length_seconds) AS call_seconds_sum,
  NULL::BIGINT AS chat_mcs_sum, NULL::BIGINT AS chat_mcs_count, NULL::BIGINT AS with_cobrowse
FROM marts.cobrowse_sessions GROUP BY ALL
UNION ALL
SELECT engagement_date, 'liveperson_chat',
  count(*), exact_sum(duration_seconds), count(duration_seconds),
  NULL, NULL, NULL,
  sum(chat_mcs), count(chat_mcs), count(*) FILTER (WHERE has_cobrowse)
FROM marts.engagements GROUP BY ALL
UNION ALL
SELECT chat_date, 'agendize_chat',
  count(*), exact_sum(duration_seconds), count(duration_seconds),
  NULL, NULL, NULL, NULL, NULL, NULL
FROM marts.agendize_chats GROUP BY ALL
