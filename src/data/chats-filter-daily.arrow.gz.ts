// As chats-daily (per UTC day, skill and agent) over the presets' window only
// (the last 180 days): what the chat page reads for a preset range with a skill
// or agent filter. It does not grow with history.
import { chatsDailySql } from "./chats-sql.js";
import { day, inPresetWindow, publishArrowGzip } from "./publish-marts.js";

await publishArrowGzip(chatsDailySql({ period: day, keep: inPresetWindow }));
