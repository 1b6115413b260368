// The co-browsing page's Upscope files, one loader for every tier (the measures
// are declared in components/cobrowse-measures.ts):
// - daily, length-histogram, breakdowns: per UTC day, first agent and session
//   source over the published days, for a filter or custom dates (loaded on demand);
// - preset-daily, preset-lengths, preset-breakdowns: the whole team over the
//   presets' window (the last 180 days), for a preset with no filter: trends per
//   day and source, lengths per preset span (`date` is the span's first day, see
//   dates.presetSegments), breakdowns as noted below. Exact for the presets and
//   much smaller.
// Breakdowns count sessions by one attribute at a time (kind/key): features used,
// video status, start page (path only), the agents' and the visitor's quality
// ratings and the visitor's rating of the agent; `live_sessions` counts those that
// went live. The preset file keeps features and video status per day (the page
// charts them per week) and the rest per span.
import { COBROWSE_DAILY, COBROWSE_LENGTH } from "../components/cobrowse-measures.js";
import { additiveSelect, histogramSelect, thenByDimensions, type Periods } from "../components/measure-sql.js";
import { BY_DAY, BY_DAY_IN_PRESET_WINDOW, BY_PRESET_SPAN, day, inPresetWindow, presetSegment, published, publishArrowGzip, tierOf } from "./publish-marts.js";

const BY_AGENT_AND_SOURCE = ["primary_agent_key AS agent", "session_source AS source"];

/** Sessions per period and dimension: the additive measures. */
const sessionsDaily = (periods: Periods, dimensions: readonly string[]) => additiveSelect("cobrowse_sessions", "session_date", periods, dimensions, COBROWSE_DAILY);

const RATING_TEXT = (column: string) => `CASE WHEN ${column} = floor(${column}) THEN CAST(CAST(${column} AS INTEGER) AS VARCHAR) ELSE CAST(${column} AS VARCHAR) END`;

/** Sessions by one attribute at a time over the days `keep` selects; `spanOf` dates all but video status and features (always per day). */
function breakdownsSql(keep: (dateColumn: string) => string, dimensions: readonly string[], spanOf: (dateColumn: string) => string): string {
  const perSession = (kind: string, key: string, period: string) => `
    SELECT ${[`${period} AS date`, ...dimensions, `'${kind}' AS kind`, `${key} AS key`].join(", ")},
      count(*)::INTEGER AS sessions, count(*) FILTER (WHERE went_live)::INTEGER AS live_sessions
    FROM cobrowse_sessions WHERE ${keep("session_date")} GROUP BY ALL`;
  const span = spanOf("session_date");
  const joined = dimensions.map((dimension) => `s.${dimension}`);
  return `
    ${perSession("video_status", "coalesce(video_status, 'unknown')", day("session_date"))}
    UNION ALL ${perSession("start_path", "coalesce(start_path, '(unknown)')", span)}
    UNION ALL ${perSession("quality_rating", RATING_TEXT("quality_rating"), span)}
    UNION ALL ${perSession("visitor_quality_rating", RATING_TEXT("visitor_quality_rating"), span)}
    UNION ALL ${perSession("visitor_rating", "CAST(CAST(visitor_rating AS INTEGER) AS VARCHAR)", span)}
    UNION ALL
    SELECT ${[day("s.session_date"), ...joined].join(", ")}, 'feature', f.feature,
      count(DISTINCT s.session_id)::INTEGER, count(DISTINCT s.session_id) FILTER (WHERE s.went_live)::INTEGER
    FROM cobrowse_session_features f JOIN cobrowse_sessions s USING (session_id)
    WHERE ${keep("s.session_date")} AND f.feature IS NOT NULL
    GROUP BY ALL
    ORDER BY date, kind, key${thenByDimensions(dimensions)}`;
}

const TIERS = {
  daily: () => `${sessionsDaily(BY_DAY, BY_AGENT_AND_SOURCE)}
    ORDER BY date, agent, source`,
  "preset-daily": () => `${sessionsDaily(BY_DAY_IN_PRESET_WINDOW, ["session_source AS source"])}
    ORDER BY date, source`,
  "length-histogram": () => `${histogramSelect(COBROWSE_LENGTH, BY_DAY, BY_AGENT_AND_SOURCE, false)}
    ORDER BY date, agent, source, bin`,
  "preset-lengths": () => `${histogramSelect(COBROWSE_LENGTH, BY_PRESET_SPAN, [], false)}
    ORDER BY date, bin`,
  breakdowns: () => breakdownsSql(published, BY_AGENT_AND_SOURCE, day),
  "preset-breakdowns": () => breakdownsSql(inPresetWindow, [], presetSegment),
};

await publishArrowGzip(TIERS[tierOf(TIERS)]());
