// The overview's additive figures per UTC day for the whole team, without the
// agent, skill, source or button crosses the channel pages need: co-browse
// sessions and their lengths, LivePerson chats, Agendize chats.
import { day, published, publishArrowGzip } from "./publish-marts.js";

await publishArrowGzip(`
  WITH cobrowse AS (
    SELECT session_date AS d, count(*)::INTEGER AS sessions,
      coalesce(sum(length_seconds), 0)::DOUBLE AS length_sum, count(length_seconds)::INTEGER AS length_count
    FROM cobrowse_sessions WHERE ${published("session_date")} GROUP BY ALL
  ),
  chats AS (SELECT engagement_date AS d, count(*)::INTEGER AS chats FROM engagements WHERE ${published("engagement_date")} GROUP BY ALL),
  agendize AS (SELECT chat_date AS d, count(*)::INTEGER AS agendize_chats FROM agendize_chats WHERE ${published("chat_date")} GROUP BY ALL)
  SELECT ${day("d")} AS date,
    coalesce(sessions, 0)::INTEGER AS sessions, coalesce(length_sum, 0)::DOUBLE AS length_sum, coalesce(length_count, 0)::INTEGER AS length_count,
    coalesce(chats, 0)::INTEGER AS chats, coalesce(agendize_chats, 0)::INTEGER AS agendize_chats
  FROM cobrowse FULL OUTER JOIN chats USING (d) FULL OUTER JOIN agendize USING (d)
  ORDER BY date`);
