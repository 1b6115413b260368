// Agendize chat distributions as daily histograms per chat button: duration and
// first response in 5%-wide log bins, messages per chat by exact count (declared
// in components/chat-history-measures.ts).
import { AGENDIZE_HISTOGRAMS } from "../components/chat-history-measures.js";
import { histogramSelect } from "../components/measure-sql.js";
import { BY_DAY, publishArrowGzip } from "./publish-marts.js";

await publishArrowGzip(`${Object.values(AGENDIZE_HISTOGRAMS)
  .map((histogram) => histogramSelect(histogram, BY_DAY, ["button_name AS button"]))
  .join("\n  UNION ALL")}
  ORDER BY 1, 3, 2, 4`);
