// As chats-breakdowns (per skill and agent) per preset span instead of per day
// (`date` is the span's first day): the chat page's breakdowns for a preset range
// with a skill or agent filter.
import { chatsBreakdownsSql } from "./chats-sql.js";
import { inPresetWindow, presetSegment, publishArrowGzip } from "./publish-marts.js";

await publishArrowGzip(chatsBreakdownsSql({ period: presetSegment, keep: inPresetWindow }));
