/**
 * The chat page's day-level and preset-span files share their SQL: each builder
 * takes how rows are dated (`period`: the UTC day, or the preset span's first day,
 * see publish-marts.presetSegment) and which days are kept (`keep`). Not a loader
 * itself (no double extension).
 */
import { logBinSql } from "../components/metrics.js";

/** A post-chat survey rating: an answer to a rating question (see the survey_answers mart), one per chat and question. */
export const IS_POST_CHAT_RATING = `rating IS NOT NULL`;

/** An answer as text: the published option, else the rating number without a trailing ".0". */
export const SURVEY_ANSWER_TEXT = `coalesce(answer, CASE WHEN answer_number = floor(answer_number) THEN CAST(CAST(answer_number AS BIGINT) AS VARCHAR)
  ELSE CAST(answer_number AS VARCHAR) END)`;

export interface ChatPeriods {
  /** The `date` of a row, from a DATE column. */
  period: (dateColumn: string) => string;
  /** A WHERE condition on a DATE column. */
  keep: (dateColumn: string) => string;
}

/** The additive per-chat measures (sums and counts behind every chat KPI and trend). */
export const CHAT_DAILY_MEASURES = `
    count(*)::INTEGER AS chats,
    coalesce(sum(duration_seconds), 0)::DOUBLE AS duration_sum,
    count(duration_seconds)::INTEGER AS duration_count,
    coalesce(sum(wait_seconds), 0)::DOUBLE AS wait_sum,
    count(wait_seconds)::INTEGER AS wait_count,
    coalesce(sum(first_response_seconds), 0)::DOUBLE AS first_response_sum,
    count(first_response_seconds)::INTEGER AS first_response_count,
    count(*) FILTER (WHERE started_by_transfer)::INTEGER AS transfers_in,
    count(*) FILTER (WHERE ended_by_transfer)::INTEGER AS transfers_out,
    count(*) FILTER (WHERE has_cobrowse)::INTEGER AS with_cobrowse,
    coalesce(sum(chat_mcs), 0)::DOUBLE AS mcs_sum,
    count(chat_mcs)::INTEGER AS mcs_count,
    count(*) FILTER (WHERE alerted_mcs = -1)::INTEGER AS alerted_negative,
    count(*) FILTER (WHERE alerted_mcs = 0)::INTEGER AS alerted_neutral,
    count(*) FILTER (WHERE alerted_mcs = 1)::INTEGER AS alerted_positive,
    count(alerted_mcs)::INTEGER AS alerted_count,
    coalesce(sum(chat_mcs) FILTER (WHERE has_cobrowse), 0)::DOUBLE AS cobrowse_mcs_sum,
    count(chat_mcs) FILTER (WHERE has_cobrowse)::INTEGER AS cobrowse_mcs_count,
    coalesce(sum(chat_mcs) FILTER (WHERE NOT has_cobrowse), 0)::DOUBLE AS no_cobrowse_mcs_sum,
    count(chat_mcs) FILTER (WHERE NOT has_cobrowse)::INTEGER AS no_cobrowse_mcs_count`;

/** Chats per period, skill and agent: the additive measures. */
export function chatsDailySql({ period, keep }: ChatPeriods): string {
  return `
    SELECT ${period("engagement_date")} AS date, skill_name AS skill, agent_key AS agent,
      ${CHAT_DAILY_MEASURES}
    FROM engagements
    WHERE ${keep("engagement_date")}
    GROUP BY ALL
    ORDER BY date, skill, agent`;
}

/** Histograms per period, skill and agent: duration, wait, first response (5%-wide log bins), MCS and ratings (exact). */
export function chatsHistogramsSql({ period, keep }: ChatPeriods): string {
  const logMeasure = (measure: string, column: string) => `
    SELECT ${period("engagement_date")} AS date, skill_name AS skill, agent_key AS agent, '${measure}' AS measure,
      ${logBinSql(column)} AS bin, count(*)::INTEGER AS n
    FROM engagements WHERE ${keep("engagement_date")} AND ${column} IS NOT NULL GROUP BY ALL`;
  return `
    ${logMeasure("duration", "duration_seconds")}
    UNION ALL ${logMeasure("wait", "wait_seconds")}
    UNION ALL ${logMeasure("first_response", "first_response_seconds")}
    UNION ALL
    SELECT ${period("engagement_date")}, skill_name, agent_key, 'mcs', chat_mcs, count(*)::INTEGER
    FROM engagements WHERE ${keep("engagement_date")} AND chat_mcs IS NOT NULL GROUP BY ALL
    UNION ALL
    -- One rating per chat and question: the post-chat survey's 1–5 answers.
    SELECT ${period("engagement_date")}, skill_name, agent_key, 'rating', rating, count(*)::INTEGER
    FROM survey_answers
    WHERE ${keep("engagement_date")} AND ${IS_POST_CHAT_RATING}
    GROUP BY ALL
    ORDER BY 1, 4, 2, 3, 5`;
}

/** Chats per period, skill and agent by one attribute at a time (kind/key): start and end reasons, device, system, browser. */
export function chatsBreakdownsSql({ period, keep }: ChatPeriods): string {
  const breakdown = (kind: string, column: string) => `
    SELECT ${period("engagement_date")} AS date, skill_name AS skill, agent_key AS agent, '${kind}' AS kind,
      coalesce(${column}, '(unknown)') AS key, count(*)::INTEGER AS n
    FROM engagements WHERE ${keep("engagement_date")} GROUP BY ALL`;
  return `
    ${breakdown("start_reason", "start_reason")}
    UNION ALL ${breakdown("end_reason", "end_reason")}
    UNION ALL ${breakdown("device", "device")}
    UNION ALL ${breakdown("operating_system", "operating_system")}
    UNION ALL ${breakdown("browser", "browser")}
    ORDER BY 1, 4, 5`;
}

/**
 * Survey answers per period, skill and agent. The answer text is what the
 * survey_answers mart publishes (an option at least 5 answers share, or any text
 * with SI_PUBLISH_TEXT=true); typed answers stay unpublished and are counted under
 * NULL. Numbers (ratings) are kept as text of the number.
 */
export function chatSurveysSql({ period, keep }: ChatPeriods): string {
  return `
    SELECT ${period("engagement_date")} AS date, skill_name AS skill, agent_key AS agent,
      survey_kind, question, ${SURVEY_ANSWER_TEXT} AS answer,
      count(*)::INTEGER AS n
    FROM survey_answers
    WHERE ${keep("engagement_date")}
    GROUP BY ALL
    ORDER BY 1, 4, 5, 6`;
}
