// LivePerson chats per UTC day, agent and skill: the agent pages' "chats by
// skill" (only this count, not the chat page's whole chats-daily).
import { day, published, publishArrowGzip } from "./publish-marts.js";

await publishArrowGzip(`
  SELECT ${day("engagement_date")} AS date, agent_key AS agent, skill_name AS skill, count(*)::INTEGER AS chats
  FROM engagements
  WHERE agent_key IS NOT NULL AND ${published("engagement_date")}
  GROUP BY ALL
  ORDER BY agent, date, skill`);
