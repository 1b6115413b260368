-- One row per Upscope visitor. Identity fields are pseudonyms; device and coarse
-- location are kept.
-- @column visitor_id: the visitor's short id
-- @column first_seen_at: first time Upscope saw the visitor (UTC)
-- @column last_seen_at: last time Upscope saw the visitor (UTC)
-- @column device_type: desktop, mobile, tablet …
-- @column browser: the visitor's browser
-- @column country: the visitor's country name
-- @column sdk: web, ios or android
-- @column integration: the integration that identified the visitor, if any
-- @column email_pseudonym: keyed pseudonym of the visitor's email
-- @column unique_id_pseudonym: keyed pseudonym of the visitor's unique id
-- @unique visitor_id
-- @not_null visitor_id
-- @incremental_key visitor_id
WITH source AS (
  SELECT *,
    from_json(record_json, '{"device_type":"VARCHAR","browser_name":"VARCHAR","location_country_name":"VARCHAR","sdk":"VARCHAR","integration":"VARCHAR"}') AS r
  FROM upscope.visitors
)
SELECT
  visitor_id,
  first_seen_at,
  last_seen_at,
  nullif(r.device_type, '') AS device_type,
  nullif(r.browser_name, '') AS browser,
  nullif(r.location_country_name, '') AS country,
  nullif(r.sdk, '') AS sdk,
  nullif(r.integration, '') AS integration,
  email_pseudonym,
  unique_id_pseudonym
FROM source
