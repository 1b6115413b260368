// The chat page's LivePerson files, one loader for every tier (see README, "What
// a page downloads"); the measures are declared in components/chat-measures.ts.
// - daily, histograms, breakdowns: per UTC day, skill and agent over the published
//   days, for custom dates (loaded on demand);
// - filter-*: per skill and agent over the presets' window (trends per day,
//   distributions and breakdowns per preset span), for a preset with a filter;
// - preset-*: the whole team per preset span (trends per day and skill), for a
//   preset with no filter. preset-histograms holds every distribution at level
//   'all' and chat MCS per skill and per agent (levels 'skill', 'agent') for the
//   by-skill and by-agent charts.
// Preset spans make the preset files exact for the presets and their previous
// periods (`date` is the span's first day, see dates.presetSegments) and keep them
// from growing with history.
import { CHAT_DAILY, CHAT_HISTOGRAMS } from "../components/chat-measures.js";
import { additiveSelect, histogramSelect, thenByDimensions, type Periods } from "../components/measure-sql.js";
import { BY_DAY, BY_DAY_IN_PRESET_WINDOW, BY_PRESET_SPAN, publishArrowGzip, tierOf } from "./publish-marts.js";

const BY_SKILL_AND_AGENT = ["skill_name AS skill", "agent_key AS agent"];

/** Chats per period and dimension: the additive measures. */
const chatsDaily = (periods: Periods, dimensions: readonly string[]) => additiveSelect("engagements", "engagement_date", periods, dimensions, CHAT_DAILY);

/** Every chat histogram per period, skill and agent. */
function histogramsSql(periods: Periods): string {
  return `${Object.values(CHAT_HISTOGRAMS)
    .map((histogram) => histogramSelect(histogram, periods, BY_SKILL_AND_AGENT))
    .join("\n    UNION ALL")}
    ORDER BY 1, 4, 2, 3, 5`;
}

const BREAKDOWNS = ["start_reason", "end_reason", "device", "operating_system", "browser"];

/** Chats per period (and `dimensions`) by one attribute at a time (kind/key): start and end reasons, device, system, browser. */
function breakdownsSql({ period, keep }: Periods, dimensions: readonly string[]): string {
  const breakdown = (kind: string) => `
    SELECT ${[`${period("engagement_date")} AS date`, ...dimensions, `'${kind}' AS kind`, `coalesce(${kind}, '(unknown)') AS key`, "count(*)::INTEGER AS n"].join(", ")}
    FROM engagements WHERE ${keep("engagement_date")} GROUP BY ALL`;
  return `${BREAKDOWNS.map(breakdown).join("\n    UNION ALL")}
    ORDER BY date, kind, key${thenByDimensions(dimensions)}`;
}

/** The whole team's distributions per preset span, with chat MCS also per skill and per agent. */
function presetHistogramsSql(): string {
  const level = (name: "all" | "skill" | "agent") => [
    `'${name}' AS level`,
    `${name === "skill" ? "skill_name" : "NULL::VARCHAR"} AS skill`,
    `${name === "agent" ? "agent_key" : "NULL::VARCHAR"} AS agent`,
  ];
  const { duration, wait, first_response, mcs, rating } = CHAT_HISTOGRAMS;
  const selects = [
    ...[duration, wait, first_response].map((histogram) => histogramSelect(histogram, BY_PRESET_SPAN, level("all"))),
    ...(["all", "skill", "agent"] as const).map((name) => histogramSelect(mcs, BY_PRESET_SPAN, level(name))),
    histogramSelect(rating, BY_PRESET_SPAN, level("all")),
  ];
  return `${selects.join("\n    UNION ALL")}
    ORDER BY 1, 2, 5, 3, 4, 6`;
}

const TIERS = {
  daily: () => `${chatsDaily(BY_DAY, BY_SKILL_AND_AGENT)}
    ORDER BY date, skill, agent`,
  "filter-daily": () => `${chatsDaily(BY_DAY_IN_PRESET_WINDOW, BY_SKILL_AND_AGENT)}
    ORDER BY date, skill, agent`,
  "preset-daily": () => `${chatsDaily(BY_DAY_IN_PRESET_WINDOW, ["skill_name AS skill"])}
    ORDER BY date, skill`,
  histograms: () => histogramsSql(BY_DAY),
  "filter-histograms": () => histogramsSql(BY_PRESET_SPAN),
  "preset-histograms": presetHistogramsSql,
  breakdowns: () => breakdownsSql(BY_DAY, BY_SKILL_AND_AGENT),
  "filter-breakdowns": () => breakdownsSql(BY_PRESET_SPAN, BY_SKILL_AND_AGENT),
  "preset-breakdowns": () => breakdownsSql(BY_PRESET_SPAN, []),
};

await publishArrowGzip(TIERS[tierOf(TIERS)]());
