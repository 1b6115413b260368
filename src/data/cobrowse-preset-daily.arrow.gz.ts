// Co-browse sessions per UTC day and session source over the presets' window
// (the last 180 days): the co-browsing page's KPIs and trends for a preset range
// with no filter, without the agent cross that cobrowse-daily carries.
import { COBROWSE_DAILY_MEASURES } from "./cobrowse-measures.js";
import { day, inPresetWindow, publishArrowGzip } from "./publish-marts.js";

await publishArrowGzip(`
  SELECT
    ${day("session_date")} AS date,
    session_source AS source,
    ${COBROWSE_DAILY_MEASURES}
  FROM cobrowse_sessions
  WHERE ${inPresetWindow("session_date")}
  GROUP BY ALL
  ORDER BY date, source`);
