/**
 * The catalogue: every metric the pages show, from the subject modules that
 * declare them (id, label, unit, the definition a reader sees in footnotes and
 * tooltips, the columns it reads and how it is computed). Pages never compute a
 * shown figure any other way, so a KPI, its footnote and its unit test agree.
 * The kinds are in metric-kinds.ts, histograms in binning.ts, formatting in
 * format.ts.
 */
import { AGENT_METRICS } from "./agent-measures.js";
import { AGENDIZE_METRICS } from "./chat-history-measures.js";
import { CHAT_METRICS } from "./chat-measures.js";
import { COBROWSE_METRICS } from "./cobrowse-measures.js";
import { EMBEDDED_METRICS } from "./embedded-measures.js";
import type { Metric } from "./metric-kinds.js";
import { OVERVIEW_METRICS } from "./overview-measures.js";

export const METRICS = {
  ...OVERVIEW_METRICS,
  ...COBROWSE_METRICS,
  ...CHAT_METRICS,
  ...AGENDIZE_METRICS,
  ...EMBEDDED_METRICS,
  ...AGENT_METRICS,
} as const satisfies Record<string, Metric>;
