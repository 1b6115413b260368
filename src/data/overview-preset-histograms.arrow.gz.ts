// The overview's distributions (as overview-histograms) per preset span (`date`
// is the span's first day, see dates.presetSegments): exact for the presets and
// their previous periods, and it does not grow with history.
import { overviewHistogramsSql } from "./overview-histograms-sql.js";
import { inPresetWindow, presetSegment, publishArrowGzip } from "./publish-marts.js";

await publishArrowGzip(overviewHistogramsSql(presetSegment, inPresetWindow));
