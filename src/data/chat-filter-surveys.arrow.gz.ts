// As chat-surveys (per skill and agent) per preset span instead of per day
// (`date` is the span's first day): the chat page's survey answers for a preset
// range with a skill or agent filter.
import { chatSurveysSql } from "./chats-sql.js";
import { inPresetWindow, presetSegment, publishArrowGzip } from "./publish-marts.js";

await publishArrowGzip(chatSurveysSql({ period: presetSegment, keep: inPresetWindow }));
