-- Agendize chats, one row per chat, with message counts and timings.
-- @column chat_id: Agendize chat session id
-- @column start_time: chat start (UTC)
-- @column end_time: last message (UTC)
-- @column chat_date: UTC day of the start
-- @column duration_seconds: last message − start, in seconds (how Agendize defines its own average)
-- @column first_response_seconds: seconds from the start to the first operator message
-- @column message_count: messages in the chat
-- @column operator_messages: messages from the operator
-- @column visitor_messages: messages from the visitor
-- @column button_id: the chat button used
-- @column button_name: the chat button's name
-- @column time_zone: the zone of the vendor's local times
-- @column country: visitor country
-- @column browser: visitor browser
-- @column operating_system: visitor operating system
-- @column start_path: path of the start page
-- @column email_pseudonym: keyed pseudonym of the visitor's email
-- @column visitor_name: the visitor's name, NULL unless SI_PUBLISH_VISITOR_IDENTITIES=true
-- @unique chat_id
-- @not_null chat_id, start_time, chat_date
-- @incremental_key chat_id
WITH messages AS (
  SELECT
    chat_id,
    count(*) AS message_count,
    count(*) FILTER (WHERE message_source = 'operator') AS operator_messages,
    count(*) FILTER (WHERE message_source = 'visitor') AS visitor_messages,
    min(sent_at) FILTER (WHERE message_source = 'operator') AS first_operator_message
  FROM staging.stg_agendize__messages
  GROUP BY chat_id
)
SELECT
  c.chat_id,
  c.start_time,
  c.end_time,
  CAST(c.start_time AS DATE) AS chat_date,
  CAST(epoch_ms(c.end_time) - epoch_ms(c.start_time) AS DOUBLE) / 1000 AS duration_seconds,
  CASE WHEN m.first_operator_message >= c.start_time
    THEN CAST(epoch_ms(m.first_operator_message) - epoch_ms(c.start_time) AS DOUBLE) / 1000 END AS first_response_seconds,
  coalesce(m.message_count, 0) AS message_count,
  coalesce(m.operator_messages, 0) AS operator_messages,
  coalesce(m.visitor_messages, 0) AS visitor_messages,
  c.button_id,
  c.button_name,
  c.time_zone,
  c.country,
  c.browser,
  c.operating_system,
  c.start_path,
  c.email_pseudonym,
  c.visitor_name
FROM staging.stg_agendize__chats c
LEFT JOIN messages m USING (chat_id)
