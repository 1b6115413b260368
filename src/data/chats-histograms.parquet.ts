// LivePerson chat distributions as daily histograms per skill and agent:
// duration, wait and first response in 5%-wide log bins, chat MCS (0–100) and
// post-chat ratings (1–5) by exact value. Medians and distribution charts come
// from these, for any date range, without per-chat rows.
import { logBinSql } from "../components/metrics.js";
import { day, published, publishParquet } from "./publish-marts.js";

const logMeasure = (measure: string, column: string) => `
  SELECT ${day("engagement_date")} AS date, skill_name AS skill, agent_key AS agent, '${measure}' AS measure,
    ${logBinSql(column)} AS bin, count(*)::INTEGER AS n
  FROM engagements WHERE ${published("engagement_date")} AND ${column} IS NOT NULL GROUP BY ALL`;

await publishParquet(`
  ${logMeasure("duration", "duration_seconds")}
  UNION ALL ${logMeasure("wait", "wait_seconds")}
  UNION ALL ${logMeasure("first_response", "first_response_seconds")}
  UNION ALL
  SELECT ${day("engagement_date")}, skill_name, agent_key, 'mcs', chat_mcs, count(*)::INTEGER
  FROM engagements WHERE ${published("engagement_date")} AND chat_mcs IS NOT NULL GROUP BY ALL
  UNION ALL
  -- One rating per chat and question: the post-chat survey's 1–5 answers.
  SELECT ${day("engagement_date")}, skill_name, agent_key, 'rating', CAST(answer_number AS INTEGER), count(*)::INTEGER
  FROM survey_answers
  WHERE ${published("engagement_date")} AND survey_kind = 'post_chat' AND answer_number BETWEEN 1 AND 5 AND answer_number = floor(answer_number)
  GROUP BY ALL
  ORDER BY 1, 4, 2, 3, 5`);
