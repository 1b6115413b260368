-- Embedded session events, one row per event the co-browsing iframe posted to an
-- agent's page (seed 002): connection latency samples, errors, modes, idleness, audio
-- and video states. The technical state only: no visitor field, URL or message text.
-- @column event_id: the recorder's id of the event
-- @column recorded_at: when the agent's page received the event (UTC)
-- @column event_date: UTC day of recorded_at
-- @column event_type: upscope.sessionState.update, sessionEnded, customMessage or error
-- @column session_key: the Upscope session id, or embed:<embed id> when the console did not know it
-- @column upscope_session_id: the Upscope session id (joins cobrowse_sessions)
-- @column session_status: waiting, pendingRequest, active, snapshotReceived, viewerReady or terminated
-- @column data_bounce_ms: round-trip latency in ms (NULL when not connected or not measured)
-- @column is_slow: data_bounce_ms over 500 ms
-- @column agent_idleness: active, willDisconnect or disconnected
-- @column audio_state: off, ringing, accepted, authorizing or active
-- @column is_video_on: whether video streaming was active
-- @column video_agent_state: off, authorizing or active
-- @column video_visitor_state: off, ringing, authorizing or active
-- @column mode: visitor_browser, visitor_screen, agent_screen or other_agent_screen
-- @column control_tool: cursor, drawing or pointer (NULL when none)
-- @column connection_count: visitor connections (tabs or app instances) listed
-- @column observers_count: agents observing the session
-- @column error_code: the error event's code
-- @column error_family: connection or remote_control
-- @column end_reason: the sessionEnded event's reason (ended or error)
-- @column primary_agent_key: cross-source key of the session's first agent (see agents), when the Upscope session is known
-- @unique event_id
-- @not_null event_id, recorded_at, session_key
SELECT
  e.event_id,
  e.recorded_at,
  e.event_date,
  e.event_type,
  e.session_key,
  e.upscope_session_id,
  e.session_status,
  e.data_bounce_ms,
  e.is_slow,
  e.agent_idleness,
  e.audio_state,
  e.is_video_on,
  e.video_agent_state,
  e.video_visitor_state,
  e.mode,
  e.control_tool,
  e.connection_count,
  e.observers_count,
  e.error_code,
  e.error_family,
  e.end_reason,
  c.primary_agent_key
FROM staging.stg_embedded__events e
LEFT JOIN marts.cobrowse_sessions c ON c.session_id = e.upscope_session_id
