// Co-browse session lengths as daily histograms (5%-wide log bins, see metrics.ts):
// medians and the length distribution for any date range, without per-session rows.
import { logBinSql } from "../components/metrics.js";
import { day, published, publishArrowGzip } from "./publish-marts.js";

await publishArrowGzip(`
  SELECT ${day("session_date")} AS date, primary_agent_key AS agent, session_source AS source,
    ${logBinSql("length_seconds")} AS bin, count(*)::INTEGER AS n
  FROM cobrowse_sessions
  WHERE ${published("session_date")} AND length_seconds IS NOT NULL
  GROUP BY ALL
  ORDER BY date, agent, source, bin`);
