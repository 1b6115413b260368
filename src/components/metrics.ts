/**
 * Every metric the pages show, defined once: id, label, unit, the definition a
 * reader sees in footnotes and tooltips, and how it is computed from the plain
 * rows the page loaded. Pages never compute a shown figure any other way, so a
 * KPI, its footnote and its unit test always agree.
 *
 * Rows are the pages' pre-aggregated data: additive daily sums and counts (an
 * average is Σ sum / Σ count over the selected days, never an average of daily
 * averages) and daily histograms for medians (see `Binning`). No DOM here: this
 * module also runs in Node, in the loaders (for the bin SQL) and in unit tests.
 */

/** Figures from fewer cases than this are marked low-confidence. */
export const MIN_CASES = 30;

export type MetricUnit = "count" | "seconds" | "share" | "rating" | "score" | "number";

export interface MetricResult {
  /** The figure, or null when there is nothing to compute it from. */
  value: number | null;
  /** Cases behind the figure: the denominator of a share or an average, the items of a median. */
  n: number;
  /** True for an estimate (share, average, median) from fewer than MIN_CASES cases. */
  lowConfidence: boolean;
}

/** A row as a page holds it: column name → value (numbers for measures). */
export type Row = Readonly<Record<string, unknown>>;

export interface Metric {
  id: string;
  label: string;
  unit: MetricUnit;
  /** One or two sentences, shown as the footnote and tooltip. */
  definition: string;
  /** Counts are facts; estimates (shares, averages, medians) carry a confidence mark. */
  kind: "count" | "estimate";
  compute(rows: readonly Row[]): MetricResult;
}

/** A number from a row's column; null, undefined, NaN and non-numbers count as missing. */
export function numberOf(row: Row, column: string): number | null {
  const value = row[column];
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  return null;
}

/** Σ column over rows, missing values skipped. */
export function total(rows: readonly Row[], column: string): number {
  let sum = 0;
  for (const row of rows) sum += numberOf(row, column) ?? 0;
  return sum;
}

function estimate(value: number | null, n: number): MetricResult {
  return { value: n > 0 ? value : null, n, lowConfidence: n < MIN_CASES };
}

interface MetricText {
  id: string;
  label: string;
  definition: string;
}

/** Σ of a count column. */
export function countMetric(text: MetricText & { column: string }): Metric {
  return {
    ...text,
    unit: "count",
    kind: "count",
    compute(rows) {
      const n = total(rows, text.column);
      return { value: n, n, lowConfidence: false };
    },
  };
}

/** Σ sum column / Σ count column. */
export function meanMetric(text: MetricText & { unit: MetricUnit; sum: string; count: string }): Metric {
  return {
    ...text,
    kind: "estimate",
    compute(rows) {
      const n = total(rows, text.count);
      return estimate(n > 0 ? total(rows, text.sum) / n : null, n);
    },
  };
}

/** Σ part / Σ whole, as a fraction (0–1). `n` is the whole. */
export function shareMetric(text: MetricText & { part: string; whole: string }): Metric {
  return {
    ...text,
    unit: "share",
    kind: "estimate",
    compute(rows) {
      const whole = total(rows, text.whole);
      return estimate(whole > 0 ? total(rows, text.part) / whole : null, whole);
    },
  };
}

/** Distinct values of `key` over rows where `measure` is positive (e.g. agents who handled anything). */
export function distinctCountMetric(text: MetricText & { key: string; measure: string }): Metric {
  return {
    ...text,
    unit: "count",
    kind: "count",
    compute(rows) {
      const keys = new Set<unknown>();
      for (const row of rows) if ((numberOf(row, text.measure) ?? 0) > 0 && row[text.key] != null) keys.add(row[text.key]);
      return { value: keys.size, n: keys.size, lowConfidence: false };
    },
  };
}

// ---------------------------------------------------------------------------
// Histograms

/**
 * How a measured value maps to a histogram bin. `log`: bin k holds values in
 * [BASE^k − 1, BASE^(k+1) − 1), so every bin is at most 5% wide relative to its
 * values (the median read from it is within 5% of the exact one, usually far
 * closer) and a day holds at most ~230 bins up to 24 h whatever the volume.
 * `exact`: the bin is the value itself (integer scores such as MCS, ratings).
 */
export type Binning = "log" | "exact";

export const LOG_BIN_BASE = 1.05;

export function logBin(value: number): number {
  return Math.max(0, Math.floor(Math.log1p(Math.max(0, value)) / Math.log(LOG_BIN_BASE)));
}

export function binEdges(binning: Binning, bin: number): [number, number] {
  if (binning === "exact") return [bin, bin];
  return [LOG_BIN_BASE ** bin - 1, LOG_BIN_BASE ** (bin + 1) - 1];
}

/** The SQL expression the loaders use to bin a column (same rule as `logBin`). */
export function logBinSql(column: string): string {
  return `CAST(floor(ln(1 + greatest(${column}, 0)) / ln(${LOG_BIN_BASE})) AS INTEGER)`;
}

export interface HistogramBin {
  bin: number;
  n: number;
}

/** Adds up rows with `bin` and `n` columns (several days, agents …) into one histogram, sorted by bin. */
export function mergeHistogram(rows: readonly Row[], binColumn = "bin", countColumn = "n"): HistogramBin[] {
  const counts = new Map<number, number>();
  for (const row of rows) {
    const bin = numberOf(row, binColumn);
    const n = numberOf(row, countColumn);
    if (bin === null || n === null || n <= 0) continue;
    counts.set(bin, (counts.get(bin) ?? 0) + n);
  }
  return [...counts].map(([bin, n]) => ({ bin, n })).sort((a, b) => a.bin - b.bin);
}

/**
 * The q-quantile of a histogram, interpolated like DuckDB's quantile_cont (and
 * median): position q·(N−1) between the sorted items. An item's value inside a
 * bin is spread evenly over the bin, so with `exact` bins the result is exact.
 */
export function histogramQuantile(histogram: readonly HistogramBin[], binning: Binning, q: number): number | null {
  const totalCount = histogram.reduce((sum, { n }) => sum + n, 0);
  if (totalCount <= 0) return null;
  const position = q * (totalCount - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const valueAt = (index: number): number => {
    let before = 0;
    for (const { bin, n } of histogram) {
      if (index < before + n) {
        const [lo, hi] = binEdges(binning, bin);
        return lo + ((index - before + 0.5) / n) * (hi - lo);
      }
      before += n;
    }
    const last = histogram[histogram.length - 1];
    return last ? binEdges(binning, last.bin)[1] : 0;
  };
  const low = valueAt(lower);
  return upper === lower ? low : low + (position - lower) * (valueAt(upper) - low);
}

/** Median over histogram rows (`bin`, `n`). */
export function medianMetric(text: MetricText & { unit: MetricUnit; binning: Binning }): Metric {
  return {
    ...text,
    kind: "estimate",
    compute(rows) {
      const histogram = mergeHistogram(rows);
      const n = histogram.reduce((sum, bin) => sum + bin.n, 0);
      return estimate(histogramQuantile(histogram, text.binning, 0.5), n);
    },
  };
}

/** Share of histogram items whose bin is at least `from` (e.g. ratings of 4 or 5). */
export function histogramShareMetric(text: MetricText & { from: number }): Metric {
  return {
    ...text,
    unit: "share",
    kind: "estimate",
    compute(rows) {
      const histogram = mergeHistogram(rows);
      const n = histogram.reduce((sum, bin) => sum + bin.n, 0);
      const part = histogram.filter((bin) => bin.bin >= text.from).reduce((sum, bin) => sum + bin.n, 0);
      return estimate(n > 0 ? part / n : null, n);
    },
  };
}

// ---------------------------------------------------------------------------
// The catalogue

const SESSION_LENGTH = "Length is the session's length_seconds as Upscope reports it, or its end minus its start when Upscope gives none; sessions with neither are left out.";

export const METRICS = {
  // Cross-channel
  interactions: countMetric({
    id: "interactions",
    label: "Interactions",
    definition: "Co-browse sessions, LivePerson chats and Agendize chats that started in the period (UTC days).",
    column: "interactions",
  }),

  // Co-browsing (Upscope), over cobrowse-daily rows
  cobrowse_sessions: countMetric({
    id: "cobrowse_sessions",
    label: "Co-browse sessions",
    definition: "Upscope sessions that started in the period (UTC days).",
    column: "sessions",
  }),
  cobrowse_live_share: shareMetric({
    id: "cobrowse_live_share",
    label: "Went live",
    definition: "Share of sessions in which the agent connected to the visitor's screen.",
    part: "went_live",
    whole: "sessions",
  }),
  cobrowse_avg_length_seconds: meanMetric({
    id: "cobrowse_avg_length_seconds",
    label: "Average session length",
    unit: "seconds",
    definition: `Mean length of the sessions. ${SESSION_LENGTH}`,
    sum: "length_sum",
    count: "length_count",
  }),
  cobrowse_median_length_seconds: medianMetric({
    id: "cobrowse_median_length_seconds",
    label: "Median session length",
    unit: "seconds",
    binning: "log",
    definition: `Half of the sessions were shorter than this. Read from histogram bins 5% wide, so within 5% of (the exact median + 1 s). ${SESSION_LENGTH}`,
  }),
  cobrowse_call_share: shareMetric({
    id: "cobrowse_call_share",
    label: "Sessions with a call",
    definition: "Share of sessions that included an audio or video call (a call length over 0 seconds).",
    part: "with_call",
    whole: "sessions",
  }),
  cobrowse_call_time_share: shareMetric({
    id: "cobrowse_call_time_share",
    label: "Session time on a call",
    definition: "Seconds on a call divided by the total length of the sessions, both over the sessions whose length is known.",
    part: "call_sum",
    whole: "length_sum",
  }),
  cobrowse_authorization_rate: shareMetric({
    id: "cobrowse_authorization_rate",
    label: "Authorized",
    definition: "Share of sessions the visitor authorized, over the sessions for which Upscope says whether they were authorized.",
    part: "authorized",
    whole: "authorization_known",
  }),
  cobrowse_ready_recording_share: shareMetric({
    id: "cobrowse_ready_recording_share",
    label: "Recording ready",
    definition: "Share of sessions whose recording is ready to watch (video status ready).",
    part: "ready_recording",
    whole: "sessions",
  }),
  cobrowse_avg_quality_rating: meanMetric({
    id: "cobrowse_avg_quality_rating",
    label: "Session quality (agents)",
    unit: "rating",
    definition:
      "The agents' rating of the session's quality (1–5): quality feedback given by one of the session's agents, averaged per session, then over the sessions an agent rated. The visitor's own quality rating is not part of it.",
    sum: "quality_sum",
    count: "quality_count",
  }),
  cobrowse_avg_visitor_quality_rating: meanMetric({
    id: "cobrowse_avg_visitor_quality_rating",
    label: "Session quality (visitor)",
    unit: "rating",
    definition: "The visitor's own rating of the session's quality (1–5): quality feedback given by the session's visitor, over the sessions the visitor rated.",
    sum: "visitor_quality_sum",
    count: "visitor_quality_count",
  }),
  cobrowse_avg_visitor_rating: meanMetric({
    id: "cobrowse_avg_visitor_rating",
    label: "Visitor rating",
    unit: "rating",
    definition: "Mean of the visitors' ratings of the agent (1–5, Upscope's visitor_agent_rating, given only when one agent was on the session), over the sessions with one.",
    sum: "visitor_rating_sum",
    count: "visitor_rating_count",
  }),
  cobrowse_multi_agent_share: shareMetric({
    id: "cobrowse_multi_agent_share",
    label: "More than one agent",
    definition: "Share of sessions that more than one agent joined. An agent listed twice on a session, or under two of their identifiers (id, external id, agent identifier, email) or the same name, is one agent.",
    part: "multi_agent",
    whole: "sessions",
  }),

  // LivePerson chats, over chats-daily rows (and chat histograms)
  liveperson_chats: countMetric({
    id: "liveperson_chats",
    label: "Chat engagements",
    definition: "LivePerson chat engagements that started in the period (UTC days).",
    column: "chats",
  }),
  chat_avg_duration_seconds: meanMetric({
    id: "chat_avg_duration_seconds",
    label: "Average chat duration",
    unit: "seconds",
    definition: "Mean time from the chat's start to its end.",
    sum: "duration_sum",
    count: "duration_count",
  }),
  chat_median_duration_seconds: medianMetric({
    id: "chat_median_duration_seconds",
    label: "Median chat duration",
    unit: "seconds",
    binning: "log",
    definition: "Half of the chats were shorter than this (from the start to the end of the chat). Read from histogram bins 5% wide, so within 5% of (the exact median + 1 s).",
  }),
  chat_median_mcs: medianMetric({
    id: "chat_median_mcs",
    label: "Median MCS",
    unit: "score",
    binning: "exact",
    definition: "Median of LivePerson's chat MCS (meaningful connection score, 0–100) over chats that have one.",
  }),
  chat_avg_mcs: meanMetric({
    id: "chat_avg_mcs",
    label: "Average MCS",
    unit: "score",
    definition: "Mean chat MCS (0–100) over chats that have one.",
    sum: "mcs_sum",
    count: "mcs_count",
  }),
  chat_negative_mcs_share: shareMetric({
    id: "chat_negative_mcs_share",
    label: "Negative MCS",
    definition: "Share of chats LivePerson's alerted MCS puts in its negative group (−1), over the chats that have an alerted MCS.",
    part: "alerted_negative",
    whole: "alerted_count",
  }),
  chat_positive_mcs_share: shareMetric({
    id: "chat_positive_mcs_share",
    label: "Positive MCS",
    definition: "Share of chats LivePerson's alerted MCS puts in its positive group (1), over the chats that have an alerted MCS.",
    part: "alerted_positive",
    whole: "alerted_count",
  }),
  chat_transfer_in_share: shareMetric({
    id: "chat_transfer_in_share",
    label: "Started by a transfer",
    definition: "Share of chats that began as a transfer: LivePerson start reason 1 (agent transfer) or 6 (skill reassign); 2 (transfer failed) is not a transfer.",
    part: "transfers_in",
    whole: "chats",
  }),
  chat_transfer_out_share: shareMetric({
    id: "chat_transfer_out_share",
    label: "Transferred away",
    definition: "Share of chats that ended with a transfer: LivePerson end reason 101 (to another agent) or 106 (to a skill).",
    part: "transfers_out",
    whole: "chats",
  }),
  chat_avg_wait_seconds: meanMetric({
    id: "chat_avg_wait_seconds",
    label: "Average wait",
    unit: "seconds",
    definition: "Mean time from the visitor's chat request to the chat's start, over the chats whose request time is known.",
    sum: "wait_sum",
    count: "wait_count",
  }),
  chat_median_wait_seconds: medianMetric({
    id: "chat_median_wait_seconds",
    label: "Median wait",
    unit: "seconds",
    binning: "log",
    definition: "Half of the visitors waited less than this between their chat request and the chat's start. Read from histogram bins 5% wide, so within 5% of (the exact median + 1 s).",
  }),
  chat_avg_first_response_seconds: meanMetric({
    id: "chat_avg_first_response_seconds",
    label: "Average first response",
    unit: "seconds",
    definition: "Mean time from the chat's start to the agent's first line the visitor saw (a written line, not an agents-only note), over chats the agent answered.",
    sum: "first_response_sum",
    count: "first_response_count",
  }),
  chat_median_first_response_seconds: medianMetric({
    id: "chat_median_first_response_seconds",
    label: "Median first response",
    unit: "seconds",
    binning: "log",
    definition: "Half of the answered chats got the agent's first line the visitor saw sooner than this (not counting agents-only notes). Read from histogram bins 5% wide, so within 5% of (the exact median + 1 s).",
  }),
  chat_cobrowse_share: shareMetric({
    id: "chat_cobrowse_share",
    label: "Chats with co-browse",
    definition: "Share of chats in which LivePerson lists at least one co-browse session.",
    part: "with_cobrowse",
    whole: "chats",
  }),
  chat_mcs_with_cobrowse: meanMetric({
    id: "chat_mcs_with_cobrowse",
    label: "MCS with co-browse",
    unit: "score",
    definition: "Mean chat MCS of chats that included a co-browse session.",
    sum: "cobrowse_mcs_sum",
    count: "cobrowse_mcs_count",
  }),
  chat_mcs_without_cobrowse: meanMetric({
    id: "chat_mcs_without_cobrowse",
    label: "MCS without co-browse",
    unit: "score",
    definition: "Mean chat MCS of chats without a co-browse session.",
    sum: "no_cobrowse_mcs_sum",
    count: "no_cobrowse_mcs_count",
  }),
  chat_csat: histogramShareMetric({
    id: "chat_csat",
    label: "Survey satisfaction",
    definition:
      "Share of post-chat survey ratings that are 4 or 5, over the ratings of LivePerson chats that started in the period. A rating is an answer to a rating question: a post-chat question every answer of which is a whole number from 1 to 5.",
    from: 4,
  }),

  // Agendize chats, over agendize-daily rows
  agendize_chats: countMetric({
    id: "agendize_chats",
    label: "Chats (Agendize)",
    definition: "Agendize chats that started in the period (UTC days).",
    column: "chats",
  }),
  agendize_avg_duration_seconds: meanMetric({
    id: "agendize_avg_duration_seconds",
    label: "Average chat duration (ours)",
    unit: "seconds",
    definition: "Mean time from the chat's start (its first message, as Agendize defines the start) to its last message, over chats with at least one message.",
    sum: "duration_sum",
    count: "duration_count",
  }),
  agendize_avg_messages: meanMetric({
    id: "agendize_avg_messages",
    label: "Messages per chat",
    unit: "number",
    definition: "Mean number of messages (operator and visitor) per chat.",
    sum: "messages",
    count: "chats",
  }),
  agendize_operator_message_share: shareMetric({
    id: "agendize_operator_message_share",
    label: "Operator messages",
    definition: "Share of all messages that operators wrote (the rest came from visitors, or from any other author Agendize names).",
    part: "operator_messages",
    whole: "messages",
  }),
  agendize_avg_first_response_seconds: meanMetric({
    id: "agendize_avg_first_response_seconds",
    label: "Average first response",
    unit: "seconds",
    definition: "Mean time from the chat's start to the operator's first message, over chats an operator answered.",
    sum: "first_response_sum",
    count: "first_response_count",
  }),
  agendize_median_first_response_seconds: medianMetric({
    id: "agendize_median_first_response_seconds",
    label: "Median first response",
    unit: "seconds",
    binning: "log",
    definition: "Half of the answered chats got the operator's first message sooner than this (5%-wide bins).",
  }),
  agendize_vendor_avg_duration_seconds: meanMetric({
    id: "agendize_vendor_avg_duration_seconds",
    label: "Average chat duration (Agendize)",
    unit: "seconds",
    definition:
      "Agendize's own summary.averageChatSessionDuration of each list request, weighted by the request's summary.chatSessions, over the requests whose window starts in the period. The sync requests 7-day windows one day wider on each side, so neighbouring requests share two days of chats.",
    sum: "vendor_duration_sum",
    count: "vendor_chat_sessions",
  }),
  agendize_disagreeing_windows: countMetric({
    id: "agendize_disagreeing_windows",
    label: "Windows that disagree",
    definition: "List requests whose window starts in the period in which Agendize's average and ours over the same chats differ by more than 5% (or 1 s on short chats), or Agendize counts chats where we have none.",
    column: "disagrees",
  }),

  // Agents, over agent-daily rows
  agent_interactions: countMetric({
    id: "agent_interactions",
    label: "Interactions",
    definition: "Chats handled and co-browse sessions joined in the period.",
    column: "interactions",
  }),

  active_agents: distinctCountMetric({
    id: "active_agents",
    label: "Active agents",
    definition: "Agents who handled at least one LivePerson chat or joined at least one co-browse session in the period.",
    key: "agent",
    measure: "interactions",
  }),

  // Data health
  quarantined_records: countMetric({
    id: "quarantined_records",
    label: "Quarantined",
    definition: "Records the sync first rejected in the period, each counted once: they failed the vendor's schema and are kept apart, not dropped.",
    column: "quarantined",
  }),
} as const satisfies Record<string, Metric>;

export type MetricId = keyof typeof METRICS;

export function metric(id: MetricId): Metric {
  return METRICS[id];
}

// ---------------------------------------------------------------------------
// Formatting and comparison (plain text: the DOM pieces put it in textContent)

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1, minimumFractionDigits: 1 });

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "—";
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) {
    const rest = s % 60;
    return rest === 0 ? `${Math.floor(s / 60)} min` : `${Math.floor(s / 60)} min ${rest} s`;
  }
  const minutes = Math.round(s / 60);
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function formatValue(unit: MetricUnit, value: number | null): string {
  if (value === null || !Number.isFinite(value)) return "—";
  switch (unit) {
    case "count":
      return integer.format(value);
    case "seconds":
      return formatDuration(value);
    case "share":
      return `${oneDecimal.format(value * 100)}%`;
    case "rating":
      return `${oneDecimal.format(value)} / 5`;
    case "score":
      return oneDecimal.format(value);
    case "number":
      return oneDecimal.format(value);
  }
}

export interface Change {
  /** current − previous, in the metric's unit (fraction for shares). */
  difference: number;
  /** (current − previous) / previous, or null when the previous value is 0. */
  relative: number | null;
  /** e.g. "+12.5%", "−3.1 pts", "+4 s". */
  text: string;
  direction: "up" | "down" | "flat";
}

/**
 * The change from the previous period: shares in percentage points (a relative
 * change of a share misleads), everything else relative, or absolute when the
 * previous value is 0. Null when either side has no value.
 */
export function compareToPrevious(unit: MetricUnit, current: number | null, previous: number | null): Change | null {
  if (current === null || previous === null || !Number.isFinite(current) || !Number.isFinite(previous)) return null;
  const difference = current - previous;
  const relative = previous === 0 ? null : difference / Math.abs(previous);
  const sign = (x: number) => (x > 0 ? "+" : x < 0 ? "−" : "±");
  let text: string;
  if (unit === "share") text = `${sign(difference)}${oneDecimal.format(Math.abs(difference) * 100)} pts`;
  else if (relative !== null) text = `${sign(relative)}${oneDecimal.format(Math.abs(relative) * 100)}%`;
  else text = `${sign(difference)}${formatValue(unit, Math.abs(difference))}`;
  const direction = Math.abs(difference) < 1e-12 ? "flat" : difference > 0 ? "up" : "down";
  return { difference, relative, text, direction };
}
