-- One row per agent who joined an Upscope session. Agents are staff, so their
-- names are kept; `agent_identifier` (external agents) stands in for a missing id.
-- @column session_id: Upscope session id
-- @column agent_id: Upscope agent id, or the external agent identifier
-- @column agent_name: the agent's name (nickname when no name)
-- @column agent_external_id: the agent's id in the customer's own systems
-- @column is_external_agent: true for agents Upscope marks as external
-- @column agent_position: order in which the agent appears on the session (0 = first)
-- @incremental_key session_id
WITH source AS (
  SELECT session_id,
    from_json(record_json, '{"agents": [{"id":"VARCHAR","agent_identifier":"VARCHAR","_type":"VARCHAR","name":"VARCHAR","agent_nickname":"VARCHAR","external_id":"VARCHAR"}]}').agents AS agents
  FROM upscope.sessions
),
agents AS (
  SELECT session_id, unnest(agents) AS a, generate_subscripts(agents, 1) - 1 AS agent_position
  FROM source
)
SELECT
  session_id,
  coalesce(a.id, a.agent_identifier) AS agent_id,
  coalesce(nullif(a.name, ''), nullif(a.agent_nickname, '')) AS agent_name,
  a.external_id AS agent_external_id,
  coalesce(a._type = 'external_agent', false) AS is_external_agent,
  agent_position
FROM agents
