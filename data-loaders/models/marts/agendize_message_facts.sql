-- Agendize messages as facts: who wrote when and how long. Text only when
-- SI_PUBLISH_TEXT=true.
-- @column chat_id: Agendize chat session id
-- @column message_id: Agendize message id
-- @column message_index: position in the chat (0-based)
-- @column message_source: operator or visitor
-- @column sent_at: when it was sent (UTC)
-- @column seconds_since_start: seconds from the chat start
-- @column message_length: characters in the message
-- @column button_name: the chat button of the chat
-- @column text: the message, NULL unless SI_PUBLISH_TEXT=true
-- @unique chat_id, message_index
-- @not_null chat_id, message_index
-- @incremental_key chat_id
SELECT
  m.chat_id,
  m.message_id,
  m.message_index,
  m.message_source,
  m.sent_at,
  CAST(epoch_ms(m.sent_at) - epoch_ms(c.start_time) AS DOUBLE) / 1000 AS seconds_since_start,
  m.message_length,
  c.button_name,
  m.text
FROM staging.stg_agendize__messages m
JOIN staging.stg_agendize__chats c USING (chat_id)
