-- Co-browse sessions run inside LivePerson chats, with the chat's MCS beside them.
-- @column engagement_id: the chat's engagementId
-- @column cobrowse_index: position of the co-browse session in the chat's list (0-based)
-- @column cobrowse_session_id: LivePerson's co-browse session id
-- @column started_at: co-browse start (UTC)
-- @column ended_at: co-browse end (UTC)
-- @column session_date: UTC day of the co-browse start
-- @column duration_seconds: co-browse duration
-- @column is_interactive: true when the agent took control
-- @column end_reason: who or what ended it
-- @column agent_key: cross-source key of the chat's agent
-- @column chat_mcs: the chat's MCS
-- @unique engagement_id, cobrowse_index
-- @not_null engagement_id, cobrowse_index
-- @incremental_key engagement_id
SELECT
  c.engagement_id,
  c.cobrowse_index,
  c.cobrowse_session_id,
  c.started_at,
  c.ended_at,
  CAST(c.started_at AS DATE) AS session_date,
  c.duration_seconds,
  c.is_interactive,
  c.end_reason,
  agent_key(e.agent_name) AS agent_key,
  e.chat_mcs
FROM staging.stg_liveperson__cobrowse_sessions c
JOIN staging.stg_liveperson__engagements e USING (engagement_id)
