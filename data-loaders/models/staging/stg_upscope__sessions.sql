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
-- @column quality_rating: mean rating of the quality_feedback entries by one of the session's agents (`by` is an id, agent_identifier, external_id or email of an agent on the session)
-- @column visitor_quality_rating: mean rating of the quality_feedback entries by the visitor (`by` is the session's visitor_id)
-- @column listed_agents: entries of the session's agents list (one agent can be listed more than once: stg_upscope__session_agents counts agents)
-- @column feature_count: number of distinct features used
-- @column start_path: path of the page where the session started (no host, no query)
-- @column team_id: Upscope team id
-- @column is_on_premise: true for on-premise sessions
-- @column email_pseudonym: keyed pseudonym of the visitor's email
-- @column unique_id_pseudonym: keyed pseudonym of the visitor's unique id
-- @column visitor_email: the visitor's email, NULL unless SI_PUBLISH_VISITOR_IDENTITIES=true
-- @unique session_id
-- @not_null session_id, started_at
-- @incremental_key session_id
WITH source AS (
  SELECT *,
    from_json(record_json, '{
      "visitor_id": "VARCHAR", "length_seconds": "DOUBLE", "call_length_seconds": "DOUBLE", "went_live": "BOOLEAN",
      "session_authorized": "BOOLEAN", "source": "VARCHAR", "video_status": "VARCHAR", "public_video_url": "VARCHAR",
      "secret_video_url": "VARCHAR", "visitor_agent_rating": "DOUBLE", "quality_feedback": [{"rating": "DOUBLE", "by": "VARCHAR"}],
      "agents": [{"id": "VARCHAR", "agent_identifier": "VARCHAR", "external_id": "VARCHAR", "email": "VARCHAR"}], "features_used": ["VARCHAR"], "start_url": "VARCHAR", "team": {"id": "VARCHAR"},
      "on_premise": "BOOLEAN", "visitor_email": "VARCHAR"
    }') AS r
  FROM upscope.sessions
),
with_agents AS (
  -- Every identifier an agent of the session is listed under: who may have given an agent's quality rating.
  SELECT *,
    list_filter(flatten(list_transform(coalesce(r.agents, []), a -> [trim(a.id), trim(a.agent_identifier), trim(a.external_id), lower(trim(a.email))])), x -> x IS NOT NULL AND x <> '') AS agent_identifiers
  FROM source
)
SELECT
  session_id,
  coalesce(visitor_id, r.visitor_id) AS visitor_id,
  started_at,
  ended_at,
  coalesce(r.length_seconds, CAST(epoch_ms(ended_at) - epoch_ms(started_at) AS DOUBLE) / 1000) AS length_seconds,
  coalesce(r.call_length_seconds, 0) AS call_length_seconds,
  coalesce(r.went_live, false) AS went_live,
  r.session_authorized AS session_authorized,
  nullif(r.source, '') AS session_source,
  nullif(r.video_status, '') AS video_status,
  coalesce(nullif(r.public_video_url, ''), nullif(r.secret_video_url, '')) IS NOT NULL AS has_recording_link,
  r.visitor_agent_rating AS visitor_rating,
  list_avg(list_transform(list_filter(r.quality_feedback, f -> list_contains(agent_identifiers, trim(f.by)) OR list_contains(agent_identifiers, lower(trim(f.by)))), f -> f.rating)) AS quality_rating,
  list_avg(list_transform(list_filter(r.quality_feedback, f -> trim(f.by) = coalesce(visitor_id, r.visitor_id)), f -> f.rating)) AS visitor_quality_rating,
  coalesce(len(r.agents), 0) AS listed_agents,
  coalesce(len(list_distinct(list_filter(r.features_used, f -> f <> ''))), 0) AS feature_count,
  url_path(r.start_url) AS start_path,
  r.team.id AS team_id,
  coalesce(r.on_premise, false) AS is_on_premise,
  email_pseudonym,
  unique_id_pseudonym,
  CASE WHEN getvariable('publish_identities') THEN nullif(r.visitor_email, '') END AS visitor_email
FROM with_agents
