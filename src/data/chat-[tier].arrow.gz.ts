// Survey answers of LivePerson chats, one loader for every tier of the chat page:
// `surveys` per UTC day, skill and agent (custom dates, loaded on demand),
// `filter-surveys` the same per preset span (a preset with a filter),
// `preset-surveys` per preset span for the whole team (`date` is the span's first
// day, see dates.presetSegments). The answer text is what the survey_answers mart
// publishes (an option at least 5 answers share, or any text with
// SI_PUBLISH_TEXT=true); typed answers stay unpublished and are counted under
// NULL. Numbers (ratings) are kept as text of the number.
import { thenByDimensions, type Periods } from "../components/measure-sql.js";
import { BY_DAY, BY_PRESET_SPAN, publishArrowGzip, tierOf } from "./publish-marts.js";

/** An answer as text: the published option, else the rating number without a trailing ".0". */
const SURVEY_ANSWER_TEXT = `coalesce(answer, CASE WHEN answer_number = floor(answer_number) THEN CAST(CAST(answer_number AS BIGINT) AS VARCHAR)
  ELSE CAST(answer_number AS VARCHAR) END)`;

function surveysSql({ period, keep }: Periods, dimensions: readonly string[]): string {
  return `
    SELECT ${[`${period("engagement_date")} AS date`, ...dimensions].join(", ")},
      survey_kind, question, ${SURVEY_ANSWER_TEXT} AS answer,
      count(*)::INTEGER AS n
    FROM survey_answers
    WHERE ${keep("engagement_date")}
    GROUP BY ALL
    ORDER BY date, survey_kind, question, answer${thenByDimensions(dimensions)}`;
}

const BY_SKILL_AND_AGENT = ["skill_name AS skill", "agent_key AS agent"];

const TIERS = {
  surveys: () => surveysSql(BY_DAY, BY_SKILL_AND_AGENT),
  "filter-surveys": () => surveysSql(BY_PRESET_SPAN, BY_SKILL_AND_AGENT),
  "preset-surveys": () => surveysSql(BY_PRESET_SPAN, []),
};

await publishArrowGzip(TIERS[tierOf(TIERS)]());
