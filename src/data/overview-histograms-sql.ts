/**
 * The overview's histograms (session length, chat MCS, post-chat ratings) grouped
 * by `period(dateColumn)` over the days `keep(dateColumn)` selects: per day or per
 * preset span. Not a loader itself (no double extension).
 */
import { logBinSql } from "../components/metrics.js";
import { IS_POST_CHAT_RATING } from "./chats-sql.js";

export function overviewHistogramsSql(period: (dateColumn: string) => string, keep: (dateColumn: string) => string): string {
  return `
    SELECT ${period("session_date")} AS date, 'length' AS measure, ${logBinSql("length_seconds")} AS bin, count(*)::INTEGER AS n
    FROM cobrowse_sessions WHERE ${keep("session_date")} AND length_seconds IS NOT NULL GROUP BY ALL
    UNION ALL
    SELECT ${period("engagement_date")}, 'mcs', chat_mcs, count(*)::INTEGER
    FROM engagements WHERE ${keep("engagement_date")} AND chat_mcs IS NOT NULL GROUP BY ALL
    UNION ALL
    SELECT ${period("engagement_date")}, 'rating', rating, count(*)::INTEGER
    FROM survey_answers
    WHERE ${keep("engagement_date")} AND ${IS_POST_CHAT_RATING}
    GROUP BY ALL
    ORDER BY 1, 2, 3`;
}
