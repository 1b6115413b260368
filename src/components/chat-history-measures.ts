/**
 * Agendize chats (the chat history page): every measure it shows, declared once.
 * The additive columns of agendize-daily (their SQL over the agendize_chats mart),
 * the columns of agendize-duration-check (per list window, from the
 * agendize_duration_check mart), the histograms of agendize-histograms, and the
 * metrics over them.
 */
import { medianMetric, metricsOver } from "./metric-kinds.js";
import { exactHistogram, logHistogram, type Columns } from "./measure-sql.js";

/** Per-chat sums and counts over agendize_chats, summed per day and chat button. */
export const AGENDIZE_DAILY = {
  chats: "count(*)::INTEGER",
  duration_sum: "coalesce(sum(duration_seconds), 0)::DOUBLE",
  duration_count: "count(duration_seconds)::INTEGER",
  duration_sumsq: "coalesce(sum(duration_seconds::DOUBLE * duration_seconds), 0)::DOUBLE",
  messages: "coalesce(sum(message_count), 0)::INTEGER",
  messages_sumsq: "coalesce(sum(message_count::DOUBLE * message_count), 0)::DOUBLE",
  operator_messages: "coalesce(sum(operator_messages), 0)::INTEGER",
  visitor_messages: "coalesce(sum(visitor_messages), 0)::INTEGER",
  first_response_sum: "coalesce(sum(first_response_seconds), 0)::DOUBLE",
  first_response_count: "count(first_response_seconds)::INTEGER",
  first_response_sumsq: "coalesce(sum(first_response_seconds::DOUBLE * first_response_seconds), 0)::DOUBLE",
} as const satisfies Columns;

/** Agendize's own average beside ours, one row per list window (agendize_duration_check). */
export const AGENDIZE_WINDOWS = {
  vendor_chat_sessions: "vendor_chat_sessions::INTEGER",
  vendor_average_chat_seconds: "vendor_average_chat_seconds::DOUBLE",
  vendor_duration_sum: "(vendor_average_chat_seconds * vendor_chat_sessions)::DOUBLE",
  our_chat_sessions: "our_chat_sessions::INTEGER",
  our_average_chat_seconds: "our_average_chat_seconds::DOUBLE",
  disagrees: "disagrees::INTEGER",
} as const satisfies Columns;

/** The chat distributions per day and button, in the order agendize-histograms lists them. */
export const AGENDIZE_HISTOGRAMS = {
  duration: logHistogram("duration", "agendize_chats", "chat_date", "duration_seconds"),
  first_response: logHistogram("first_response", "agendize_chats", "chat_date", "first_response_seconds"),
  // Messages per chat, every chat (a chat without messages counts 0).
  messages: exactHistogram("messages", "agendize_chats", "chat_date", "CAST(message_count AS INTEGER)", null),
};

const daily = metricsOver(AGENDIZE_DAILY);
const windows = metricsOver(AGENDIZE_WINDOWS);

export const AGENDIZE_METRICS = {
  agendize_chats: daily.count({
    id: "agendize_chats",
    label: "Chats (Agendize)",
    definition: "Agendize chats that started in the period (UTC days).",
    column: "chats",
  }),
  agendize_avg_duration_seconds: daily.mean({
    id: "agendize_avg_duration_seconds",
    label: "Average chat duration (ours)",
    unit: "seconds",
    definition: "Mean time from the chat's start (its first message, as Agendize defines the start) to its last message, over chats with at least one message.",
    sum: "duration_sum",
    count: "duration_count",
    sumOfSquares: "duration_sumsq",
  }),
  agendize_vendor_avg_duration_seconds: windows.mean({
    id: "agendize_vendor_avg_duration_seconds",
    label: "Average chat duration (Agendize)",
    unit: "seconds",
    definition:
      "Agendize's own summary.averageChatSessionDuration of each list request, weighted by the request's summary.chatSessions, over the requests whose window starts in the period. The sync requests 7-day windows one day wider on each side, so neighbouring requests share two days of chats.",
    sum: "vendor_duration_sum",
    count: "vendor_chat_sessions",
    // Agendize publishes an average per window, not its chats' durations: no spread to build an interval from.
    sumOfSquares: null,
  }),
  agendize_disagreeing_windows: windows.count({
    id: "agendize_disagreeing_windows",
    label: "Windows that disagree",
    definition: "List requests whose window starts in the period in which Agendize's average and ours over the same chats differ by more than 5% (or 1 s on short chats), or Agendize counts chats where we have none.",
    column: "disagrees",
  }),
  agendize_avg_messages: daily.mean({
    id: "agendize_avg_messages",
    label: "Messages per chat",
    unit: "number",
    definition: "Mean number of messages (operator and visitor) per chat.",
    sum: "messages",
    count: "chats",
    sumOfSquares: "messages_sumsq",
  }),
  agendize_operator_message_share: daily.share({
    id: "agendize_operator_message_share",
    label: "Operator messages",
    definition: "Share of all messages that operators wrote (the rest came from visitors, or from any other author Agendize names).",
    part: "operator_messages",
    whole: "messages",
  }),
  agendize_avg_first_response_seconds: daily.mean({
    id: "agendize_avg_first_response_seconds",
    label: "Average first response",
    unit: "seconds",
    definition: "Mean time from the chat's start to the operator's first message, over chats an operator answered.",
    sum: "first_response_sum",
    count: "first_response_count",
    sumOfSquares: "first_response_sumsq",
  }),
  agendize_median_first_response_seconds: medianMetric({
    id: "agendize_median_first_response_seconds",
    label: "Median first response",
    unit: "seconds",
    histogram: AGENDIZE_HISTOGRAMS.first_response,
    definition: "Half of the answered chats got the operator's first message sooner than this (5%-wide bins).",
  }),
};
