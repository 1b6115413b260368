// LivePerson chats per preset span (`date` is the span's first day, see
// dates.presetSegments) by one attribute at a time (kind/key), for the whole
// team: what the chat page shows for a preset range with no filter.
import { inPresetWindow, presetSegment, publishArrowGzip } from "./publish-marts.js";

const breakdown = (kind: string, column: string) => `
  SELECT ${presetSegment("engagement_date")} AS date, '${kind}' AS kind, coalesce(${column}, '(unknown)') AS key, count(*)::INTEGER AS n
  FROM engagements WHERE ${inPresetWindow("engagement_date")} GROUP BY ALL`;

await publishArrowGzip(`
  ${breakdown("start_reason", "start_reason")}
  UNION ALL ${breakdown("end_reason", "end_reason")}
  UNION ALL ${breakdown("device", "device")}
  UNION ALL ${breakdown("operating_system", "operating_system")}
  UNION ALL ${breakdown("browser", "browser")}
  ORDER BY 1, 2, 3`);
