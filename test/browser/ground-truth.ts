/**
 * The dashboard KPIs computed straight from the simulator's ground-truth export
 * (`npm run simulator -- --export DIR`): the vendors' records as they served them,
 * read here with nothing of the sync, the lake, the models or the loaders, each
 * figure written from its definition in src/components/metrics.ts. A bug anywhere
 * from the client to the page's arithmetic makes the page disagree with these.
 *
 * Days are UTC days of each record's own start: Upscope's ISO times (offsets
 * included, which Date.parse reads), LivePerson's epoch milliseconds, and for
 * Agendize the instants the simulator exports beside its local wall-clock times.
 */
import { createReadStream } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";

/** What a KPI card shows: the figure, the cases behind it. */
export interface Expected {
  value: number | null;
  n: number;
}

/** How close the page must come: exact, or a duration median read from 5%-wide bins. */
export type Tolerance = "exact" | "log-bins";

export interface ExpectedKpi {
  id: string;
  tolerance: Tolerance;
  compute(range: DayRange): Expected;
}

export interface DayRange {
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;
const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const inRange = (day: string, range: DayRange): boolean => day >= range.from && day <= range.to;

async function* ndjson(path: string): AsyncGenerator<Record<string, unknown>> {
  const lines = createInterface({ input: createReadStream(path, "utf8"), crlfDelay: Infinity });
  for await (const line of lines) if (line.trim() !== "") yield JSON.parse(line) as Record<string, unknown>;
}

const num = (value: unknown): number | null => (typeof value === "number" && Number.isFinite(value) ? value : null);
const text = (value: unknown): string | null => (typeof value === "string" || typeof value === "number" ? String(value).trim() : null);
const asArray = (value: unknown): Array<Record<string, unknown>> =>
  Array.isArray(value) ? value.filter((item): item is Record<string, unknown> => typeof item === "object" && item !== null) : [];
const mean = (values: readonly number[]): number | null => (values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length);

/** The median as DuckDB's and the pages' interpolation define it: position (n − 1) / 2 of the sorted values. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) / 2;
  const low = sorted[Math.floor(position)] as number;
  const high = sorted[Math.ceil(position)] as number;
  return low + (position - Math.floor(position)) * (high - low);
}

const count = (n: number): Expected => ({ value: n, n });
const share = (part: number, whole: number): Expected => ({ value: whole > 0 ? part / whole : null, n: whole });
const average = (values: readonly number[]): Expected => ({ value: mean(values), n: values.length });
const middle = (values: readonly number[]): Expected => ({ value: median(values), n: values.length });

// ---------------------------------------------------------------------------
// Upscope

interface CobrowseSession {
  day: string;
  wentLive: boolean;
  /** length_seconds, or end − start when Upscope gives none. */
  length: number | null;
  call: number;
  authorized: boolean | null;
  videoReady: boolean;
  agentQuality: number | null;
  visitorQuality: number | null;
  visitorRating: number | null;
  agents: number;
}

/** The identifiers an entry of a session's agents list names its agent by (seed 001: id, external_id; the drift: agent_identifier). */
function agentIdentifiers(agent: Record<string, unknown>): string[] {
  const ids = [text(agent.id), text(agent.agent_identifier), text(agent.external_id), text(agent.email)?.toLowerCase() ?? null];
  return ids.filter((id): id is string => id !== null && id !== "");
}

/** The agents' name key as agents are keyed across sources: lower case, runs of anything but letters and digits as one dash. */
function nameKey(agent: Record<string, unknown>): string | null {
  const name = text(agent.name) || text(agent.agent_nickname);
  if (!name) return null;
  const key = name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-+|-+$/g, "");
  return key === "" ? null : key;
}

/** Distinct agents of a session: entries that share an identifier or a name are one agent (union-find). */
export function distinctAgents(agents: ReadonlyArray<Record<string, unknown>>): number {
  const parent = agents.map((_, index) => index);
  const find = (index: number): number => {
    let root = index;
    while (parent[root] !== root) root = parent[root] as number;
    return root;
  };
  const owner = new Map<string, number>();
  agents.forEach((agent, index) => {
    const keys = [...agentIdentifiers(agent).map((id) => `id:${id}`), ...(nameKey(agent) ? [`name:${nameKey(agent)}`] : [])];
    for (const key of keys) {
      const other = owner.get(key);
      if (other === undefined) owner.set(key, index);
      else parent[find(index)] = find(other);
    }
  });
  return new Set(agents.map((_, index) => find(index))).size;
}

function readSession(record: Record<string, unknown>): CobrowseSession {
  const started = Date.parse(String(record.started_at));
  const ended = typeof record.ended_at === "string" ? Date.parse(record.ended_at) : Number.NaN;
  const agents = asArray(record.agents);
  const agentIds = new Set(agents.flatMap(agentIdentifiers));
  const visitorId = text(record.visitor_id);
  const feedback = asArray(record.quality_feedback);
  const ratingsBy = (match: (by: string) => boolean) =>
    feedback.filter((entry) => text(entry.by) !== null && match(text(entry.by) as string)).map((entry) => num(entry.rating)).filter((r): r is number => r !== null);
  const length = num(record.length_seconds) ?? (Number.isNaN(ended) ? null : (ended - started) / 1000);
  return {
    day: dayOf(started),
    wentLive: record.went_live === true,
    length,
    call: num(record.call_length_seconds) ?? 0,
    authorized: typeof record.session_authorized === "boolean" ? record.session_authorized : null,
    videoReady: record.video_status === "ready",
    agentQuality: mean(ratingsBy((by) => agentIds.has(by) || agentIds.has(by.toLowerCase()))),
    visitorQuality: mean(ratingsBy((by) => by === visitorId)),
    visitorRating: num(record.visitor_agent_rating),
    agents: distinctAgents(agents),
  };
}

// ---------------------------------------------------------------------------
// LivePerson

interface Chat {
  day: string;
  duration: number | null;
  wait: number | null;
  firstResponse: number | null;
  mcs: number | null;
  alertedMcs: number | null;
  transferredIn: boolean;
  transferredAway: boolean;
  withCobrowse: boolean;
  /** Post-chat answers: question id → the answer's text. */
  postChat: Array<{ question: string; value: string }>;
}

function readEngagement(record: Record<string, unknown>): Chat {
  const info = (record.info ?? {}) as Record<string, unknown>;
  const start = num(info.startTimeL) as number;
  const end = num(info.endTimeL);
  const requested = num(info.chatRequestedTimeL);
  const lines = asArray((record.transcript as Record<string, unknown> | undefined)?.lines);
  // The agent's first line the visitor saw: written by the agent (control type 0), not an agents-only note.
  const firstAgentLine = lines
    .filter((line) => String(line.source).toLowerCase() === "agent" && num(line.controlType) === 0 && (line.subType ?? "REGULAR") === "REGULAR")
    .map((line) => num(line.timeL))
    .filter((time): time is number => time !== null && time >= start)
    .sort((a, b) => a - b)[0];
  const chatMcs = num(info.chatMCS);
  const surveys = (record.surveys ?? {}) as Record<string, unknown>;
  return {
    day: dayOf(start),
    duration: end === null ? null : (end - start) / 1000,
    wait: requested !== null && requested <= start ? (start - requested) / 1000 : null,
    firstResponse: firstAgentLine === undefined ? null : (firstAgentLine - start) / 1000,
    mcs: chatMcs !== null && chatMcs >= 0 ? chatMcs : null,
    alertedMcs: num(info.alertedMCS),
    // LivePerson's codes: start 1 agent transfer, 6 skill reassign; end 101 to another rep, 106 to a skill.
    transferredIn: ["1", "6"].includes(String(info.startReason ?? "")),
    transferredAway: ["101", "106"].includes(String(info.endReason ?? "")),
    withCobrowse: asArray((record.coBrowseSessions as Record<string, unknown> | undefined)?.coBrowseSessionsList).length > 0,
    postChat: asArray(surveys.postChat).map((answer) => ({ question: String(answer.questionID), value: String(answer.value ?? "") })),
  };
}

/** A rating question: a post-chat question every answer of which is a whole number from 1 to 5. */
function ratingQuestions(chats: readonly Chat[]): Set<string> {
  const isRating = new Map<string, boolean>();
  for (const chat of chats) {
    for (const { question, value } of chat.postChat) {
      const number = value.trim() === "" ? Number.NaN : Number(value);
      const ok = Number.isInteger(number) && number >= 1 && number <= 5;
      isRating.set(question, (isRating.get(question) ?? true) && ok);
    }
  }
  return new Set([...isRating].filter(([, ok]) => ok).map(([question]) => question));
}

// ---------------------------------------------------------------------------
// Agendize

interface AgendizeChat {
  day: string;
  startMs: number;
  duration: number | null;
  messages: number;
  operatorMessages: number;
  firstResponse: number | null;
}

/** A list request of the sync: a 7-day window on a UTC grid from the epoch, asked a day wider on both sides. */
interface ListWindow {
  from: number;
  to: number;
}

const WINDOW_MS = 7 * DAY_MS;

export function listWindows(fromMs: number, toMs: number): ListWindow[] {
  const windows: ListWindow[] = [];
  for (let grid = Math.floor(fromMs / WINDOW_MS) * WINDOW_MS; grid < toMs; grid += WINDOW_MS) windows.push({ from: grid - DAY_MS, to: grid + WINDOW_MS + DAY_MS });
  return windows;
}

// ---------------------------------------------------------------------------

export interface GroundTruth {
  sessions: CobrowseSession[];
  chats: Chat[];
  ratingQuestions: Set<string>;
  agendize: AgendizeChat[];
  /** Per list request: its start day, Agendize's summary (rounded as the vendor rounds it) and our average over the same chats. */
  windows: Array<{ day: string; vendorAverage: number; vendorChats: number; ourAverage: number | null; ourChats: number }>;
}

/**
 * Reads an export. `historyDays` is how far back the sync's first run asked for
 * Agendize windows (SI_HISTORY_DAYS), `now` the clock of the export and of the sync.
 */
export async function readGroundTruth(directory: string, now: Date, historyDays: number): Promise<GroundTruth> {
  const sessions: CobrowseSession[] = [];
  for await (const record of ndjson(join(directory, "upscope-sessions.ndjson"))) sessions.push(readSession(record));
  const chats: Chat[] = [];
  for await (const record of ndjson(join(directory, "liveperson-engagements.ndjson"))) chats.push(readEngagement(record));

  const instants = new Map<string, { startMs: number; messageTimesMs: number[] }>();
  for await (const line of ndjson(join(directory, "agendize-chat-instants.ndjson"))) {
    instants.set(String(line.id), { startMs: Number(line.startMs), messageTimesMs: (line.messageTimesMs as number[]) ?? [] });
  }
  const agendize: AgendizeChat[] = [];
  const vendorOnly: Array<{ startMs: number; duration: number }> = [];
  for await (const record of ndjson(join(directory, "agendize-chats.ndjson"))) {
    const times = instants.get(String(record.id));
    if (!times) throw new Error(`agendize chat ${String(record.id)} has no instants in the export`);
    const messages = asArray(record.messages);
    const lastMs = times.messageTimesMs.length > 0 ? Math.max(...times.messageTimesMs) : null;
    const firstOperator = messages
      .map((message, index) => ({ source: message.source, at: times.messageTimesMs[index] }))
      .filter((m): m is { source: unknown; at: number } => m.source === "operator" && typeof m.at === "number" && m.at >= times.startMs)
      .map((m) => m.at)
      .sort((a, b) => a - b)[0];
    agendize.push({
      day: dayOf(times.startMs),
      startMs: times.startMs,
      duration: lastMs === null ? null : (lastMs - times.startMs) / 1000,
      messages: messages.length,
      operatorMessages: messages.filter((message) => message.source === "operator").length,
      firstResponse: firstOperator === undefined ? null : (firstOperator - times.startMs) / 1000,
    });
  }
  // The vendor also counts the chats we quarantine (schema-breaking ones): its summary covers every chat it lists.
  for await (const line of ndjson(join(directory, "agendize-chats-invalid.ndjson"))) {
    const times = instants.get(String(line.id));
    if (times && times.messageTimesMs.length > 0) vendorOnly.push({ startMs: times.startMs, duration: (Math.max(...times.messageTimesMs) - times.startMs) / 1000 });
  }
  const everyListed = [...agendize.map((chat) => ({ startMs: chat.startMs, duration: chat.duration ?? 0 })), ...vendorOnly];
  const windows = listWindows(now.getTime() - historyDays * DAY_MS, now.getTime())
    .map((window) => {
      const listed = everyListed.filter((chat) => chat.startMs >= window.from && chat.startMs < window.to);
      const ours = agendize.filter((chat) => chat.startMs >= window.from && chat.startMs < window.to);
      const ourDurations = ours.map((chat) => chat.duration).filter((d): d is number => d !== null);
      return {
        day: dayOf(window.from),
        // Agendize rounds its average to the millisecond (simulator/generate/agendize.ts summarise).
        vendorAverage: listed.length === 0 ? 0 : Math.round((listed.reduce((sum, chat) => sum + chat.duration, 0) / listed.length) * 1000) / 1000,
        vendorChats: listed.length,
        ourAverage: mean(ourDurations),
        ourChats: ours.length,
      };
    })
    .filter((window) => window.vendorChats > 0 || window.ourChats > 0);
  return { sessions, chats, ratingQuestions: ratingQuestions(chats), agendize, windows };
}

/** Every KPI of the overview, co-browsing, chats and chat-history pages, by page (a page may show one in two places). */
export function expectedKpis(truth: GroundTruth): Record<string, ExpectedKpi[]> {
  const sessionsIn = (r: DayRange) => truth.sessions.filter((s) => inRange(s.day, r));
  const chatsIn = (r: DayRange) => truth.chats.filter((c) => inRange(c.day, r));
  const agendizeIn = (r: DayRange) => truth.agendize.filter((c) => inRange(c.day, r));
  const windowsIn = (r: DayRange) => truth.windows.filter((w) => inRange(w.day, r));
  const values = <T>(rows: readonly T[], pick: (row: T) => number | null) => rows.map(pick).filter((v): v is number => v !== null);
  const ratings = (r: DayRange) =>
    chatsIn(r).flatMap((chat) => chat.postChat.filter((answer) => truth.ratingQuestions.has(answer.question)).map((answer) => Number(answer.value)));
  const kpi = (id: string, compute: (r: DayRange) => Expected, tolerance: Tolerance = "exact"): ExpectedKpi => ({ id, tolerance, compute });

  const cobrowseSessions = kpi("cobrowse_sessions", (r) => count(sessionsIn(r).length));
  const avgLength = kpi("cobrowse_avg_length_seconds", (r) => average(values(sessionsIn(r), (s) => s.length)));
  const medianLength = kpi("cobrowse_median_length_seconds", (r) => middle(values(sessionsIn(r), (s) => s.length)), "log-bins");
  const chatCount = kpi("liveperson_chats", (r) => count(chatsIn(r).length));
  const medianMcs = kpi("chat_median_mcs", (r) => middle(values(chatsIn(r), (c) => c.mcs)));
  const csat = kpi("chat_csat", (r) => {
    const given = ratings(r);
    return share(given.filter((rating) => rating >= 4).length, given.length);
  });
  const agendizeCount = kpi("agendize_chats", (r) => count(agendizeIn(r).length));
  return {
    "/": [
      kpi("interactions", (r) => count(sessionsIn(r).length + chatsIn(r).length + agendizeIn(r).length)),
      cobrowseSessions,
      chatCount,
      agendizeCount,
      avgLength,
      medianLength,
      medianMcs,
      csat,
    ],
    "/cobrowsing": [
      cobrowseSessions,
      kpi("cobrowse_live_share", (r) => share(sessionsIn(r).filter((s) => s.wentLive).length, sessionsIn(r).length)),
      avgLength,
      medianLength,
      kpi("cobrowse_call_share", (r) => share(sessionsIn(r).filter((s) => s.call > 0).length, sessionsIn(r).length)),
      kpi("cobrowse_call_time_share", (r) => {
        const known = sessionsIn(r).filter((s) => s.length !== null);
        const calls = known.reduce((sum, s) => sum + s.call, 0);
        const lengths = known.reduce((sum, s) => sum + (s.length ?? 0), 0);
        // The share's n is its denominator: the seconds of session time.
        return { value: lengths > 0 ? calls / lengths : null, n: lengths };
      }),
      kpi("cobrowse_authorization_rate", (r) => {
        const known = sessionsIn(r).filter((s) => s.authorized !== null);
        return share(known.filter((s) => s.authorized).length, known.length);
      }),
      kpi("cobrowse_ready_recording_share", (r) => share(sessionsIn(r).filter((s) => s.videoReady).length, sessionsIn(r).length)),
      kpi("cobrowse_avg_quality_rating", (r) => average(values(sessionsIn(r), (s) => s.agentQuality))),
      kpi("cobrowse_avg_visitor_quality_rating", (r) => average(values(sessionsIn(r), (s) => s.visitorQuality))),
      kpi("cobrowse_avg_visitor_rating", (r) => average(values(sessionsIn(r), (s) => s.visitorRating))),
      kpi("cobrowse_multi_agent_share", (r) => share(sessionsIn(r).filter((s) => s.agents > 1).length, sessionsIn(r).length)),
    ],
    "/chats": [
      chatCount,
      kpi("chat_avg_duration_seconds", (r) => average(values(chatsIn(r), (c) => c.duration))),
      kpi("chat_median_duration_seconds", (r) => middle(values(chatsIn(r), (c) => c.duration)), "log-bins"),
      medianMcs,
      csat,
      kpi("chat_avg_mcs", (r) => average(values(chatsIn(r), (c) => c.mcs))),
      kpi("chat_negative_mcs_share", (r) => {
        const alerted = chatsIn(r).filter((c) => c.alertedMcs !== null);
        return share(alerted.filter((c) => c.alertedMcs === -1).length, alerted.length);
      }),
      kpi("chat_positive_mcs_share", (r) => {
        const alerted = chatsIn(r).filter((c) => c.alertedMcs !== null);
        return share(alerted.filter((c) => c.alertedMcs === 1).length, alerted.length);
      }),
      kpi("chat_transfer_in_share", (r) => share(chatsIn(r).filter((c) => c.transferredIn).length, chatsIn(r).length)),
      kpi("chat_transfer_out_share", (r) => share(chatsIn(r).filter((c) => c.transferredAway).length, chatsIn(r).length)),
      kpi("chat_avg_wait_seconds", (r) => average(values(chatsIn(r), (c) => c.wait))),
      kpi("chat_median_wait_seconds", (r) => middle(values(chatsIn(r), (c) => c.wait)), "log-bins"),
      kpi("chat_avg_first_response_seconds", (r) => average(values(chatsIn(r), (c) => c.firstResponse))),
      kpi("chat_median_first_response_seconds", (r) => middle(values(chatsIn(r), (c) => c.firstResponse)), "log-bins"),
      kpi("chat_cobrowse_share", (r) => share(chatsIn(r).filter((c) => c.withCobrowse).length, chatsIn(r).length)),
      kpi("chat_mcs_with_cobrowse", (r) => average(values(chatsIn(r).filter((c) => c.withCobrowse), (c) => c.mcs))),
      kpi("chat_mcs_without_cobrowse", (r) => average(values(chatsIn(r).filter((c) => !c.withCobrowse), (c) => c.mcs))),
    ],
    "/chat-history": [
      agendizeCount,
      kpi("agendize_avg_duration_seconds", (r) => average(values(agendizeIn(r), (c) => c.duration))),
      kpi("agendize_vendor_avg_duration_seconds", (r) => {
        const windows = windowsIn(r);
        const chats = windows.reduce((sum, w) => sum + w.vendorChats, 0);
        return { value: chats > 0 ? windows.reduce((sum, w) => sum + w.vendorAverage * w.vendorChats, 0) / chats : null, n: chats };
      }),
      kpi("agendize_disagreeing_windows", (r) =>
        count(
          windowsIn(r).filter((w) => (w.ourAverage === null ? w.vendorChats > 0 : Math.abs(w.vendorAverage - w.ourAverage) > Math.max(0.05 * w.vendorAverage, 1))).length,
        ),
      ),
      kpi("agendize_avg_messages", (r) => ({
        value: agendizeIn(r).length > 0 ? agendizeIn(r).reduce((sum, c) => sum + c.messages, 0) / agendizeIn(r).length : null,
        n: agendizeIn(r).length,
      })),
      kpi("agendize_operator_message_share", (r) =>
        share(
          agendizeIn(r).reduce((sum, c) => sum + c.operatorMessages, 0),
          agendizeIn(r).reduce((sum, c) => sum + c.messages, 0),
        ),
      ),
      kpi("agendize_avg_first_response_seconds", (r) => average(values(agendizeIn(r), (c) => c.firstResponse))),
      kpi("agendize_median_first_response_seconds", (r) => middle(values(agendizeIn(r), (c) => c.firstResponse)), "log-bins"),
    ],
  };
}

/**
 * Whether a shown figure matches: exact up to floating-point rounding, or for a
 * median read from the pages' log bins ([1.05^k − 1, 1.05^(k+1) − 1), each 5% of
 * (its lower edge + 1) wide) within one bin of the exact median: 5% of (median + 1).
 */
export function allowedError(expected: number, tolerance: Tolerance): number {
  return tolerance === "exact" ? Math.max(Math.abs(expected) * 1e-9, 1e-9) : 0.05 * (Math.abs(expected) + 1);
}
