-- Agents on co-browsing sessions, one row per (session, agent): an agent listed
-- twice, or under two of its identifiers, is one row (see stg_upscope__session_agents).
-- @column session_id: Upscope session id
-- @column agent_ref: the agent's identity within the session (see stg_upscope__session_agents)
-- @column agent_key: cross-source agent key (see agents)
-- @column agent_id: Upscope agent id or external identifier
-- @column agent_name: the agent's name
-- @column is_external_agent: true for external agents
-- @column agent_position: 0 for the first agent on the session
-- @column started_at: session start (UTC)
-- @column session_date: UTC day of the start
-- @column length_seconds: session length in seconds
-- @column went_live: true when the session went live
-- @unique session_id, agent_ref
-- @not_null session_id, agent_ref, agent_position
-- @incremental_key session_id
SELECT
  a.session_id,
  a.agent_ref,
  agent_key(a.agent_name) AS agent_key,
  a.agent_id,
  a.agent_name,
  a.is_external_agent,
  a.agent_position,
  s.started_at,
  CAST(s.started_at AS DATE) AS session_date,
  s.length_seconds,
  s.went_live
FROM staging.stg_upscope__session_agents a
JOIN staging.stg_upscope__sessions s USING (session_id)
