// Agendize chat distributions as daily histograms per chat button: duration and
// first response in 5%-wide log bins, messages per chat by exact count.
import { logBinSql } from "../components/metrics.js";
import { day, published, publishArrowGzip } from "./publish-marts.js";

const logMeasure = (measure: string, column: string) => `
  SELECT ${day("chat_date")} AS date, button_name AS button, '${measure}' AS measure, ${logBinSql(column)} AS bin, count(*)::INTEGER AS n
  FROM agendize_chats WHERE ${published("chat_date")} AND ${column} IS NOT NULL GROUP BY ALL`;

await publishArrowGzip(`
  ${logMeasure("duration", "duration_seconds")}
  UNION ALL ${logMeasure("first_response", "first_response_seconds")}
  UNION ALL
  SELECT ${day("chat_date")}, button_name, 'messages', CAST(message_count AS INTEGER), count(*)::INTEGER
  FROM agendize_chats WHERE ${published("chat_date")} GROUP BY ALL
  ORDER BY 1, 3, 2, 4`);
