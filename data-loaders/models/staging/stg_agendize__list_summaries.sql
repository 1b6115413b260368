-- The vendor's own summary of each Agendize list window, kept to compare the
-- vendor's average chat duration with ours.
-- @column window_start: start of the requested window (UTC)
-- @column window_end: end of the requested window (UTC)
-- @column vendor_average_chat_seconds: Agendize's summary.averageChatSessionDuration
-- @column vendor_chat_sessions: Agendize's summary.chatSessions
-- @column fetched_at: when the summary was fetched (UTC)
-- @unique window_start, window_end
-- @not_null window_start, window_end
SELECT
  window_start,
  window_end,
  average_chat_session_duration_seconds AS vendor_average_chat_seconds,
  chat_sessions AS vendor_chat_sessions,
  fetched_at
FROM agendize.list_summaries
