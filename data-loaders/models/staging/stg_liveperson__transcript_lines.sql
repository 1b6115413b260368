-- One row per transcript line of a LivePerson engagement, with the line's MCS.
-- The text itself is published only when SI_PUBLISH_TEXT=true.
-- @column engagement_id: LivePerson engagementId
-- @column line_index: position of the line in the transcript (0-based)
-- @column line_seq: LivePerson's lineSeq
-- @column line_time: when the line was sent (UTC)
-- @column line_source: who sent it: agent, visitor or system
-- @column agent_id: the sending agent's id (agent lines only)
-- @column control_type: LivePerson control type (0 = a line someone wrote; other values are system events)
-- @column sub_type: who sees the line: REGULAR (everyone) or ONLY_TO_REP (agents only, an internal note)
-- @column text_type: plain, html or rich-content
-- @column text_length: length of the line's text in characters
-- @column line_mcs: the running MCS after this line, when scored
-- @column line_raw_score: the line's raw sentiment score (-1, 0, 1), when scored
-- @column text: the line's text, NULL unless SI_PUBLISH_TEXT=true
-- @unique engagement_id, line_index
-- @not_null engagement_id, line_index
-- @incremental_key engagement_id
WITH source AS (
  SELECT
    engagement_id,
    from_json(record_json, '{
      "transcript": {"lines": [{"lineSeq": "VARCHAR", "timeL": "BIGINT", "source": "VARCHAR", "agentId": "VARCHAR",
                                "controlType": "INTEGER", "subType": "VARCHAR", "textType": "VARCHAR", "text": "VARCHAR"}]},
      "lineScores": [{"lineSeq": "VARCHAR", "lineRawScore": "INTEGER", "mcs": "INTEGER"}]
    }') AS r
  FROM liveperson.engagements
),
lines AS (
  -- No "WHERE lines IS NOT NULL": unnest of NULL yields no row already, and such a filter
  -- on the parsed struct made DuckDB hold every parsed record in memory (out of memory at scale).
  SELECT engagement_id, unnest(r.transcript.lines) AS line, generate_subscripts(r.transcript.lines, 1) - 1 AS line_index, r.lineScores AS scores
  FROM source
)
SELECT
  engagement_id,
  line_index,
  line.lineSeq AS line_seq,
  make_timestamp(line.timeL * 1000) AS line_time,
  lower(line.source) AS line_source,
  CASE WHEN lower(line.source) = 'agent' AND line.agentId NOT IN ('', '0') THEN line.agentId END AS agent_id,
  line.controlType AS control_type,
  upper(nullif(trim(line.subType), '')) AS sub_type,
  line.textType AS text_type,
  length(line.text) AS text_length,
  list_filter(scores, s -> s.lineSeq = line.lineSeq)[1].mcs AS line_mcs,
  list_filter(scores, s -> s.lineSeq = line.lineSeq)[1].lineRawScore AS line_raw_score,
  CASE WHEN getvariable('publish_text') THEN line.text END AS text
FROM lines
