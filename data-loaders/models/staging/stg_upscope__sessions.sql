-- One row per Upscope co-browsing session, typed and in UTC. No visitor email, IP
-- or video link leaves this model: only pseudonyms and whether a recording exists.
-- @column session_id: Upscope session id (numeric ids as text)
-- @column visitor_id: the visitor's short id
-- @column started_at: session start (UTC)
-- @column ended_at: session end (UTC)
-- @column length_seconds: session length in seconds, as Upscope reports it
-- @column call_length_seconds: time on an audio/video call during the session, in seconds (0 when none)
-- @column went_live: true when the agent actually connected to the visitor's screen
-- @column session_authorized: true when the visitor authorized the session
-- @column session_source: how the session was started (search, lookup code, integration …)
-- @column video_status: recording state (ready, pending, not_available, expired, removed …)
-- @column has_recording_link: true when Upscope returned a recording link (the link itself is never published)
-- @column visitor_rating: the visitor's rating of the agent
-- @column quality_rating: mean of the agents' quality ratings of the session
-- @column agent_count: number of agents who joined
-- @column feature_count: number of distinct features used
-- @column start_path: path of the page where the session started (no host, no query)
-- @column team_id: Upscope team id
-- @column is_on_premise: true for on-premise sessions
-- @column email_pseudonym: keyed pseudonym of the visitor's email
-- @column unique_id_pseudonym: keyed pseudonym of the visitor's unique id
-- @column visitor_email: the visitor's email, NULL unless SI_PUBLISH_VISITOR_IDENTITIES=true
WITH source AS (
  SELECT *, record_json::JSON AS j FROM upscope.sessions
)
SELECT
  session_id,
  coalesce(visitor_id, j ->> '$.visitor_id') AS visitor_id,
  started_at,
  ended_at,
  coalesce(TRY_CAST(j ->> '$.length_seconds' AS DOUBLE), CAST(epoch_ms(ended_at) - epoch_ms(started_at) AS DOUBLE) / 1000) AS length_seconds,
  coalesce(TRY_CAST(j ->> '$.call_length_seconds' AS DOUBLE), 0) AS call_length_seconds,
  coalesce(TRY_CAST(j ->> '$.went_live' AS BOOLEAN), false) AS went_live,
  TRY_CAST(j ->> '$.session_authorized' AS BOOLEAN) AS session_authorized,
  nullif(j ->> '$.source', '') AS session_source,
  nullif(j ->> '$.video_status', '') AS video_status,
  coalesce(nullif(j ->> '$.public_video_url', ''), nullif(j ->> '$.secret_video_url', '')) IS NOT NULL AS has_recording_link,
  TRY_CAST(j ->> '$.visitor_agent_rating' AS DOUBLE) AS visitor_rating,
  list_avg(list_transform(from_json(j -> '$.quality_feedback', '[{"rating":"DOUBLE"}]'), f -> f.rating)) AS quality_rating,
  coalesce(json_array_length(j -> '$.agents'), 0) AS agent_count,
  coalesce(len(list_distinct(from_json(j -> '$.features_used', '["VARCHAR"]'))), 0) AS feature_count,
  url_path(j ->> '$.start_url') AS start_path,
  j ->> '$.team.id' AS team_id,
  coalesce(TRY_CAST(j ->> '$.on_premise' AS BOOLEAN), false) AS is_on_premise,
  email_pseudonym,
  unique_id_pseudonym,
  CASE WHEN getvariable('publish_identities') THEN nullif(j ->> '$.visitor_email', '') END AS visitor_email
FROM source
