-- One row per message of an Agendize chat, with its time in UTC as the sync
-- placed it (a repeated fall-back hour is read from the messages' order, which
-- SQL over local times alone cannot do). The text is published only when
-- SI_PUBLISH_TEXT=true.
-- @column chat_id: Agendize chat session id
-- @column message_id: Agendize message id
-- @column message_index: position of the message in the chat (0-based)
-- @column message_source: operator or visitor
-- @column sent_at: when the message was sent (UTC, converted with its own zone)
-- @column message_length: length of the message in characters
-- @column text: the message, NULL unless SI_PUBLISH_TEXT=true
-- @unique chat_id, message_index
-- @not_null chat_id, message_index
-- @incremental_key chat_id
WITH source AS (
  SELECT chat_id, time_zone, message_sent_times,
    from_json(record_json, '{"messages": [{"id":"VARCHAR","source":"VARCHAR","message":"VARCHAR","sent":{"dateTime":"VARCHAR","timeZone":"VARCHAR"}}]}').messages AS messages
  FROM agendize.chats
),
messages AS (
  SELECT chat_id, time_zone, message_sent_times, unnest(messages) AS m, generate_subscripts(messages, 1) - 1 AS message_index
  FROM source
)
SELECT
  chat_id,
  m.id AS message_id,
  message_index,
  m.source AS message_source,
  coalesce(message_sent_times[message_index + 1], local_to_utc(m.sent.dateTime, coalesce(m.sent.timeZone, time_zone))) AS sent_at,
  length(m.message) AS message_length,
  CASE WHEN getvariable('publish_text') THEN m.message END AS text
FROM messages
