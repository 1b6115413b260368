// LivePerson chat distributions per preset span (see dates.presetSegments; `date`
// is the span's first day): every measure of chats-histograms for the whole team
// (level 'all'), and chat MCS per skill (level 'skill') and per agent (level
// 'agent') for the by-skill and by-agent charts. Exact for the presets and their
// previous periods, and it does not grow with history; a filter or a custom range
// loads the day-level chats-histograms instead.
import { logBinSql } from "../components/metrics.js";
import { IS_POST_CHAT_RATING } from "./chats-sql.js";
import { inPresetWindow, presetSegment, publishArrowGzip } from "./publish-marts.js";

const span = presetSegment("engagement_date");
const logMeasure = (measure: string, column: string) => `
  SELECT ${span} AS date, 'all' AS level, NULL::VARCHAR AS skill, NULL::VARCHAR AS agent, '${measure}' AS measure,
    ${logBinSql(column)} AS bin, count(*)::INTEGER AS n
  FROM engagements WHERE ${inPresetWindow("engagement_date")} AND ${column} IS NOT NULL GROUP BY ALL`;
const mcsBy = (level: "all" | "skill" | "agent") => `
  SELECT ${span}, '${level}', ${level === "skill" ? "skill_name" : "NULL::VARCHAR"}, ${level === "agent" ? "agent_key" : "NULL::VARCHAR"}, 'mcs',
    chat_mcs, count(*)::INTEGER
  FROM engagements WHERE ${inPresetWindow("engagement_date")} AND chat_mcs IS NOT NULL GROUP BY ALL`;

await publishArrowGzip(`
  ${logMeasure("duration", "duration_seconds")}
  UNION ALL ${logMeasure("wait", "wait_seconds")}
  UNION ALL ${logMeasure("first_response", "first_response_seconds")}
  UNION ALL ${mcsBy("all")}
  UNION ALL ${mcsBy("skill")}
  UNION ALL ${mcsBy("agent")}
  UNION ALL
  -- One rating per chat and question: the post-chat survey's 1–5 answers.
  SELECT ${presetSegment("engagement_date")}, 'all', NULL::VARCHAR, NULL::VARCHAR, 'rating', rating, count(*)::INTEGER
  FROM survey_answers
  WHERE ${inPresetWindow("engagement_date")} AND ${IS_POST_CHAT_RATING}
  GROUP BY ALL
  ORDER BY 1, 2, 5, 3, 4, 6`);
