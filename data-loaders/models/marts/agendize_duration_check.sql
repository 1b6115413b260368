-- The vendor's average chat duration per list window beside ours over the same
-- chats, flagged when they disagree by more than 5% (or by more than 1 s on short chats).
-- @column window_start: start of the window (UTC)
-- @column window_end: end of the window (UTC)
-- @column vendor_chat_sessions: chats the vendor counted
-- @column vendor_average_chat_seconds: the vendor's summary.averageChatSessionDuration
-- @column our_chat_sessions: chats in the lake that started in the window
-- @column our_average_chat_seconds: mean of (last message − start) over those chats
-- @column disagrees: true when the two averages differ by more than max(5%, 1 s)
-- @column fetched_at: when the vendor summary was fetched (UTC)
-- @unique window_start, window_end
-- @not_null window_start, window_end
WITH ours AS (
  SELECT s.window_start, s.window_end, count(c.chat_id) AS our_chat_sessions, exact_avg(c.duration_seconds) AS our_average_chat_seconds
  FROM staging.stg_agendize__list_summaries s
  LEFT JOIN marts.agendize_chats c ON c.start_time >= s.window_start AND c.start_time < s.window_end
  GROUP BY s.window_start, s.window_end
)
SELECT
  s.window_start,
  s.window_end,
  s.vendor_chat_sessions,
  s.vendor_average_chat_seconds,
  o.our_chat_sessions,
  o.our_average_chat_seconds,
  coalesce(abs(s.vendor_average_chat_seconds - o.our_average_chat_seconds) > greatest(0.05 * s.vendor_average_chat_seconds, 1), s.vendor_chat_sessions > 0) AS disagrees,
  s.fetched_at
FROM staging.stg_agendize__list_summaries s
JOIN ours o USING (window_start, window_end)
