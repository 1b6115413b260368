// As chats-histograms (per skill and agent) per preset span instead of per day
// (`date` is the span's first day, see dates.presetSegments): what the chat page
// reads for a preset range with a skill or agent filter. Exact for the presets
// and their previous periods; it does not grow with history.
import { chatsHistogramsSql } from "./chats-sql.js";
import { inPresetWindow, presetSegment, publishArrowGzip } from "./publish-marts.js";

await publishArrowGzip(chatsHistogramsSql({ period: presetSegment, keep: inPresetWindow }));
