// Agendize chats per UTC day and chat button: additive counts and sums for the
// chat-history page's KPIs and trends (declared in components/chat-history-measures.ts).
import { AGENDIZE_DAILY } from "../components/chat-history-measures.js";
import { additiveSelect } from "../components/measure-sql.js";
import { BY_DAY, publishArrowGzip } from "./publish-marts.js";

await publishArrowGzip(`${additiveSelect("agendize_chats", "chat_date", BY_DAY, ["button_name AS button"], AGENDIZE_DAILY)}
  ORDER BY date, button`);
