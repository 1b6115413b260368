/**
 * The `agendize.chats` and `agendize.list_summaries` streams.
 *
 * Windows: a fixed grid of `windowDays` from the epoch (UTC), so the same window is
 * always asked with the same bounds and its vendor summary replaces its own row.
 * Each window is *requested* a day wider on both sides and *kept* by each record's
 * own start converted to UTC, because the seed's bound descriptions are swapped and
 * say nothing of their zone: whatever the vendor's reading, the window's records are
 * inside the wider request. Records merge by id.
 *
 * Times: `start.dateTime` / `sent.dateTime` are wall-clock times of their sibling
 * `timeZone` (default: the company's zone), converted with timezone.ts. A wall time
 * that a fall-back hour repeats reads as the earlier instant; a message that then
 * reads before its predecessor takes the later one, since a chat's messages are in
 * order (so no chat ends before it starts).
 */
import type { Pseudonymizer } from "../privacy.js";
import type { TableSpec } from "../lake/index.js";
import { carryDrift } from "../drift/ledger.js";
import { contentHash, type MappedRow } from "../sync/commit.js";
import { pick, validateRecord, type QuarantineEntry } from "../sync/validate.js";
import { AgendizeResponseError, formatRfc3339, type AgendizeClient, type ChatHistoryPage } from "./client.js";
import { ChatHistorySummary, ChatSessionRecord } from "./schemas.js";
import { InvalidLocalDateTimeError, localDateTimeToUtc, zoneOffsetMs } from "./timezone.js";

export const CHATS_TABLE: TableSpec = {
  source: "agendize",
  name: "chats",
  primaryKey: ["chat_id"],
  partitionColumn: "start_time",
  columns: {
    chat_id: "VARCHAR",
    start_time: "TIMESTAMP",
    end_time: "TIMESTAMP",
    time_zone: "VARCHAR",
    // Each message's UTC instant, in message order: the placing of a repeated fall-back
    // hour depends on the messages before it, so the models take these, not the local times.
    message_sent_times: "TIMESTAMP[]",
    email_pseudonym: "VARCHAR",
    ip_pseudonym: "VARCHAR",
    name_pseudonym: "VARCHAR",
    content_hash: "VARCHAR",
    record_json: "VARCHAR",
  },
};

export const LIST_SUMMARIES_TABLE: TableSpec = {
  source: "agendize",
  name: "list_summaries",
  primaryKey: ["summary_id"],
  partitionColumn: "window_start",
  columns: {
    summary_id: "VARCHAR",
    window_start: "TIMESTAMP",
    window_end: "TIMESTAMP",
    average_chat_session_duration_seconds: "DOUBLE",
    chat_sessions: "BIGINT",
    items_returned: "BIGINT",
    fetched_at: "TIMESTAMP",
    content_hash: "VARCHAR",
  },
};

export const DAY_MS = 86_400_000;
/**
 * How much wider than the kept window a request is, on each side: bounds read as the
 * wall time of any zone (offsets reach ±14 h), inclusive or exclusive, still cover it.
 */
export const REQUEST_MARGIN_MS = DAY_MS;
/** A list cut short (fewer items than its summary counts) is split down to this kept span, then reported. */
const MIN_SPLIT_MS = 6 * 3600_000;

/** A half-open span of instants [from, to), epoch milliseconds. */
export interface Span {
  from: number;
  to: number;
}

/** The grid windows that cover [from, to): starts are multiples of `windowMs` from the epoch. */
export function gridWindows(from: number, to: number, windowMs: number): Span[] {
  const windows: Span[] = [];
  for (let cursor = Math.floor(from / windowMs) * windowMs; cursor < to; cursor += windowMs) {
    windows.push({ from: cursor, to: cursor + windowMs });
  }
  return windows;
}

export function requestSpanOf(kept: Span): Span {
  return { from: kept.from - REQUEST_MARGIN_MS, to: kept.to + REQUEST_MARGIN_MS };
}

/** The kept window a request was made for (replay reads it back from the archived URL). */
export function keptSpanOf(requested: Span): Span {
  return { from: requested.from + REQUEST_MARGIN_MS, to: requested.to - REQUEST_MARGIN_MS };
}

/** `list_summaries.summary_id`: the requested bounds, `<startISO>/<endISO>`. */
export function summaryIdOf(requested: Span): string {
  return `${formatRfc3339(new Date(requested.from))}/${formatRfc3339(new Date(requested.to))}`;
}

const OFFSET_SUFFIX = /(?:Z|[+-]\d{2}:?\d{2})$/i;

/**
 * The UTC instant of a vendor date-time: its own offset when it carries one (the
 * schema tolerates that drift), else the wall time read in `zone`.
 */
export function zonedInstant(dateTime: string, zone: string): number {
  if (OFFSET_SUFFIX.test(dateTime)) {
    const instant = Date.parse(dateTime.replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
    if (Number.isNaN(instant)) throw new InvalidLocalDateTimeError(dateTime);
    return instant;
  }
  return localDateTimeToUtc(dateTime, zone).getTime();
}

/** The second reading of a wall time that a fall-back hour repeats, or undefined when it happens once. */
function laterReading(earlier: number, zone: string): number | undefined {
  const wallAsUtc = earlier + zoneOffsetMs(earlier, zone);
  const candidate = wallAsUtc - zoneOffsetMs(wallAsUtc + DAY_MS, zone);
  return candidate > earlier && candidate + zoneOffsetMs(candidate, zone) === wallAsUtc ? candidate : undefined;
}

export interface ChatTimes {
  startMs: number;
  /** The last message's sent instant; null without messages. */
  endMs: number | null;
  /** Each message's sent instant, in message order. */
  sentMs: number[];
  zone: string;
}

export type ChatTimesResult = { ok: true; times: ChatTimes } | { ok: false; fieldPath: string; message: string };

export function chatTimes(chat: ChatSessionRecord, companyTimeZone: string): ChatTimesResult {
  const zone = chat.start.timeZone ?? companyTimeZone;
  let startMs: number;
  try {
    startMs = zonedInstant(chat.start.dateTime, zone);
  } catch (error) {
    return { ok: false, fieldPath: "start.dateTime", message: messageOf(error) };
  }
  let previous = startMs;
  let endMs: number | null = null;
  const sentMs: number[] = [];
  for (const [index, message] of chat.messages.entries()) {
    const messageZone = message.sent.timeZone ?? companyTimeZone;
    let sent: number;
    try {
      sent = zonedInstant(message.sent.dateTime, messageZone);
    } catch (error) {
      return { ok: false, fieldPath: `messages[${index}].sent.dateTime`, message: messageOf(error) };
    }
    if (sent < previous && !OFFSET_SUFFIX.test(message.sent.dateTime)) sent = laterReading(sent, messageZone) ?? sent;
    previous = Math.max(previous, sent);
    endMs = endMs === null ? sent : Math.max(endMs, sent);
    sentMs.push(sent);
  }
  return { ok: true, times: { startMs, endMs, zone, sentMs } };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function mapChat(chat: ChatSessionRecord, times: ChatTimes, pseudonym: Pseudonymizer): MappedRow {
  // The record as validated, raw local times included; the lake is not published, marts are.
  const recordJson = JSON.stringify(chat);
  return carryDrift(chat, {
    chat_id: chat.id,
    start_time: new Date(times.startMs),
    end_time: times.endMs === null ? null : new Date(times.endMs),
    time_zone: times.zone,
    message_sent_times: times.sentMs.map((ms) => new Date(ms)),
    email_pseudonym: pseudonym("email", chat.visitor?.emaillAddress),
    ip_pseudonym: pseudonym("ip", chat.visitor?.networkAddress),
    name_pseudonym: pseudonym("name", chat.visitor?.name),
    content_hash: contentHash(recordJson),
    record_json: recordJson,
  });
}

/**
 * The vendor's summary of one list response. `fetched_at` is left out of the hash,
 * so a re-read with the same answer rewrites nothing: it is when this answer was
 * first fetched.
 */
export function mapSummary(requested: Span, summary: ChatHistorySummary, itemsReturned: number, fetchedAt: Date): MappedRow {
  const summaryId = summaryIdOf(requested);
  return carryDrift(summary, {
    summary_id: summaryId,
    window_start: new Date(requested.from),
    window_end: new Date(requested.to),
    average_chat_session_duration_seconds: summary.averageChatSessionDuration,
    chat_sessions: summary.chatSessions,
    items_returned: itemsReturned,
    fetched_at: fetchedAt,
    content_hash: contentHash(JSON.stringify({ summaryId, summary, itemsReturned })),
  });
}

/** What one or more list responses yield, keyed so that re-reads merge. */
export interface ListRead {
  chats: Map<string, MappedRow>;
  summaries: Map<string, MappedRow>;
  /** Quarantine entries by `<stream>:<record id>`. */
  problems: Map<string, QuarantineEntry[]>;
}

export function emptyListRead(): ListRead {
  return { chats: new Map(), summaries: new Map(), problems: new Map() };
}

/** Keeps the row already held when the content is the same (as commitRows does), so its first fetch time stays. */
export function mergeRow(into: Map<string, MappedRow>, id: string, row: MappedRow): void {
  if (into.get(id)?.content_hash !== row.content_hash) into.set(id, row);
}

/** Best-effort start of a record that failed validation, to tell which window it belongs to. */
function bestEffortStart(raw: unknown, companyTimeZone: string): number | undefined {
  for (const path of [["start"], ["messages", "0", "sent"]]) {
    const dateTime = pick(raw, ...path, "dateTime");
    if (dateTime === undefined) continue;
    try {
      return zonedInstant(dateTime, pick(raw, ...path, "timeZone") ?? companyTimeZone);
    } catch {
      // Not a readable time (or zone): try the next candidate.
    }
  }
  return undefined;
}

export interface ListResponse {
  /** The bounds as requested, in order. */
  requested: Span;
  /** The records kept from this response: those whose own start falls here. */
  kept: Span;
  summary: unknown;
  items: unknown[];
  fetchedAt: Date;
}

/**
 * Folds one list response into `into` (shared by the sync and `--replay`). Returns
 * the vendor summary when it is valid. A record that fails is quarantined when its
 * start is in the kept window, or cannot be read at all (then every window that
 * sees it quarantines it, which merges by id).
 */
export function collectListResponse(
  response: ListResponse,
  companyTimeZone: string,
  pseudonym: Pseudonymizer,
  into: ListRead,
): ChatHistorySummary | undefined {
  const summaryId = summaryIdOf(response.requested);
  const where = { source: "agendize", stream: "list_summaries" } as const;
  const summary = validateRecord(where, ChatHistorySummary, response.summary, () => summaryId);
  if (summary.ok) {
    mergeRow(into.summaries, summaryId, mapSummary(response.requested, summary.value, response.items.length, response.fetchedAt));
    into.problems.delete(`list_summaries:${summaryId}`);
  } else if (!into.summaries.has(summaryId)) {
    into.problems.set(`list_summaries:${summaryId}`, summary.problems);
  }

  const inKept = (instant: number) => instant >= response.kept.from && instant < response.kept.to;
  const chatWhere = { source: "agendize", stream: "chats" } as const;
  for (const [index, raw] of response.items.entries()) {
    const recordId = pick(raw, "id") ?? `${summaryId} #${index}`;
    const quarantine = (problems: QuarantineEntry[]) => {
      if (!into.chats.has(recordId)) into.problems.set(`chats:${recordId}`, problems);
    };
    const checked = validateRecord(chatWhere, ChatSessionRecord, raw, () => recordId);
    if (!checked.ok) {
      const start = bestEffortStart(raw, companyTimeZone);
      if (start === undefined || inKept(start)) quarantine(checked.problems);
      continue;
    }
    const times = chatTimes(checked.value, companyTimeZone);
    if (!times.ok) {
      const start = bestEffortStart(raw, companyTimeZone);
      if (start === undefined || inKept(start)) quarantine([{ ...chatWhere, recordId, fieldPath: times.fieldPath, message: times.message, raw }]);
      continue;
    }
    if (!inKept(times.times.startMs)) continue;
    mergeRow(into.chats, checked.value.id, mapChat(checked.value, times.times, pseudonym));
    into.problems.delete(`chats:${checked.value.id}`);
  }
  return summary.ok ? summary.value : undefined;
}

export interface WindowHooks {
  /** Every response as received (archive, progress), before it is used. */
  onPage(page: ChatHistoryPage): Promise<void>;
  /** A list was cut short and its window is read again in halves. */
  onSplit(): void;
}

/** Reads every chat that started in the kept window, exactly once each. */
export async function readWindow(
  client: AgendizeClient,
  window: Span,
  companyTimeZone: string,
  pseudonym: Pseudonymizer,
  hooks: WindowHooks,
): Promise<ListRead> {
  const read = emptyListRead();
  const readSpan = async (kept: Span): Promise<void> => {
    const requested = requestSpanOf(kept);
    const fetch = async (startDate: number, endDate: number) => {
      const page = await client.listChats({ startDate: new Date(startDate), endDate: new Date(endDate) });
      await hooks.onPage(page);
      const response = { requested, kept, summary: page.summary, items: page.items, fetchedAt: page.fetchedAt };
      return { page, summary: collectListResponse(response, companyTimeZone, pseudonym, read) };
    };
    let { page, summary } = await fetch(requested.from, requested.to);
    if (page.items.length === 0) {
      // The seed calls startDate the upper bound and endDate the lower one: a vendor
      // that does as written answers nothing to natural bounds, so ask that way too.
      ({ page, summary } = await fetch(requested.to, requested.from));
    }
    // No paging is documented: a list holding fewer sessions than its own summary counts was cut short.
    if (summary !== undefined && summary.chatSessions > page.items.length) {
      if (kept.to - kept.from <= MIN_SPLIT_MS) {
        throw new AgendizeResponseError(
          `agendize listed ${page.items.length} of the ${summary.chatSessions} chat sessions it counts for ${summaryIdOf(requested)}, even in a window of ${(kept.to - kept.from) / 3600_000} h; the list seems capped and no paging is documented`,
        );
      }
      hooks.onSplit();
      const middle = kept.from + Math.floor((kept.to - kept.from) / 2000) * 1000;
      await readSpan({ from: kept.from, to: middle });
      await readSpan({ from: middle, to: kept.to });
    }
  };
  await readSpan(window);
  return read;
}
