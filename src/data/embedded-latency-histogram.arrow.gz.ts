// Round-trip latency samples (dataBounceSpeed, ms) of embedded sessions as daily
// histograms (5%-wide log bins, see binning.ts): the median and the distribution for
// any date range without one row per sample.
import { EMBEDDED_LATENCY } from "../components/embedded-measures.js";
import { histogramSelect } from "../components/measure-sql.js";
import { BY_DAY, publishArrowGzip } from "./publish-marts.js";

await publishArrowGzip(`${histogramSelect(EMBEDDED_LATENCY, BY_DAY, ["primary_agent_key AS agent"], false)}
  ORDER BY date, agent, bin`);
