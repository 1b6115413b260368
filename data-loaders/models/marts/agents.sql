-- Every agent seen in any source, one row per agent key (the normalized name:
-- the one identifier all sources share). Agents are staff, not visitors.
-- @column agent_key: cross-source key: the agent's name, lower-cased, dashes for separators
-- @column agent_name: the agent's name as most often written (the alphabetically first of equally frequent ones)
-- @column liveperson_agent_ids: LivePerson agent ids under this key
-- @column upscope_agent_ids: Upscope agent ids under this key
-- @column sources: sources the agent appears in
-- @column skills: LivePerson skills the agent handled
-- @column agent_groups: LivePerson agent groups
-- @column first_seen_at: first interaction in any source (UTC)
-- @column last_seen_at: last interaction in any source (UTC)
-- @column engagements: LivePerson chats handled
-- @column cobrowse_sessions: co-browsing sessions joined
-- @unique agent_key
-- @not_null agent_key
WITH appearances AS (
  SELECT agent_key, agent_name, 'liveperson' AS source, agent_id, skill_name, agent_group, start_time AS seen_at
  FROM marts.engagements WHERE agent_key IS NOT NULL
  UNION ALL
  SELECT agent_key, agent_name, 'upscope', agent_id, NULL, NULL, started_at
  FROM marts.cobrowse_session_agents WHERE agent_key IS NOT NULL
),
counted AS (
  SELECT *, count(*) OVER (PARTITION BY agent_key, agent_name) AS name_uses FROM appearances
)
SELECT
  agent_key,
  first(agent_name ORDER BY name_uses DESC, agent_name) AS agent_name,
  list_sort(list_distinct(list(agent_id) FILTER (WHERE source = 'liveperson'))) AS liveperson_agent_ids,
  list_sort(list_distinct(list(agent_id) FILTER (WHERE source = 'upscope'))) AS upscope_agent_ids,
  list_sort(list_distinct(list(source))) AS sources,
  list_sort(list_distinct(list(skill_name) FILTER (WHERE skill_name IS NOT NULL))) AS skills,
  list_sort(list_distinct(list(agent_group) FILTER (WHERE agent_group IS NOT NULL))) AS agent_groups,
  min(seen_at) AS first_seen_at,
  max(seen_at) AS last_seen_at,
  count(*) FILTER (WHERE source = 'liveperson') AS engagements,
  count(*) FILTER (WHERE source = 'upscope') AS cobrowse_sessions
FROM counted
GROUP BY agent_key
