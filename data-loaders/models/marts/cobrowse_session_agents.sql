-- Agents on co-browsing sessions, one row per (session, agent).
-- @column session_id: Upscope session id
-- @column agent_key: cross-source agent key (see agents)
-- @column agent_id: Upscope agent id or external identifier
-- @column agent_name: the agent's name
-- @column is_external_agent: true for external agents
-- @column agent_position: 0 for the first agent on the session
-- @column started_at: session start (UTC)
-- @column session_date: UTC day of the start
-- @column length_seconds: session length in seconds
-- @column went_live: true when the session went live
-- @incremental_key session_id
SELECT
  a.session_id,
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
