// Survey answers of LivePerson chats per day, skill and agent. The answer text is
// what the survey_answers mart publishes (an option at least 5 answers share, or
// any text with SI_PUBLISH_TEXT=true); typed answers stay unpublished and are
// counted under NULL. Numbers (ratings) are kept as text of the number.
import { day, published, publishParquet } from "./publish-marts.js";

await publishParquet(`
  SELECT ${day("engagement_date")} AS date, skill_name AS skill, agent_key AS agent,
    survey_kind, question,
    coalesce(answer, CASE WHEN answer_number = floor(answer_number) THEN CAST(CAST(answer_number AS BIGINT) AS VARCHAR)
      ELSE CAST(answer_number AS VARCHAR) END) AS answer,
    count(*)::INTEGER AS n
  FROM survey_answers
  WHERE ${published("engagement_date")}
  GROUP BY ALL
  ORDER BY 1, 4, 5, 6`);
