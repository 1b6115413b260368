// Co-browse session lengths (5%-wide log bins) per preset span for the whole team
// (`date` is the span's first day, see dates.presetSegments): the median and the
// distribution for a preset range with no filter.
import { logBinSql } from "../components/metrics.js";
import { inPresetWindow, presetSegment, publishArrowGzip } from "./publish-marts.js";

await publishArrowGzip(`
  SELECT ${presetSegment("session_date")} AS date, ${logBinSql("length_seconds")} AS bin, count(*)::INTEGER AS n
  FROM cobrowse_sessions
  WHERE ${inPresetWindow("session_date")} AND length_seconds IS NOT NULL
  GROUP BY ALL
  ORDER BY date, bin`);
