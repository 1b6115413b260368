// Agendize chats per day and chat button by visitor country, browser and
// operating system (kind/key), and the chats' messages by their author as Agendize
// names it (kind message_source, n = messages): operator, visitor, or a source the
// vendor does not document (drift), each its own category.
import { day, published, publishArrowGzip } from "./publish-marts.js";

const breakdown = (kind: string, column: string) => `
  SELECT ${day("chat_date")} AS date, button_name AS button, '${kind}' AS kind, coalesce(${column}, '(unknown)') AS key, count(*)::INTEGER AS n
  FROM agendize_chats WHERE ${published("chat_date")} GROUP BY ALL`;

await publishArrowGzip(`
  ${breakdown("country", "country")}
  UNION ALL ${breakdown("browser", "browser")}
  UNION ALL ${breakdown("operating_system", "operating_system")}
  UNION ALL
  SELECT ${day("c.chat_date")}, c.button_name, 'message_source', coalesce(m.message_source, '(unknown)'), count(*)::INTEGER
  FROM agendize_message_facts m JOIN agendize_chats c USING (chat_id)
  WHERE ${published("c.chat_date")} GROUP BY ALL
  ORDER BY 1, 3, 4, 2`);
