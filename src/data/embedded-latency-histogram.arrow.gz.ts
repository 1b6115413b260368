// Round-trip latency samples (dataBounceSpeed, ms) of embedded sessions as daily
// histograms (5%-wide log bins, see metrics.ts): the median and the distribution for
// any date range without one row per sample.
import { logBinSql } from "../components/metrics.js";
import { day, published, publishArrowGzip } from "./publish-marts.js";

await publishArrowGzip(`
  SELECT ${day("event_date")} AS date, primary_agent_key AS agent, ${logBinSql("data_bounce_ms")} AS bin, count(*)::INTEGER AS n
  FROM embedded_events
  WHERE ${published("event_date")} AND data_bounce_ms IS NOT NULL
  GROUP BY ALL
  ORDER BY date, agent, bin`);
