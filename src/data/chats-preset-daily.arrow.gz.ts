// LivePerson chats per UTC day and skill over the presets' window (the last 180
// days): the chat page's KPIs and trends for a preset range with no skill or
// agent filter, without the agent cross that chats-daily carries.
import { CHAT_DAILY_MEASURES } from "./chats-sql.js";
import { day, inPresetWindow, publishArrowGzip } from "./publish-marts.js";

await publishArrowGzip(`
  SELECT
    ${day("engagement_date")} AS date,
    skill_name AS skill,
    ${CHAT_DAILY_MEASURES}
  FROM engagements
  WHERE ${inPresetWindow("engagement_date")}
  GROUP BY ALL
  ORDER BY date, skill`);
