// Co-browse sessions per UTC day, first agent and session source: additive counts
// and sums for every KPI and trend on the co-browsing page when a filter or a
// custom range is chosen (loaded on demand; presets read cobrowse-preset-daily).
import { COBROWSE_DAILY_MEASURES } from "./cobrowse-measures.js";
import { day, published, publishArrowGzip } from "./publish-marts.js";

await publishArrowGzip(`
  SELECT
    ${day("session_date")} AS date,
    primary_agent_key AS agent,
    session_source AS source,
    ${COBROWSE_DAILY_MEASURES}
  FROM cobrowse_sessions
  WHERE ${published("session_date")}
  GROUP BY ALL
  ORDER BY date, agent, source`);
