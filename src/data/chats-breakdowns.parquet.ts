// LivePerson chats per day, skill and agent, broken down by one attribute at a
// time (kind/key): start and end reasons, device, operating system, browser.
import { day, published, publishParquet } from "./publish-marts.js";

const breakdown = (kind: string, column: string) => `
  SELECT ${day("engagement_date")} AS date, skill_name AS skill, agent_key AS agent, '${kind}' AS kind,
    coalesce(${column}, '(unknown)') AS key, count(*)::INTEGER AS n
  FROM engagements WHERE ${published("engagement_date")} GROUP BY ALL`;

await publishParquet(`
  ${breakdown("start_reason", "start_reason")}
  UNION ALL ${breakdown("end_reason", "end_reason")}
  UNION ALL ${breakdown("device", "device")}
  UNION ALL ${breakdown("operating_system", "operating_system")}
  UNION ALL ${breakdown("browser", "browser")}
  ORDER BY 1, 4, 5`);
