// Survey answers of LivePerson chats per preset span (`date` is the span's first
// day, see dates.presetSegments), for the whole team; the same answers as
// chat-surveys (published options only, typed answers counted under NULL).
import { SURVEY_ANSWER_TEXT } from "./chats-sql.js";
import { inPresetWindow, presetSegment, publishArrowGzip } from "./publish-marts.js";

await publishArrowGzip(`
  SELECT ${presetSegment("engagement_date")} AS date, survey_kind, question, ${SURVEY_ANSWER_TEXT} AS answer,
    count(*)::INTEGER AS n
  FROM survey_answers
  WHERE ${inPresetWindow("engagement_date")}
  GROUP BY ALL
  ORDER BY 1, 2, 3, 4`);
