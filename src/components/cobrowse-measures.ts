/**
 * Co-browsing (Upscope): every measure the co-browsing page shows, declared once.
 * The additive columns of the cobrowse-daily files (their SQL over the
 * cobrowse_sessions mart), the session-length histogram, and the metrics over
 * them. The loaders select these columns (src/data/cobrowse-[tier].arrow.gz.ts);
 * the pages compute every figure with these metrics.
 */
import { metricsOver, medianMetric } from "./metric-kinds.js";
import { logHistogram, type Columns } from "./measure-sql.js";

/** Per-session sums and counts over cobrowse_sessions, summed per day (or span) and dimension. */
export const COBROWSE_DAILY = {
  sessions: "count(*)::INTEGER",
  went_live: "count(*) FILTER (WHERE went_live)::INTEGER",
  length_sum: "coalesce(sum(length_seconds), 0)::DOUBLE",
  length_count: "count(length_seconds)::INTEGER",
  length_sumsq: "coalesce(sum(length_seconds::DOUBLE * length_seconds), 0)::DOUBLE",
  with_call: "count(*) FILTER (WHERE had_call)::INTEGER",
  // Call time only where the session length is known, so call_sum / length_sum is a share.
  call_sum: "coalesce(sum(call_length_seconds) FILTER (WHERE length_seconds IS NOT NULL), 0)::DOUBLE",
  authorized: "count(*) FILTER (WHERE session_authorized)::INTEGER",
  // Sessions that say whether the visitor authorized them: the authorization rate's denominator.
  authorization_known: "count(session_authorized)::INTEGER",
  ready_recording: "count(*) FILTER (WHERE has_ready_recording)::INTEGER",
  quality_sum: "coalesce(sum(quality_rating), 0)::DOUBLE",
  quality_count: "count(quality_rating)::INTEGER",
  quality_sumsq: "coalesce(sum(quality_rating::DOUBLE * quality_rating), 0)::DOUBLE",
  visitor_quality_sum: "coalesce(sum(visitor_quality_rating), 0)::DOUBLE",
  visitor_quality_count: "count(visitor_quality_rating)::INTEGER",
  visitor_quality_sumsq: "coalesce(sum(visitor_quality_rating::DOUBLE * visitor_quality_rating), 0)::DOUBLE",
  visitor_rating_sum: "coalesce(sum(visitor_rating), 0)::DOUBLE",
  visitor_rating_count: "count(visitor_rating)::INTEGER",
  visitor_rating_sumsq: "coalesce(sum(visitor_rating::DOUBLE * visitor_rating), 0)::DOUBLE",
  multi_agent: "count(*) FILTER (WHERE multi_agent)::INTEGER",
} as const satisfies Columns;

/** Session lengths in 5%-wide log bins. */
export const COBROWSE_LENGTH = logHistogram("length", "cobrowse_sessions", "session_date", "length_seconds");

const SESSION_LENGTH = "Length is the session's length_seconds as Upscope reports it, or its end minus its start when Upscope gives none; sessions with neither are left out.";

const daily = metricsOver(COBROWSE_DAILY);

export const COBROWSE_METRICS = {
  cobrowse_sessions: daily.count({
    id: "cobrowse_sessions",
    label: "Co-browse sessions",
    definition: "Upscope sessions that started in the period (UTC days).",
    column: "sessions",
  }),
  cobrowse_live_share: daily.share({
    id: "cobrowse_live_share",
    label: "Went live",
    definition: "Share of sessions in which the agent connected to the visitor's screen.",
    part: "went_live",
    whole: "sessions",
  }),
  cobrowse_avg_length_seconds: daily.mean({
    id: "cobrowse_avg_length_seconds",
    label: "Average session length",
    unit: "seconds",
    definition: `Mean length of the sessions. ${SESSION_LENGTH}`,
    sum: "length_sum",
    count: "length_count",
    sumOfSquares: "length_sumsq",
  }),
  cobrowse_median_length_seconds: medianMetric({
    id: "cobrowse_median_length_seconds",
    label: "Median session length",
    unit: "seconds",
    histogram: COBROWSE_LENGTH,
    definition: `Half of the sessions were shorter than this. Read from histogram bins 5% wide, so within 5% of (the exact median + 1 s). ${SESSION_LENGTH}`,
  }),
  cobrowse_call_share: daily.share({
    id: "cobrowse_call_share",
    label: "Sessions with a call",
    definition: "Share of sessions that included an audio or video call (a call length over 0 seconds).",
    part: "with_call",
    whole: "sessions",
  }),
  cobrowse_call_time_share: daily.share({
    id: "cobrowse_call_time_share",
    label: "Session time on a call",
    definition: "Seconds on a call divided by the total length of the sessions, both over the sessions whose length is known.",
    part: "call_sum",
    whole: "length_sum",
    amounts: true,
  }),
  cobrowse_authorization_rate: daily.share({
    id: "cobrowse_authorization_rate",
    label: "Authorized",
    definition: "Share of sessions the visitor authorized, over the sessions for which Upscope says whether they were authorized.",
    part: "authorized",
    whole: "authorization_known",
  }),
  cobrowse_ready_recording_share: daily.share({
    id: "cobrowse_ready_recording_share",
    label: "Recording ready",
    definition: "Share of sessions whose recording is ready to watch (video status ready).",
    part: "ready_recording",
    whole: "sessions",
  }),
  cobrowse_avg_quality_rating: daily.mean({
    id: "cobrowse_avg_quality_rating",
    label: "Session quality (agents)",
    unit: "rating",
    definition:
      "The agents' rating of the session's quality (1–5): quality feedback given by one of the session's agents, averaged per session, then over the sessions an agent rated. The visitor's own quality rating is not part of it.",
    sum: "quality_sum",
    count: "quality_count",
    sumOfSquares: "quality_sumsq",
  }),
  cobrowse_avg_visitor_quality_rating: daily.mean({
    id: "cobrowse_avg_visitor_quality_rating",
    label: "Session quality (visitor)",
    unit: "rating",
    definition: "The visitor's own rating of the session's quality (1–5): quality feedback given by the session's visitor, over the sessions the visitor rated.",
    sum: "visitor_quality_sum",
    count: "visitor_quality_count",
    sumOfSquares: "visitor_quality_sumsq",
  }),
  cobrowse_avg_visitor_rating: daily.mean({
    id: "cobrowse_avg_visitor_rating",
    label: "Visitor rating",
    unit: "rating",
    definition: "Mean of the visitors' ratings of the agent (1–5, Upscope's visitor_agent_rating, given only when one agent was on the session), over the sessions with one.",
    sum: "visitor_rating_sum",
    count: "visitor_rating_count",
    sumOfSquares: "visitor_rating_sumsq",
  }),
  cobrowse_multi_agent_share: daily.share({
    id: "cobrowse_multi_agent_share",
    label: "More than one agent",
    definition: "Share of sessions that more than one agent joined. An agent listed twice on a session, or under two of their identifiers (id, external id, agent identifier, email) or the same name, is one agent.",
    part: "multi_agent",
    whole: "sessions",
  }),
};

