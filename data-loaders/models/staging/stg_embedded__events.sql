-- One row per embedded session event: what the co-browsing iframe posted to the
-- agent's page (seed 002), as the recorder captured it, typed and in UTC. Only the
-- session's technical state leaves this model: no visitor field, no URL, no custom
-- message content, no observer or connection id inside the video states.
-- @column event_id: the recorder's id of the event
-- @column recorded_at: when the agent's page received the event (UTC, by the agent's clock)
-- @column received_at: when the collector stored it (UTC); NULL when the endpoint does not say
-- @column event_date: UTC day of recorded_at
-- @column event_type: upscope.sessionState.update, sessionEnded, customMessage or error
-- @column session_key: the Upscope session id, or embed:<embed id> when the console did not know it
-- @column upscope_session_id: the Upscope session id the console gave (joins the Upscope sessions)
-- @column embed_id: the recorder instance (one iframe on one page load)
-- @column agent_id: the agent's Upscope id as the console gave it
-- @column sequence: order of the event within its embed_id
-- @column session_status: waiting, pendingRequest, active, snapshotReceived, viewerReady or terminated
-- @column connected: whether the session was connected
-- @column data_bounce_ms: round-trip latency in ms; NULL when not connected or not measured yet (reported as 0)
-- @column is_slow: data_bounce_ms over 500 ms, the vendor's threshold for a slow connection
-- @column agent_idleness: active, willDisconnect or disconnected
-- @column audio_state: off, ringing, accepted, authorizing or active
-- @column is_video_on: whether video streaming was active
-- @column video_agent_state: off, authorizing or active (the observer id dropped)
-- @column video_visitor_state: off, ringing, authorizing or active (the connection id dropped)
-- @column muted: whether the agent's audio was muted
-- @column mode: visitor_browser, visitor_screen, agent_screen or other_agent_screen (NULL before the session started)
-- @column control_tool: cursor, drawing or pointer (NULL when no tool is selected)
-- @column available_modes: the sharing modes available
-- @column connection_count: visitor connections (tabs or app instances) listed in the state
-- @column active_connection_count: of those, connections whose status is active
-- @column active_connection_id: the connection being viewed (an opaque id)
-- @column observers_count: agents observing the session
-- @column error_code: the error event's code (connection:… or remote_control:…)
-- @column error_family: connection or remote_control
-- @column end_reason: the sessionEnded event's reason (ended or error)
-- @unique event_id
-- @not_null event_id, recorded_at, session_key
-- @incremental_key event_id
WITH source AS (
  SELECT *,
    from_json(record_json, '{
      "context": {"sessionId": "VARCHAR"},
      "event": {
        "type": "VARCHAR", "error": "VARCHAR", "reason": "VARCHAR",
        "state": {
          "sessionStatus": "VARCHAR", "connected": "BOOLEAN", "dataBounceSpeed": "DOUBLE", "agentIdleness": "VARCHAR",
          "audioState": "VARCHAR", "isVideoOn": "BOOLEAN", "videoAgentState": "VARCHAR", "videoVisitorState": "VARCHAR",
          "muted": "BOOLEAN", "mode": "VARCHAR", "controlTool": "VARCHAR", "availableModes": ["VARCHAR"],
          "connections": [{"status": "VARCHAR"}], "activeConnectionId": "VARCHAR", "observersCount": "INTEGER"
        }
      }
    }') AS r
  FROM embedded.events
),
typed AS (
  SELECT *,
    CASE WHEN r.event.state.dataBounceSpeed > 0 AND coalesce(r.event.state.connected, true) THEN r.event.state.dataBounceSpeed END AS bounce
  FROM source
)
SELECT
  event_id,
  recorded_at,
  received_at,
  CAST(recorded_at AS DATE) AS event_date,
  coalesce(event_type, r.event.type) AS event_type,
  coalesce(nullif(session_id, ''), 'embed:' || embed_id) AS session_key,
  nullif(coalesce(session_id, r.context.sessionId), '') AS upscope_session_id,
  embed_id,
  agent_id,
  sequence,
  r.event.state.sessionStatus AS session_status,
  r.event.state.connected AS connected,
  bounce AS data_bounce_ms,
  bounce > 500 AS is_slow,
  r.event.state.agentIdleness AS agent_idleness,
  r.event.state.audioState AS audio_state,
  r.event.state.isVideoOn AS is_video_on,
  split_part(r.event.state.videoAgentState, ':', 1) AS video_agent_state,
  split_part(r.event.state.videoVisitorState, ':', 1) AS video_visitor_state,
  r.event.state.muted AS muted,
  r.event.state.mode AS mode,
  r.event.state.controlTool AS control_tool,
  r.event.state.availableModes AS available_modes,
  len(r.event.state.connections) AS connection_count,
  len(list_filter(r.event.state.connections, c -> c.status = 'active')) AS active_connection_count,
  r.event.state.activeConnectionId AS active_connection_id,
  r.event.state.observersCount AS observers_count,
  r.event.error AS error_code,
  nullif(split_part(r.event.error, ':', 1), '') AS error_family,
  r.event.reason AS end_reason
FROM typed
