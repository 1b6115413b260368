-- Transcript lines of LivePerson chats as facts: who wrote when, how long, and
-- the MCS after the line. Text only when SI_PUBLISH_TEXT=true.
-- @column engagement_id: LivePerson engagementId
-- @column line_index: position in the transcript (0-based)
-- @column line_time: when the line was sent (UTC)
-- @column seconds_since_start: seconds from the chat start to this line
-- @column line_source: agent, visitor or system
-- @column agent_key: cross-source key of the chat's agent
-- @column control_type: LivePerson control type (0 = a line someone wrote; other values are system events)
-- @column sub_type: REGULAR (everyone sees the line) or ONLY_TO_REP (an agents-only note)
-- @column text_type: plain, html or rich-content
-- @column text_length: characters in the line
-- @column line_mcs: running MCS after the line
-- @column line_raw_score: raw sentiment of the line (-1, 0, 1)
-- @column text: the line's text, NULL unless SI_PUBLISH_TEXT=true
-- @unique engagement_id, line_index
-- @not_null engagement_id, line_index
-- @incremental_key engagement_id
SELECT
  l.engagement_id,
  l.line_index,
  l.line_time,
  CAST(epoch_ms(l.line_time) - epoch_ms(e.start_time) AS DOUBLE) / 1000 AS seconds_since_start,
  l.line_source,
  agent_key(e.agent_name) AS agent_key,
  l.control_type,
  l.sub_type,
  l.text_type,
  l.text_length,
  l.line_mcs,
  l.line_raw_score,
  l.text
FROM staging.stg_liveperson__transcript_lines l
JOIN staging.stg_liveperson__engagements e USING (engagement_id)
