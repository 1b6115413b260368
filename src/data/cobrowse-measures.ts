/**
 * The additive per-session measures of the cobrowse-daily files (counts and sums
 * behind every co-browsing KPI and trend), shared by the day-level and the preset
 * loader. Not a loader itself (no double extension).
 */
export const COBROWSE_DAILY_MEASURES = `
    count(*)::INTEGER AS sessions,
    count(*) FILTER (WHERE went_live)::INTEGER AS went_live,
    coalesce(sum(length_seconds), 0)::DOUBLE AS length_sum,
    count(length_seconds)::INTEGER AS length_count,
    count(*) FILTER (WHERE had_call)::INTEGER AS with_call,
    -- call time only where the session length is known, so call_sum / length_sum is a share
    coalesce(sum(call_length_seconds) FILTER (WHERE length_seconds IS NOT NULL), 0)::DOUBLE AS call_sum,
    count(*) FILTER (WHERE session_authorized)::INTEGER AS authorized,
    -- sessions that say whether the visitor authorized them: the authorization rate's denominator
    count(session_authorized)::INTEGER AS authorization_known,
    count(*) FILTER (WHERE has_ready_recording)::INTEGER AS ready_recording,
    coalesce(sum(quality_rating), 0)::DOUBLE AS quality_sum,
    count(quality_rating)::INTEGER AS quality_count,
    coalesce(sum(visitor_quality_rating), 0)::DOUBLE AS visitor_quality_sum,
    count(visitor_quality_rating)::INTEGER AS visitor_quality_count,
    coalesce(sum(visitor_rating), 0)::DOUBLE AS visitor_rating_sum,
    count(visitor_rating)::INTEGER AS visitor_rating_count,
    count(*) FILTER (WHERE multi_agent)::INTEGER AS multi_agent`;
