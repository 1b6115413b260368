// Agendize chats per day and chat button by visitor country, browser and
// operating system (kind/key).
import { day, published, publishArrowGzip } from "./publish-marts.js";

const breakdown = (kind: string, column: string) => `
  SELECT ${day("chat_date")} AS date, button_name AS button, '${kind}' AS kind, coalesce(${column}, '(unknown)') AS key, count(*)::INTEGER AS n
  FROM agendize_chats WHERE ${published("chat_date")} GROUP BY ALL`;

await publishArrowGzip(`
  ${breakdown("country", "country")}
  UNION ALL ${breakdown("browser", "browser")}
  UNION ALL ${breakdown("operating_system", "operating_system")}
  ORDER BY 1, 3, 4`);
