-- Features used on co-browsing sessions, one row per (session, feature).
-- @column session_id: Upscope session id
-- @column feature: feature name (remote_click, drawing, audio …)
-- @column started_at: session start (UTC)
-- @column session_date: UTC day of the start
-- @column went_live: true when the session went live
-- @unique session_id, feature
-- @not_null session_id, feature
-- @incremental_key session_id
SELECT
  f.session_id,
  f.feature,
  s.started_at,
  CAST(s.started_at AS DATE) AS session_date,
  s.went_live
FROM staging.stg_upscope__session_features f
JOIN staging.stg_upscope__sessions s USING (session_id)
