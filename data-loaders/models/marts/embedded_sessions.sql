-- Co-browsing sessions as the embedded recorder saw them, one row per session (the
-- Upscope session, or one recorder's events when the console did not know the session
-- id): connection quality, modes, tabs, observers, agent idleness, audio, video and
-- errors over the whole session.
-- @column session_key: the Upscope session id, or embed:<embed id>
-- @column upscope_session_id: the Upscope session id (joins cobrowse_sessions)
-- @column matched_upscope: true when the Upscope session is in cobrowse_sessions
-- @column primary_agent_key: cross-source key of the session's first agent (see agents)
-- @column first_event_at: first recorded event (UTC)
-- @column last_event_at: last recorded event (UTC)
-- @column session_date: UTC day of the first event
-- @column recorders: recorder instances (consoles, reloads) that recorded the session
-- @column events: events recorded
-- @column state_updates: upscope.sessionState.update events
-- @column went_live: the agent's viewer got ready (status viewerReady)
-- @column latency_samples: state updates with a measured round trip
-- @column median_bounce_ms: median round-trip latency (ms)
-- @column p90_bounce_ms: 90th percentile of the round-trip latency (ms)
-- @column max_bounce_ms: highest round-trip latency (ms)
-- @column slow_samples: latency samples over 500 ms
-- @column slow_connection: the median round trip was over 500 ms (the vendor's threshold)
-- @column modes_used: sharing modes the session was in, sorted
-- @column control_tools_used: agent control tools selected, sorted
-- @column max_connections: most visitor connections (tabs or app instances) listed at once
-- @column multi_tab: the visitor had more than one connection at some point
-- @column switched_connection: the agent switched between visitor connections
-- @column max_observers: most agents observing at once
-- @column idle_warned: the agent was warned of an idleness disconnection (willDisconnect)
-- @column idle_disconnected: the agent was disconnected for idleness
-- @column audio_active: the audio call became active
-- @column video_active: video was on at some point
-- @column errors: error events
-- @column connection_errors: connection:… errors
-- @column remote_control_errors: remote_control:… errors
-- @column custom_messages: customMessage events
-- @column end_reason: reason of the last sessionEnded event (NULL when none was recorded)
-- @unique session_key
-- @not_null session_key
WITH per_session AS (
  SELECT
    session_key,
    min(upscope_session_id) AS upscope_session_id,
    min(recorded_at) AS first_event_at,
    max(recorded_at) AS last_event_at,
    count(DISTINCT embed_id) AS recorders,
    count(*) AS events,
    count(*) FILTER (WHERE event_type = 'upscope.sessionState.update') AS state_updates,
    coalesce(bool_or(session_status = 'viewerReady'), false) AS went_live,
    count(data_bounce_ms) AS latency_samples,
    quantile_cont(data_bounce_ms, 0.5) AS median_bounce_ms,
    quantile_cont(data_bounce_ms, 0.9) AS p90_bounce_ms,
    max(data_bounce_ms) AS max_bounce_ms,
    count(*) FILTER (WHERE is_slow) AS slow_samples,
    coalesce(list_sort(list(DISTINCT mode) FILTER (WHERE mode IS NOT NULL)), []) AS modes_used,
    coalesce(list_sort(list(DISTINCT control_tool) FILTER (WHERE control_tool IS NOT NULL)), []) AS control_tools_used,
    max(connection_count) AS max_connections,
    count(DISTINCT active_connection_id) > 1 AS switched_connection,
    max(observers_count) AS max_observers,
    coalesce(bool_or(agent_idleness IN ('willDisconnect', 'disconnected')), false) AS idle_warned,
    coalesce(bool_or(agent_idleness = 'disconnected'), false) AS idle_disconnected,
    coalesce(bool_or(audio_state = 'active'), false) AS audio_active,
    coalesce(bool_or(is_video_on OR video_agent_state = 'active' OR video_visitor_state = 'active'), false) AS video_active,
    count(*) FILTER (WHERE event_type = 'error') AS errors,
    count(*) FILTER (WHERE error_family = 'connection') AS connection_errors,
    count(*) FILTER (WHERE error_family = 'remote_control') AS remote_control_errors,
    count(*) FILTER (WHERE event_type = 'customMessage') AS custom_messages,
    arg_max(end_reason, (recorded_at, event_id)) FILTER (WHERE end_reason IS NOT NULL) AS end_reason
  FROM staging.stg_embedded__events
  GROUP BY session_key
)
SELECT
  s.session_key,
  s.upscope_session_id,
  c.session_id IS NOT NULL AS matched_upscope,
  c.primary_agent_key,
  s.first_event_at,
  s.last_event_at,
  CAST(s.first_event_at AS DATE) AS session_date,
  s.recorders,
  s.events,
  s.state_updates,
  s.went_live,
  s.latency_samples,
  s.median_bounce_ms,
  s.p90_bounce_ms,
  s.max_bounce_ms,
  s.slow_samples,
  coalesce(s.median_bounce_ms > 500, false) AS slow_connection,
  s.modes_used,
  s.control_tools_used,
  s.max_connections,
  coalesce(s.max_connections > 1, false) AS multi_tab,
  s.switched_connection,
  s.max_observers,
  s.idle_warned,
  s.idle_disconnected,
  s.audio_active,
  s.video_active,
  s.errors,
  s.connection_errors,
  s.remote_control_errors,
  s.custom_messages,
  s.end_reason
FROM per_session s
LEFT JOIN marts.cobrowse_sessions c ON c.session_id = s.upscope_session_id
