/**
 * Embedded sessions (the co-browsing iframe's own events): every measure the
 * embedded sessions page shows, declared once. The additive columns of
 * embedded-daily (per session over embedded_sessions, per event over
 * embedded_events), the latency histogram, and the metrics over them.
 */
import { medianMetric, metricsOver } from "./metric-kinds.js";
import { logHistogram, type Columns } from "./measure-sql.js";

/** Per-session counts over embedded_sessions, by the day of the session's first event. */
export const EMBEDDED_SESSION_COLUMNS = {
  sessions: "count(*)::INTEGER",
  live_sessions: "count(*) FILTER (WHERE went_live)::INTEGER",
  measured_sessions: "count(*) FILTER (WHERE latency_samples > 0)::INTEGER",
  slow_sessions: "count(*) FILTER (WHERE slow_connection)::INTEGER",
  multi_tab: "count(*) FILTER (WHERE multi_tab)::INTEGER",
  switched_connection: "count(*) FILTER (WHERE switched_connection)::INTEGER",
  idle_warned: "count(*) FILTER (WHERE idle_warned)::INTEGER",
  idle_disconnected: "count(*) FILTER (WHERE idle_disconnected)::INTEGER",
  audio_active: "count(*) FILTER (WHERE audio_active)::INTEGER",
  video_active: "count(*) FILTER (WHERE video_active)::INTEGER",
  observers_sum: "coalesce(sum(max_observers), 0)::INTEGER",
  observers_count: "count(max_observers)::INTEGER",
  observers_sumsq: "coalesce(sum(max_observers * max_observers), 0)::INTEGER",
  error_sessions: "count(*) FILTER (WHERE errors > 0)::INTEGER",
  ended_with_error: "count(*) FILTER (WHERE end_reason = 'error')::INTEGER",
} as const satisfies Columns;

/** Per-event counts over embedded_events, by the event's own day. */
export const EMBEDDED_EVENT_COLUMNS = {
  samples: "count(data_bounce_ms)::INTEGER",
  slow_samples: "count(*) FILTER (WHERE is_slow)::INTEGER",
  errors: "count(*) FILTER (WHERE event_type = 'error')::INTEGER",
} as const satisfies Columns;

/** Round-trip latency samples (dataBounceSpeed, ms) in 5%-wide log bins. */
export const EMBEDDED_LATENCY = logHistogram("latency", "embedded_events", "event_date", "data_bounce_ms");

const SLOW = "The vendor calls a round trip (dataBounceSpeed) over 500 ms a slow connection.";

const daily = metricsOver({ ...EMBEDDED_SESSION_COLUMNS, ...EMBEDDED_EVENT_COLUMNS });

export const EMBEDDED_METRICS = {
  embedded_sessions: daily.count({
    id: "embedded_sessions",
    label: "Recorded sessions",
    column: "sessions",
    definition: "Co-browsing sessions whose first embedded event was recorded in the period (UTC days).",
  }),
  embedded_median_bounce_ms: medianMetric({
    id: "embedded_median_bounce_ms",
    label: "Median round trip (ms)",
    unit: "number",
    histogram: EMBEDDED_LATENCY,
    definition: "Half of the latency samples (dataBounceSpeed of each state update while connected) were faster than this many milliseconds. Read from 5%-wide histogram bins.",
  }),
  embedded_slow_sample_share: daily.share({
    id: "embedded_slow_sample_share",
    label: "Round trips over 500 ms",
    part: "slow_samples",
    whole: "samples",
    definition: `Share of latency samples over 500 ms. ${SLOW}`,
  }),
  embedded_slow_session_share: daily.share({
    id: "embedded_slow_session_share",
    label: "Sessions on a slow connection",
    part: "slow_sessions",
    whole: "measured_sessions",
    definition: `Share of sessions with latency samples whose median round trip was over 500 ms. ${SLOW}`,
  }),
  embedded_error_session_share: daily.share({
    id: "embedded_error_session_share",
    label: "Sessions with an error",
    part: "error_sessions",
    whole: "sessions",
    definition: "Share of sessions in which the iframe reported at least one connection or remote-control error.",
  }),
  embedded_errors: daily.count({
    id: "embedded_errors",
    label: "Errors",
    column: "errors",
    definition: "Error events (connection:… and remote_control:…) recorded in the period.",
  }),
  embedded_ended_with_error_share: daily.share({
    id: "embedded_ended_with_error_share",
    label: "Ended with an error",
    part: "ended_with_error",
    whole: "sessions",
    definition: "Share of sessions whose last sessionEnded event gave the reason \"error\".",
  }),
  embedded_idle_disconnect_share: daily.share({
    id: "embedded_idle_disconnect_share",
    label: "Agent idle disconnections",
    part: "idle_disconnected",
    whole: "sessions",
    definition: "Share of sessions in which the agent was disconnected for inactivity (agentIdleness \"disconnected\").",
  }),
  embedded_multi_tab_share: daily.share({
    id: "embedded_multi_tab_share",
    label: "Multi-tab sessions",
    part: "multi_tab",
    whole: "sessions",
    definition: "Share of sessions in which the visitor had more than one connection (browser tab or app instance) at some point.",
  }),
  embedded_audio_share: daily.share({
    id: "embedded_audio_share",
    label: "Audio call active",
    part: "audio_active",
    whole: "sessions",
    definition: "Share of sessions in which the audio call reached the state \"active\".",
  }),
  embedded_video_share: daily.share({
    id: "embedded_video_share",
    label: "Video on",
    part: "video_active",
    whole: "sessions",
    definition: "Share of sessions in which video streaming was on at some point (either side).",
  }),
  embedded_avg_observers: daily.mean({
    id: "embedded_avg_observers",
    label: "Observers per session",
    unit: "number",
    sum: "observers_sum",
    count: "observers_count",
    sumOfSquares: "observers_sumsq",
    definition: "Mean of the most agents observing each session at once (observersCount).",
  }),
};
