// The overview's distributions for the whole team: co-browse session length
// (5%-wide log bins), chat MCS and post-chat ratings (exact), per UTC day: what
// the overview loads for a custom range (presets read overview-preset-histograms).
import { overviewHistogramsSql } from "./overview-histograms-sql.js";
import { day, published, publishArrowGzip } from "./publish-marts.js";

await publishArrowGzip(overviewHistogramsSql((column) => day(column), (column) => published(column)));
