-- Survey answers of LivePerson chats (pre-chat, post-chat, operator wrap-up).
-- An answer's text is published when it was chosen from a list and at least 5
-- answers to the question share it (an option label, not something a visitor
-- typed), or when SI_PUBLISH_TEXT=true. Numbers are always kept. A rating question
-- is a post-chat question every answer of which is a whole number from 1 to 5 (so
-- a 0–10 recommendation score, or a question answered in words, is not one).
-- @column engagement_id: LivePerson engagementId
-- @column start_time: chat start (UTC)
-- @column engagement_date: UTC day of the chat start
-- @column agent_key: cross-source key of the chat's agent
-- @column skill_name: the chat's skill
-- @column survey_kind: pre_chat, post_chat or operator
-- @column answer_index: position of the answer in its survey (0-based)
-- @column survey_name: the survey's name
-- @column question_id: LivePerson question id
-- @column question: the question as shown
-- @column is_free_text: true when the answer was typed
-- @column answer: the chosen option (see above for when text is published)
-- @column answer_number: the answer as a number, when it is one
-- @column rating: the answer as a 1–5 rating, when its question is a rating question (see above); NULL otherwise
-- @unique engagement_id, survey_kind, answer_index
-- @not_null engagement_id, survey_kind, answer_index
SELECT
  a.engagement_id,
  e.start_time,
  e.engagement_date,
  e.agent_key,
  e.skill_name,
  a.survey_kind,
  a.answer_index,
  a.survey_name,
  a.question_id,
  a.question,
  a.is_free_text,
  CASE
    WHEN getvariable('publish_text') THEN a.answer
    WHEN NOT a.is_free_text AND count(*) OVER (PARTITION BY a.question_id, a.answer) >= 5 THEN a.answer
  END AS answer,
  a.answer_number,
  CASE
    WHEN a.survey_kind = 'post_chat'
      AND bool_and(coalesce(a.answer_number BETWEEN 1 AND 5 AND a.answer_number = floor(a.answer_number), false)) OVER (PARTITION BY a.survey_kind, a.question_id)
      THEN CAST(a.answer_number AS INTEGER)
  END AS rating
FROM staging.stg_liveperson__survey_answers a
JOIN marts.engagements e USING (engagement_id)
