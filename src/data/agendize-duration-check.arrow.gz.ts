// Agendize's own average chat duration per list window beside ours (the
// agendize_duration_check mart), for windows with chats.
import { day, published, publishArrowGzip } from "./publish-marts.js";

await publishArrowGzip(`
  SELECT
    ${day("window_start")} AS date,
    ${day("window_end")} AS window_end,
    vendor_chat_sessions::INTEGER AS vendor_chat_sessions,
    vendor_average_chat_seconds::DOUBLE AS vendor_average_chat_seconds,
    (vendor_average_chat_seconds * vendor_chat_sessions)::DOUBLE AS vendor_duration_sum,
    our_chat_sessions::INTEGER AS our_chat_sessions,
    our_average_chat_seconds::DOUBLE AS our_average_chat_seconds,
    disagrees::INTEGER AS disagrees
  FROM agendize_duration_check
  WHERE (vendor_chat_sessions > 0 OR our_chat_sessions > 0) AND ${published("CAST(window_start AS DATE)")}
  ORDER BY window_start`);
