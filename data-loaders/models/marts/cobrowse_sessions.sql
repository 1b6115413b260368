-- Co-browsing sessions (Upscope), one row per session: what the co-browsing
-- and overview pages chart. No visitor identity beyond pseudonyms, no video link.
-- @column session_id: Upscope session id
-- @column visitor_id: the visitor's Upscope short id
-- @column started_at: session start (UTC)
-- @column ended_at: session end (UTC)
-- @column session_date: UTC day of the start
-- @column length_seconds: session length in seconds
-- @column call_length_seconds: seconds on a call during the session (0 when none)
-- @column had_call: true when the session included a call
-- @column went_live: true when the agent connected to the visitor's screen
-- @column session_authorized: true when the visitor authorized the session
-- @column session_source: how the session started (search, lookup code, integration …)
-- @column video_status: recording state
-- @column has_ready_recording: true when the recording is ready to watch
-- @column visitor_rating: the visitor's rating of the agent
-- @column quality_rating: mean of the session's quality ratings given by its agents (quality_feedback entries by one of the session's agents)
-- @column visitor_quality_rating: the visitor's own quality rating of the session (quality_feedback entries by the visitor)
-- @column agent_count: number of distinct agents who joined (see stg_upscope__session_agents)
-- @column multi_agent: true when more than one distinct agent joined
-- @column feature_count: number of distinct features used
-- @column start_path: path of the start page
-- @column primary_agent_key: cross-source key of the first agent (see agents)
-- @column primary_agent_name: name of the first agent
-- @column email_pseudonym: keyed pseudonym of the visitor's email
-- @column visitor_email: the visitor's email, NULL unless SI_PUBLISH_VISITOR_IDENTITIES=true
-- @unique session_id
-- @not_null session_id, started_at, session_date
-- @incremental_key session_id
SELECT
  s.session_id,
  s.visitor_id,
  s.started_at,
  s.ended_at,
  CAST(s.started_at AS DATE) AS session_date,
  s.length_seconds,
  s.call_length_seconds,
  s.call_length_seconds > 0 AS had_call,
  s.went_live,
  s.session_authorized,
  s.session_source,
  s.video_status,
  coalesce(s.video_status = 'ready', false) AS has_ready_recording,
  s.visitor_rating,
  s.quality_rating,
  s.visitor_quality_rating,
  coalesce(n.agent_count, 0) AS agent_count,
  coalesce(n.agent_count, 0) > 1 AS multi_agent,
  s.feature_count,
  s.start_path,
  agent_key(a.agent_name) AS primary_agent_key,
  a.agent_name AS primary_agent_name,
  s.email_pseudonym,
  s.visitor_email
FROM staging.stg_upscope__sessions s
LEFT JOIN staging.stg_upscope__session_agents a ON a.session_id = s.session_id AND a.agent_position = 0
LEFT JOIN (SELECT session_id, count(*) AS agent_count FROM staging.stg_upscope__session_agents GROUP BY session_id) n ON n.session_id = s.session_id
