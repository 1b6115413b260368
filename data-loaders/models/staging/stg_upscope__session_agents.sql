-- One row per agent who joined an Upscope session: one agent is one row, however
-- often the session's `agents` list names them. Upscope lists an agent under any of
-- its identifiers (`id`, the customer's `external_id`, `agent_identifier` for
-- external agents, which carries the customer's id or the agent's email), and a
-- session can list one agent twice, under two of them. Two entries of a session are
-- the same agent when they share an identifier (id, agent_identifier, external_id,
-- email case-insensitive) or the same name as agent_key() normalizes it (the key the
-- agents mart uses across sources), directly or through another entry. Agents are
-- staff, so their names are kept.
-- @column session_id: Upscope session id
-- @column agent_ref: the agent's identity within the session: the first of external_id, agent_identifier, email, id, name (prefixed by its kind)
-- @column agent_id: Upscope agent id (the first entry's `id`), or the external agent identifier when no entry has an id
-- @column agent_name: the agent's name (nickname when no name), from the first entry that has one
-- @column agent_external_id: the agent's id in the customer's own systems
-- @column is_external_agent: true when an entry of the agent is marked external (`_type` external_agent)
-- @column agent_position: order in which the agent first appears on the session (0 = first)
-- @column listed_entries: how many entries of the session's agents list are this agent
-- @unique session_id, agent_ref
-- @not_null session_id, agent_ref, agent_position
-- @incremental_key session_id
WITH RECURSIVE source AS (
  SELECT session_id,
    from_json(record_json, '{"agents": [{"id":"VARCHAR","agent_identifier":"VARCHAR","_type":"VARCHAR","name":"VARCHAR","agent_nickname":"VARCHAR","external_id":"VARCHAR","email":"VARCHAR"}]}').agents AS agents
  FROM upscope.sessions
),
entries AS (
  SELECT session_id, unnest(agents) AS a, generate_subscripts(agents, 1) - 1 AS entry
  FROM source
),
identified AS (
  SELECT session_id, entry, a,
    coalesce(nullif(trim(a.name), ''), nullif(trim(a.agent_nickname), '')) AS name,
    list_filter([
      'id:' || nullif(trim(a.external_id), ''),
      'id:' || nullif(trim(a.agent_identifier), ''),
      'id:' || nullif(lower(trim(a.email)), ''),
      'id:' || nullif(trim(a.id), ''),
      'name:' || agent_key(coalesce(nullif(trim(a.name), ''), nullif(trim(a.agent_nickname), '')))
    ], x -> x IS NOT NULL) AS identifiers
  FROM entries
),
-- Entries that share an identifier, then everything reachable through them.
linked AS (
  SELECT x.session_id, x.entry, y.entry AS other
  FROM identified x JOIN identified y
    ON x.session_id = y.session_id AND (x.entry = y.entry OR list_has_any(x.identifiers, y.identifiers))
),
reach(session_id, entry, other) AS (
  SELECT session_id, entry, other FROM linked
  UNION
  SELECT r.session_id, r.entry, l.other FROM reach r JOIN linked l ON l.session_id = r.session_id AND l.entry = r.other
),
grouped AS (
  -- Each entry's agent is named by the first entry it is linked to.
  SELECT i.*, g.agent_entry
  FROM identified i JOIN (SELECT session_id, entry, min(other) AS agent_entry FROM reach GROUP BY session_id, entry) g USING (session_id, entry)
),
agents AS (
  SELECT
    session_id,
    agent_entry,
    first(nullif(trim(a.external_id), '') ORDER BY entry) FILTER (WHERE nullif(trim(a.external_id), '') IS NOT NULL) AS external_id,
    first(nullif(trim(a.agent_identifier), '') ORDER BY entry) FILTER (WHERE nullif(trim(a.agent_identifier), '') IS NOT NULL) AS agent_identifier,
    first(lower(trim(a.email)) ORDER BY entry) FILTER (WHERE nullif(trim(a.email), '') IS NOT NULL) AS email,
    first(nullif(trim(a.id), '') ORDER BY entry) FILTER (WHERE nullif(trim(a.id), '') IS NOT NULL) AS id,
    first(name ORDER BY entry) FILTER (WHERE name IS NOT NULL) AS name,
    bool_or(coalesce(a._type = 'external_agent', false)) AS is_external_agent,
    count(*) AS listed_entries
  FROM grouped
  GROUP BY session_id, agent_entry
)
SELECT
  session_id,
  coalesce('external_id:' || external_id, 'agent_identifier:' || agent_identifier, 'email:' || email, 'id:' || id, 'name:' || agent_key(name), 'entry:' || agent_entry) AS agent_ref,
  coalesce(id, agent_identifier) AS agent_id,
  name AS agent_name,
  external_id AS agent_external_id,
  is_external_agent,
  CAST(dense_rank() OVER (PARTITION BY session_id ORDER BY agent_entry) - 1 AS INTEGER) AS agent_position,
  CAST(listed_entries AS INTEGER) AS listed_entries
FROM agents
