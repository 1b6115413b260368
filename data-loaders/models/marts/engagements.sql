-- LivePerson chat engagements, one row per chat, with the derived timings the
-- chat page needs. Visitor identity only as pseudonyms.
-- @column engagement_id: LivePerson engagementId
-- @column start_time: chat start (UTC)
-- @column end_time: chat end (UTC)
-- @column engagement_date: UTC day of the start
-- @column duration_seconds: chat duration in seconds
-- @column wait_seconds: seconds from the chat request to its start
-- @column first_response_seconds: seconds from the start to the agent's first line the visitor saw (control type 0, subType REGULAR, not an agents-only note)
-- @column skill_name: LivePerson skill
-- @column agent_key: cross-source agent key (see agents)
-- @column agent_id: LivePerson agent id
-- @column agent_name: agent's name
-- @column agent_group: agent group
-- @column start_reason: why the chat started
-- @column end_reason: why the chat ended
-- @column start_reason_code: LivePerson's start reason code (0 visitor request, 1 agent transfer, 2 transfer failed, 6 skill reassign …)
-- @column end_reason_code: LivePerson's end reason code (101 and 106 transfers, 201 rep stopped, 210 visitor closed …)
-- @column started_by_transfer: true when the chat began as a transfer: start reason 1 (agent transfer) or 6 (skill reassign); 2 (transfer failed) is not
-- @column ended_by_transfer: true when the chat was transferred away: end reason 101 (to another rep) or 106 (to a skill)
-- @column mcs: engagement MCS (0–100)
-- @column chat_mcs: chat MCS (0–100)
-- @column alerted_mcs: -1 negative, 0 neutral, 1 positive
-- @column agent_lines: lines the agent wrote that the visitor saw (control type 0, subType REGULAR)
-- @column visitor_lines: lines the visitor wrote (control type 0)
-- @column has_cobrowse: true when a co-browse session ran inside the chat
-- @column cobrowse_seconds: total co-browse time inside the chat
-- @column has_post_chat_survey: true when the visitor answered the post-chat survey
-- @column device: visitor device class
-- @column operating_system: visitor operating system
-- @column browser: visitor browser family
-- @column country: visitor country
-- @column start_path: path of the start page
-- @column visitor_pseudonym: keyed pseudonym of LivePerson's visitor id
-- @column visitor_name: the visitor's name, NULL unless SI_PUBLISH_VISITOR_IDENTITIES=true
-- @unique engagement_id
-- @not_null engagement_id, start_time, engagement_date
-- @incremental_key engagement_id
WITH lines AS (
  SELECT
    engagement_id,
    -- A line the visitor saw: written (control type 0), not an agents-only note (subType ONLY_TO_REP).
    min(line_time) FILTER (WHERE line_source = 'agent' AND control_type = 0 AND coalesce(sub_type, 'REGULAR') = 'REGULAR') AS first_agent_line,
    count(*) FILTER (WHERE line_source = 'agent' AND control_type = 0 AND coalesce(sub_type, 'REGULAR') = 'REGULAR') AS agent_lines,
    count(*) FILTER (WHERE line_source = 'visitor' AND control_type = 0) AS visitor_lines
  FROM staging.stg_liveperson__transcript_lines
  GROUP BY engagement_id
),
cobrowse AS (
  SELECT engagement_id, exact_sum(duration_seconds) AS cobrowse_seconds
  FROM staging.stg_liveperson__cobrowse_sessions
  GROUP BY engagement_id
),
post_chat AS (
  SELECT DISTINCT engagement_id FROM staging.stg_liveperson__survey_answers WHERE survey_kind = 'post_chat'
)
SELECT
  e.engagement_id,
  e.start_time,
  e.end_time,
  CAST(e.start_time AS DATE) AS engagement_date,
  e.duration_seconds,
  CASE WHEN e.requested_time <= e.start_time THEN CAST(epoch_ms(e.start_time) - epoch_ms(e.requested_time) AS DOUBLE) / 1000 END AS wait_seconds,
  CASE WHEN l.first_agent_line >= e.start_time THEN CAST(epoch_ms(l.first_agent_line) - epoch_ms(e.start_time) AS DOUBLE) / 1000 END AS first_response_seconds,
  e.skill_name,
  agent_key(e.agent_name) AS agent_key,
  e.agent_id,
  e.agent_name,
  e.agent_group,
  e.start_reason,
  e.end_reason,
  e.start_reason_code,
  e.end_reason_code,
  -- By code (the descriptions vary by account and language; "Transfer failed" is not a transfer).
  coalesce(e.start_reason_code IN ('1', '6'), false) AS started_by_transfer,
  coalesce(e.end_reason_code IN ('101', '106'), false) AS ended_by_transfer,
  e.mcs,
  e.chat_mcs,
  e.alerted_mcs,
  coalesce(l.agent_lines, 0) AS agent_lines,
  coalesce(l.visitor_lines, 0) AS visitor_lines,
  c.engagement_id IS NOT NULL AS has_cobrowse,
  coalesce(c.cobrowse_seconds, 0) AS cobrowse_seconds,
  p.engagement_id IS NOT NULL AS has_post_chat_survey,
  e.device,
  e.operating_system,
  e.browser,
  e.country,
  e.start_path,
  e.visitor_pseudonym,
  e.visitor_name
FROM staging.stg_liveperson__engagements e
LEFT JOIN lines l USING (engagement_id)
LEFT JOIN cobrowse c USING (engagement_id)
LEFT JOIN post_chat p USING (engagement_id)
