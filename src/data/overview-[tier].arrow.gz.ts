// The overview's files for the whole team, one loader for every tier (its measures
// are the channels' own, see components/overview-measures.ts):
// - daily: the additive figures per UTC day without the agent, skill, source or
//   button crosses the channel pages need: co-browse sessions and their lengths,
//   LivePerson chats, Agendize chats;
// - histograms: co-browse session length (5%-wide log bins), chat MCS and post-chat
//   ratings (exact) per UTC day, what the overview loads for a custom range;
// - preset-histograms: the same per preset span (`date` is the span's first day,
//   see dates.presetSegments): exact for the presets and their previous periods,
//   and it does not grow with history.
import { histogramSelect, selectList, type Columns, type Periods } from "../components/measure-sql.js";
import { OVERVIEW_AGENDIZE, OVERVIEW_CHATS, OVERVIEW_COBROWSE, OVERVIEW_HISTOGRAMS } from "../components/overview-measures.js";
import { BY_DAY, BY_PRESET_SPAN, day, published, publishArrowGzip, tierOf } from "./publish-marts.js";

/** Each declared column, 0 on a day its source has no rows (the declarations' own casts keep the types). */
function columnsOrZero(columns: Columns): string {
  return Object.keys(columns)
    .map((name) => `coalesce(${name}, 0) AS ${name}`)
    .join(", ");
}

function histogramsSql(periods: Periods): string {
  return `${OVERVIEW_HISTOGRAMS.map((histogram) => histogramSelect(histogram, periods, [])).join("\n    UNION ALL")}
    ORDER BY 1, 2, 3`;
}

const TIERS = {
  daily: () => `
    WITH cobrowse AS (
      SELECT session_date AS d,
${selectList(OVERVIEW_COBROWSE, "        ")}
      FROM cobrowse_sessions WHERE ${published("session_date")} GROUP BY ALL
    ),
    chats AS (SELECT engagement_date AS d, ${selectList(OVERVIEW_CHATS, "")} FROM engagements WHERE ${published("engagement_date")} GROUP BY ALL),
    agendize AS (SELECT chat_date AS d, ${selectList(OVERVIEW_AGENDIZE, "")} FROM agendize_chats WHERE ${published("chat_date")} GROUP BY ALL)
    SELECT ${day("d")} AS date,
      ${columnsOrZero(OVERVIEW_COBROWSE)},
      ${columnsOrZero(OVERVIEW_CHATS)}, ${columnsOrZero(OVERVIEW_AGENDIZE)}
    FROM cobrowse FULL OUTER JOIN chats USING (d) FULL OUTER JOIN agendize USING (d)
    ORDER BY date`,
  histograms: () => histogramsSql(BY_DAY),
  "preset-histograms": () => histogramsSql(BY_PRESET_SPAN),
};

await publishArrowGzip(TIERS[tierOf(TIERS)]());
