/**
 * LivePerson chats: every measure the chat page shows, declared once. The
 * additive columns of the chats-daily files (their SQL over the engagements
 * mart), the histograms of the chats-histograms files (durations, MCS, post-chat
 * ratings), and the metrics over them. The loaders select these
 * (src/data/chats-[tier].arrow.gz.ts); the pages compute every figure with these
 * metrics.
 */
import { histogramShareMetric, medianMetric, metricsOver } from "./metric-kinds.js";
import { exactHistogram, logHistogram, type Columns } from "./measure-sql.js";

/** Per-chat sums and counts over engagements, summed per day (or span) and dimension. */
export const CHAT_DAILY = {
  chats: "count(*)::INTEGER",
  duration_sum: "coalesce(sum(duration_seconds), 0)::DOUBLE",
  duration_count: "count(duration_seconds)::INTEGER",
  duration_sumsq: "coalesce(sum(duration_seconds::DOUBLE * duration_seconds), 0)::DOUBLE",
  wait_sum: "coalesce(sum(wait_seconds), 0)::DOUBLE",
  wait_count: "count(wait_seconds)::INTEGER",
  wait_sumsq: "coalesce(sum(wait_seconds::DOUBLE * wait_seconds), 0)::DOUBLE",
  first_response_sum: "coalesce(sum(first_response_seconds), 0)::DOUBLE",
  first_response_count: "count(first_response_seconds)::INTEGER",
  first_response_sumsq: "coalesce(sum(first_response_seconds::DOUBLE * first_response_seconds), 0)::DOUBLE",
  transfers_in: "count(*) FILTER (WHERE started_by_transfer)::INTEGER",
  transfers_out: "count(*) FILTER (WHERE ended_by_transfer)::INTEGER",
  with_cobrowse: "count(*) FILTER (WHERE has_cobrowse)::INTEGER",
  mcs_sum: "coalesce(sum(chat_mcs), 0)::DOUBLE",
  mcs_count: "count(chat_mcs)::INTEGER",
  mcs_sumsq: "coalesce(sum(chat_mcs::DOUBLE * chat_mcs), 0)::DOUBLE",
  alerted_negative: "count(*) FILTER (WHERE alerted_mcs = -1)::INTEGER",
  alerted_neutral: "count(*) FILTER (WHERE alerted_mcs = 0)::INTEGER",
  alerted_positive: "count(*) FILTER (WHERE alerted_mcs = 1)::INTEGER",
  alerted_count: "count(alerted_mcs)::INTEGER",
  cobrowse_mcs_sum: "coalesce(sum(chat_mcs) FILTER (WHERE has_cobrowse), 0)::DOUBLE",
  cobrowse_mcs_count: "count(chat_mcs) FILTER (WHERE has_cobrowse)::INTEGER",
  cobrowse_mcs_sumsq: "coalesce(sum(chat_mcs::DOUBLE * chat_mcs) FILTER (WHERE has_cobrowse), 0)::DOUBLE",
  no_cobrowse_mcs_sum: "coalesce(sum(chat_mcs) FILTER (WHERE NOT has_cobrowse), 0)::DOUBLE",
  no_cobrowse_mcs_count: "count(chat_mcs) FILTER (WHERE NOT has_cobrowse)::INTEGER",
  no_cobrowse_mcs_sumsq: "coalesce(sum(chat_mcs::DOUBLE * chat_mcs) FILTER (WHERE NOT has_cobrowse), 0)::DOUBLE",
} as const satisfies Columns;

/** The chat distributions, in the order the histogram files list them. */
export const CHAT_HISTOGRAMS = {
  duration: logHistogram("duration", "engagements", "engagement_date", "duration_seconds"),
  wait: logHistogram("wait", "engagements", "engagement_date", "wait_seconds"),
  first_response: logHistogram("first_response", "engagements", "engagement_date", "first_response_seconds"),
  // Chat MCS, 0–100.
  mcs: exactHistogram("mcs", "engagements", "engagement_date", "chat_mcs"),
  // One rating per chat and question: the post-chat survey's 1–5 answers (see the survey_answers mart).
  rating: exactHistogram("rating", "survey_answers", "engagement_date", "rating"),
};

const daily = metricsOver(CHAT_DAILY);

export const CHAT_METRICS = {
  liveperson_chats: daily.count({
    id: "liveperson_chats",
    label: "Chat engagements",
    definition: "LivePerson chat engagements that started in the period (UTC days).",
    column: "chats",
  }),
  chat_avg_duration_seconds: daily.mean({
    id: "chat_avg_duration_seconds",
    label: "Average chat duration",
    unit: "seconds",
    definition: "Mean time from the chat's start to its end.",
    sum: "duration_sum",
    count: "duration_count",
    sumOfSquares: "duration_sumsq",
  }),
  chat_median_duration_seconds: medianMetric({
    id: "chat_median_duration_seconds",
    label: "Median chat duration",
    unit: "seconds",
    histogram: CHAT_HISTOGRAMS.duration,
    definition: "Half of the chats were shorter than this (from the start to the end of the chat). Read from histogram bins 5% wide, so within 5% of (the exact median + 1 s).",
  }),
  chat_median_mcs: medianMetric({
    id: "chat_median_mcs",
    label: "Median MCS",
    unit: "score",
    histogram: CHAT_HISTOGRAMS.mcs,
    definition: "Median of LivePerson's chat MCS (meaningful connection score, 0–100) over chats that have one.",
  }),
  chat_avg_mcs: daily.mean({
    id: "chat_avg_mcs",
    label: "Average MCS",
    unit: "score",
    definition: "Mean chat MCS (0–100) over chats that have one.",
    sum: "mcs_sum",
    count: "mcs_count",
    sumOfSquares: "mcs_sumsq",
  }),
  chat_negative_mcs_share: daily.share({
    id: "chat_negative_mcs_share",
    label: "Negative MCS",
    definition: "Share of chats LivePerson's alerted MCS puts in its negative group (−1), over the chats that have an alerted MCS.",
    part: "alerted_negative",
    whole: "alerted_count",
  }),
  chat_positive_mcs_share: daily.share({
    id: "chat_positive_mcs_share",
    label: "Positive MCS",
    definition: "Share of chats LivePerson's alerted MCS puts in its positive group (1), over the chats that have an alerted MCS.",
    part: "alerted_positive",
    whole: "alerted_count",
  }),
  chat_transfer_in_share: daily.share({
    id: "chat_transfer_in_share",
    label: "Started by a transfer",
    definition: "Share of chats that began as a transfer: LivePerson start reason 1 (agent transfer) or 6 (skill reassign); 2 (transfer failed) is not a transfer.",
    part: "transfers_in",
    whole: "chats",
  }),
  chat_transfer_out_share: daily.share({
    id: "chat_transfer_out_share",
    label: "Transferred away",
    definition: "Share of chats that ended with a transfer: LivePerson end reason 101 (to another agent) or 106 (to a skill).",
    part: "transfers_out",
    whole: "chats",
  }),
  chat_avg_wait_seconds: daily.mean({
    id: "chat_avg_wait_seconds",
    label: "Average wait",
    unit: "seconds",
    definition: "Mean time from the visitor's chat request to the chat's start, over the chats whose request time is known.",
    sum: "wait_sum",
    count: "wait_count",
    sumOfSquares: "wait_sumsq",
  }),
  chat_median_wait_seconds: medianMetric({
    id: "chat_median_wait_seconds",
    label: "Median wait",
    unit: "seconds",
    histogram: CHAT_HISTOGRAMS.wait,
    definition: "Half of the visitors waited less than this between their chat request and the chat's start. Read from histogram bins 5% wide, so within 5% of (the exact median + 1 s).",
  }),
  chat_avg_first_response_seconds: daily.mean({
    id: "chat_avg_first_response_seconds",
    label: "Average first response",
    unit: "seconds",
    definition: "Mean time from the chat's start to the agent's first line the visitor saw (a written line, not an agents-only note), over chats the agent answered.",
    sum: "first_response_sum",
    count: "first_response_count",
    sumOfSquares: "first_response_sumsq",
  }),
  chat_median_first_response_seconds: medianMetric({
    id: "chat_median_first_response_seconds",
    label: "Median first response",
    unit: "seconds",
    histogram: CHAT_HISTOGRAMS.first_response,
    definition: "Half of the answered chats got the agent's first line the visitor saw sooner than this (not counting agents-only notes). Read from histogram bins 5% wide, so within 5% of (the exact median + 1 s).",
  }),
  chat_csat: histogramShareMetric({
    id: "chat_csat",
    label: "Survey satisfaction",
    definition:
      "Share of post-chat survey ratings that are 4 or 5, over the ratings of LivePerson chats that started in the period. A rating is an answer to a rating question: a post-chat question every answer of which is a whole number from 1 to 5.",
    histogram: CHAT_HISTOGRAMS.rating,
    from: 4,
  }),
  chat_cobrowse_share: daily.share({
    id: "chat_cobrowse_share",
    label: "Chats with co-browse",
    definition: "Share of chats in which LivePerson lists at least one co-browse session.",
    part: "with_cobrowse",
    whole: "chats",
  }),
  chat_mcs_with_cobrowse: daily.mean({
    id: "chat_mcs_with_cobrowse",
    label: "MCS with co-browse",
    unit: "score",
    definition: "Mean chat MCS of chats that included a co-browse session.",
    sum: "cobrowse_mcs_sum",
    count: "cobrowse_mcs_count",
    sumOfSquares: "cobrowse_mcs_sumsq",
  }),
  chat_mcs_without_cobrowse: daily.mean({
    id: "chat_mcs_without_cobrowse",
    label: "MCS without co-browse",
    unit: "score",
    definition: "Mean chat MCS of chats without a co-browse session.",
    sum: "no_cobrowse_mcs_sum",
    count: "no_cobrowse_mcs_count",
    sumOfSquares: "no_cobrowse_mcs_sumsq",
  }),
};
