// Embedded sessions per UTC day and first agent: additive counts for every KPI and
// trend on the embedded sessions page (sessions by their first event's day; latency
// samples and errors by their own day).
import { day, published, publishArrowGzip } from "./publish-marts.js";

await publishArrowGzip(`
  WITH sessions AS (
    SELECT ${day("session_date")} AS date, primary_agent_key AS agent,
      count(*)::INTEGER AS sessions,
      count(*) FILTER (WHERE went_live)::INTEGER AS live_sessions,
      count(*) FILTER (WHERE latency_samples > 0)::INTEGER AS measured_sessions,
      count(*) FILTER (WHERE slow_connection)::INTEGER AS slow_sessions,
      count(*) FILTER (WHERE multi_tab)::INTEGER AS multi_tab,
      count(*) FILTER (WHERE switched_connection)::INTEGER AS switched_connection,
      count(*) FILTER (WHERE idle_warned)::INTEGER AS idle_warned,
      count(*) FILTER (WHERE idle_disconnected)::INTEGER AS idle_disconnected,
      count(*) FILTER (WHERE audio_active)::INTEGER AS audio_active,
      count(*) FILTER (WHERE video_active)::INTEGER AS video_active,
      coalesce(sum(max_observers), 0)::INTEGER AS observers_sum,
      count(max_observers)::INTEGER AS observers_count,
      count(*) FILTER (WHERE errors > 0)::INTEGER AS error_sessions,
      count(*) FILTER (WHERE end_reason = 'error')::INTEGER AS ended_with_error
    FROM embedded_sessions
    WHERE ${published("session_date")}
    GROUP BY ALL
  ),
  events AS (
    SELECT ${day("event_date")} AS date, primary_agent_key AS agent,
      count(data_bounce_ms)::INTEGER AS samples,
      count(*) FILTER (WHERE is_slow)::INTEGER AS slow_samples,
      count(*) FILTER (WHERE event_type = 'error')::INTEGER AS errors
    FROM embedded_events
    WHERE ${published("event_date")}
    GROUP BY ALL
  )
  SELECT date, agent,
    coalesce(sum(sessions), 0)::INTEGER AS sessions,
    coalesce(sum(live_sessions), 0)::INTEGER AS live_sessions,
    coalesce(sum(measured_sessions), 0)::INTEGER AS measured_sessions,
    coalesce(sum(slow_sessions), 0)::INTEGER AS slow_sessions,
    coalesce(sum(multi_tab), 0)::INTEGER AS multi_tab,
    coalesce(sum(switched_connection), 0)::INTEGER AS switched_connection,
    coalesce(sum(idle_warned), 0)::INTEGER AS idle_warned,
    coalesce(sum(idle_disconnected), 0)::INTEGER AS idle_disconnected,
    coalesce(sum(audio_active), 0)::INTEGER AS audio_active,
    coalesce(sum(video_active), 0)::INTEGER AS video_active,
    coalesce(sum(observers_sum), 0)::INTEGER AS observers_sum,
    coalesce(sum(observers_count), 0)::INTEGER AS observers_count,
    coalesce(sum(error_sessions), 0)::INTEGER AS error_sessions,
    coalesce(sum(ended_with_error), 0)::INTEGER AS ended_with_error,
    coalesce(sum(samples), 0)::INTEGER AS samples,
    coalesce(sum(slow_samples), 0)::INTEGER AS slow_samples,
    coalesce(sum(errors), 0)::INTEGER AS errors
  FROM (SELECT * FROM sessions UNION ALL BY NAME SELECT * FROM events)
  GROUP BY ALL
  ORDER BY date, agent`);
