// Survey answers of LivePerson chats per preset span (`date` is the span's first
// day, see dates.presetSegments), for the whole team; the same answers as
// chat-surveys (published options only, typed answers counted under NULL).
import { inPresetWindow, presetSegment, publishArrowGzip } from "./publish-marts.js";

await publishArrowGzip(`
  SELECT ${presetSegment("engagement_date")} AS date, survey_kind, question,
    coalesce(answer, CASE WHEN answer_number = floor(answer_number) THEN CAST(CAST(answer_number AS BIGINT) AS VARCHAR)
      ELSE CAST(answer_number AS VARCHAR) END) AS answer,
    count(*)::INTEGER AS n
  FROM survey_answers
  WHERE ${inPresetWindow("engagement_date")}
  GROUP BY ALL
  ORDER BY 1, 2, 3, 4`);
