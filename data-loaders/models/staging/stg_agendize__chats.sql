-- One row per Agendize chat session, in UTC (the sync converts the local times
-- with each record's own zone). No visitor name, email, address or message text.
-- @column chat_id: Agendize chat session id
-- @column start_time: chat start (UTC)
-- @column end_time: last message (UTC); NULL for a chat without messages
-- @column time_zone: the IANA zone the vendor gave the local times in
-- @column button_id: the chat button the visitor used
-- @column button_name: the chat button's name
-- @column country: visitor country
-- @column city: visitor city
-- @column browser: visitor browser
-- @column operating_system: visitor operating system
-- @column start_path: path of the page the chat started on (no host, no query)
-- @column email_pseudonym: keyed pseudonym of the visitor's email
-- @column visitor_name: the visitor's name, NULL unless SI_PUBLISH_VISITOR_IDENTITIES=true
-- @unique chat_id
-- @not_null chat_id, start_time
-- @incremental_key chat_id
WITH source AS (
  SELECT *,
    from_json(record_json, '{"button": {"id": "VARCHAR", "name": "VARCHAR"},
      "visitor": {"country": "VARCHAR", "city": "VARCHAR", "browser": "VARCHAR", "operatingSystem": "VARCHAR", "startPage": "VARCHAR", "name": "VARCHAR"}}') AS r
  FROM agendize.chats
)
SELECT
  chat_id,
  start_time,
  end_time,
  time_zone,
  r.button.id AS button_id,
  nullif(r.button.name, '') AS button_name,
  nullif(r.visitor.country, '') AS country,
  nullif(r.visitor.city, '') AS city,
  nullif(r.visitor.browser, '') AS browser,
  nullif(r.visitor.operatingSystem, '') AS operating_system,
  url_path(r.visitor.startPage) AS start_path,
  email_pseudonym,
  CASE WHEN getvariable('publish_identities') THEN nullif(r.visitor.name, '') END AS visitor_name
FROM source
