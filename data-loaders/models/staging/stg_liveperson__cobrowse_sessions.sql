-- One row per co-browse session held inside a LivePerson chat.
-- @column engagement_id: the chat's engagementId
-- @column cobrowse_index: position of the co-browse session in the chat's list (0-based)
-- @column cobrowse_session_id: LivePerson's co-browse session id
-- @column started_at: co-browse start (UTC)
-- @column ended_at: co-browse end (UTC)
-- @column duration_seconds: co-browse duration in seconds
-- @column is_interactive: true when the agent took control (interactive mode)
-- @column end_reason: who or what ended it (VISITOR, AGENT, SERVER …)
-- @unique engagement_id, cobrowse_index
-- @not_null engagement_id, cobrowse_index
-- @incremental_key engagement_id
WITH source AS (
  SELECT engagement_id,
    from_json(record_json, '{"coBrowseSessions": {"coBrowseSessionsList":
      [{"sessionId":"VARCHAR","startTimeL":"BIGINT","endTimeL":"BIGINT","duration":"BIGINT","interactive":"BOOLEAN","endReason":"VARCHAR"}]}}') AS r
  FROM liveperson.engagements
)
SELECT
  engagement_id,
  cobrowse_index,
  s.sessionId AS cobrowse_session_id,
  make_timestamp(s.startTimeL * 1000) AS started_at,
  make_timestamp(s.endTimeL * 1000) AS ended_at,
  CAST(s.duration AS DOUBLE) / 1000 AS duration_seconds,
  coalesce(s.interactive, false) AS is_interactive,
  s.endReason AS end_reason
FROM (
  SELECT engagement_id, unnest(r.coBrowseSessions.coBrowseSessionsList) AS s,
    generate_subscripts(r.coBrowseSessions.coBrowseSessionsList, 1) - 1 AS cobrowse_index
  FROM source
)
