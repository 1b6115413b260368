/**
 * The overview (and the data page): the cross-channel measures, declared once.
 * The overview-daily columns reuse each channel's own SQL (co-browse sessions and
 * lengths, LivePerson chats, Agendize chats), its histograms are the channels'
 * own (session length, chat MCS, post-chat ratings), so an overview figure is the
 * channel page's figure for the whole team.
 */
import { AGENDIZE_DAILY } from "./chat-history-measures.js";
import { CHAT_DAILY, CHAT_HISTOGRAMS } from "./chat-measures.js";
import { COBROWSE_DAILY, COBROWSE_LENGTH } from "./cobrowse-measures.js";
import { countMetric } from "./metric-kinds.js";
import type { Columns } from "./measure-sql.js";
import type { Row } from "./rows.js";

/** The co-browse columns of overview-daily (over cobrowse_sessions). */
export const OVERVIEW_COBROWSE = {
  sessions: COBROWSE_DAILY.sessions,
  length_sum: COBROWSE_DAILY.length_sum,
  length_count: COBROWSE_DAILY.length_count,
  length_sumsq: COBROWSE_DAILY.length_sumsq,
} as const satisfies Columns;

/** The LivePerson column of overview-daily (over engagements). */
export const OVERVIEW_CHATS = { chats: CHAT_DAILY.chats } as const satisfies Columns;

/** The Agendize column of overview-daily (over agendize_chats), renamed beside LivePerson's. */
export const OVERVIEW_AGENDIZE = { agendize_chats: AGENDIZE_DAILY.chats } as const satisfies Columns;

/** The overview-histograms measures, in the file's order. */
export const OVERVIEW_HISTOGRAMS = [COBROWSE_LENGTH, CHAT_HISTOGRAMS.mcs, CHAT_HISTOGRAMS.rating] as const;

/** overview-daily rows as the Agendize metrics read them: Agendize's count under `chats`. */
export function agendizeRowsOf(rows: readonly Row[]): Row[] {
  return rows.map((row) => ({ date: row.date, chats: row.agendize_chats }));
}

export const OVERVIEW_METRICS = {
  interactions: countMetric({
    id: "interactions",
    label: "Interactions",
    definition: "Co-browse sessions, LivePerson chats and Agendize chats that started in the period (UTC days).",
    column: "interactions",
  }),
  quarantined_records: countMetric({
    id: "quarantined_records",
    label: "Quarantined",
    definition: "Records the sync first rejected in the period, each counted once: they failed the vendor's schema and are kept apart, not dropped.",
    column: "quarantined",
  }),
};
