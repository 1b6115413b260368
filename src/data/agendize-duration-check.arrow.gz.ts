// Agendize's own average chat duration per list window beside ours (the
// agendize_duration_check mart), for windows with chats.
import { AGENDIZE_WINDOWS } from "../components/chat-history-measures.js";
import { selectList } from "../components/measure-sql.js";
import { day, published, publishArrowGzip } from "./publish-marts.js";

await publishArrowGzip(`
  SELECT
    ${day("window_start")} AS date,
    ${day("window_end")} AS window_end,
${selectList(AGENDIZE_WINDOWS)}
  FROM agendize_duration_check
  WHERE (vendor_chat_sessions > 0 OR our_chat_sessions > 0) AND ${published("CAST(window_start AS DATE)")}
  ORDER BY window_start`);
