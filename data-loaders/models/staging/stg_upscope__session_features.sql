-- One row per feature used in an Upscope session (remote control, drawing, audio …).
-- @column session_id: Upscope session id
-- @column feature: the feature's name as Upscope reports it
-- @unique session_id, feature
-- @not_null session_id, feature
-- @incremental_key session_id
SELECT DISTINCT session_id, feature
FROM (
  SELECT session_id, unnest(from_json(record_json, '{"features_used": ["VARCHAR"]}').features_used) AS feature
  FROM upscope.sessions
)
WHERE feature IS NOT NULL AND feature <> ''
