-- One row per answer of the pre-chat, post-chat and operator surveys of a
-- LivePerson engagement, as given. The marts decide what of the answer text is
-- published (see marts/survey_answers.sql).
-- @column engagement_id: LivePerson engagementId
-- @column survey_kind: pre_chat, post_chat or operator
-- @column answer_index: position of the answer in its survey's list (0-based)
-- @column survey_id: LivePerson survey id
-- @column survey_name: the survey's name
-- @column question_id: LivePerson question id
-- @column question: the question as shown (displayName)
-- @column answered_at: when it was answered (UTC)
-- @column is_free_text: true when the answer was typed rather than chosen
-- @column answer: the answer as given (may be free text: never select it into a mart as is)
-- @column answer_number: the answer as a number, when it is one (e.g. a 1–5 rating)
-- @unique engagement_id, survey_kind, answer_index
-- @not_null engagement_id, survey_kind, answer_index
-- @incremental_key engagement_id
WITH source AS (
  SELECT engagement_id,
    from_json(record_json, '{"surveys": {
      "preChat": [{"surveyID":"VARCHAR","name":"VARCHAR","questionID":"VARCHAR","displayName":"VARCHAR","value":"VARCHAR","answersId":["BIGINT"],"timeL":"BIGINT"}],
      "postChat": [{"surveyID":"VARCHAR","name":"VARCHAR","questionID":"VARCHAR","displayName":"VARCHAR","value":"VARCHAR","answersId":["BIGINT"],"timeL":"BIGINT"}],
      "operator": [{"surveyID":"VARCHAR","name":"VARCHAR","questionID":"VARCHAR","displayName":"VARCHAR","value":"VARCHAR","answersId":["BIGINT"],"timeL":"BIGINT"}]
    }}') AS r
  FROM liveperson.engagements
),
answers AS (
  SELECT engagement_id, 'pre_chat' AS survey_kind, unnest(r.surveys.preChat) AS a, generate_subscripts(r.surveys.preChat, 1) - 1 AS answer_index FROM source
  UNION ALL SELECT engagement_id, 'post_chat', unnest(r.surveys.postChat), generate_subscripts(r.surveys.postChat, 1) - 1 FROM source
  UNION ALL SELECT engagement_id, 'operator', unnest(r.surveys.operator), generate_subscripts(r.surveys.operator, 1) - 1 FROM source
)
SELECT
  engagement_id,
  survey_kind,
  answer_index,
  a.surveyID AS survey_id,
  a.name AS survey_name,
  a.questionID AS question_id,
  a.displayName AS question,
  make_timestamp(a.timeL * 1000) AS answered_at,
  coalesce(list_contains(a.answersId, -1) OR len(a.answersId) = 0, true) AS is_free_text,
  a.value AS answer,
  TRY_CAST(a.value AS DOUBLE) AS answer_number
FROM answers
