// Agendize chats per UTC day and chat button: additive counts and sums for the
// chat-history page's KPIs and trends.
import { day, published, publishArrowGzip } from "./publish-marts.js";

await publishArrowGzip(`
  SELECT
    ${day("chat_date")} AS date,
    button_name AS button,
    count(*)::INTEGER AS chats,
    coalesce(sum(duration_seconds), 0)::DOUBLE AS duration_sum,
    count(duration_seconds)::INTEGER AS duration_count,
    coalesce(sum(message_count), 0)::INTEGER AS messages,
    coalesce(sum(operator_messages), 0)::INTEGER AS operator_messages,
    coalesce(sum(visitor_messages), 0)::INTEGER AS visitor_messages,
    coalesce(sum(first_response_seconds), 0)::DOUBLE AS first_response_sum,
    count(first_response_seconds)::INTEGER AS first_response_count
  FROM agendize_chats
  WHERE ${published("chat_date")}
  GROUP BY ALL
  ORDER BY date, button`);
