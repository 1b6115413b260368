/**
 * Agendize chat history: per-day chat skeletons (local business hours in several IANA
 * zones, extra chats around daylight-saving changes) and the full chat session built from
 * one, with local wall-clock times and the vendor's `emaillAddress` spelling.
 */
import type { z } from "zod";
import type { ChatSession } from "../../data-loaders/agendize/schemas.js";
import { breakageKindFor, setAtPath } from "../breakage.js";
import type { Breakage } from "../breakage.js";
import { driftKindFor, driftPick, type AppliedDrift } from "../drift.js";
import { PAGES, SITE, TOPICS, maybeHostile } from "../content.js";
import { LruCache } from "../lru.js";
import { Rng } from "../rng.js";
import { DAY_MS, HOUR_MS, localDateTime, offsetChangeWithin, zoneOffsetMinutes } from "../time.js";
import { HOUR_WEIGHTS } from "../world.js";
import type { World } from "../world.js";

export type RawChatSession = z.input<typeof ChatSession>;

export interface ChatButtonProfile {
  id: string;
  name: string;
  timeZone: string;
  weight: number;
}

/** One button per team; each team works in its own zone (Kolkata has no DST and a :30 offset). */
export const CHAT_BUTTONS: readonly ChatButtonProfile[] = [
  { id: "btn-fr", name: "Support FR", timeZone: "Europe/Paris", weight: 34 },
  { id: "btn-us", name: "Support US", timeZone: "America/New_York", weight: 30 },
  { id: "btn-au", name: "Support AU", timeZone: "Australia/Sydney", weight: 14 },
  { id: "btn-uk", name: "Sales UK", timeZone: "Europe/London", weight: 12 },
  { id: "btn-in", name: "Support IN", timeZone: "Asia/Kolkata", weight: 10 },
];

const CHATS_PER_DAY = 30;
/** Chat numbers are day * CHAT_DAY_FACTOR + index, so an id decodes to its day. */
export const CHAT_DAY_FACTOR = 100_000;
const HOURS = Array.from({ length: 24 }, (_, hour) => hour);

export interface ChatSkeleton {
  number: number;
  id: string;
  personIndex: number;
  buttonIndex: number;
  /** Instants of every message, the first being the session start. */
  messageTimesMs: number[];
  startMs: number;
  endMs: number;
}

export interface BuiltChat {
  record: RawChatSession | Record<string, unknown>;
  breakage: Breakage | null;
  /** How the record drifted from the docs (served so), or null. */
  drift: AppliedDrift | null;
}

export class AgendizeData {
  private readonly days: LruCache<number, ChatSkeleton[]>;

  constructor(private readonly world: World) {
    this.days = new LruCache(world.config.dayCacheSize);
  }

  day(dayIndex: number): ChatSkeleton[] {
    return this.days.getOrCreate(dayIndex, () => this.generateDay(dayIndex));
  }

  isVisible(chat: ChatSkeleton, nowMs: number): boolean {
    return chat.startMs >= this.world.historyStartMs(nowMs) && chat.endMs <= nowMs;
  }

  findById(id: string): ChatSkeleton | null {
    if (!/^\d+$/.test(id)) return null;
    const number = Number(id);
    return this.day(Math.floor(number / CHAT_DAY_FACTOR)).find((chat) => chat.number === number) ?? null;
  }

  private generateDay(dayIndex: number): ChatSkeleton[] {
    const world = this.world;
    const rng = Rng.for(world.seed, "agendize-day", dayIndex);
    const dayStart = dayIndex * DAY_MS;
    const drafts: { startMs: number; buttonIndex: number }[] = [];
    const count = rng.poisson(world.expectedCount(dayIndex, CHATS_PER_DAY));
    const buttonIndexes = CHAT_BUTTONS.map((_, index) => index);
    for (let index = 0; index < count; index++) {
      const buttonIndex = rng.weighted(buttonIndexes, CHAT_BUTTONS.map((button) => button.weight));
      const zone = CHAT_BUTTONS[buttonIndex]?.timeZone ?? "UTC";
      // Business hours are local to the team: shift the hourly rhythm by the zone offset.
      const localHour = rng.weighted(HOURS, HOUR_WEIGHTS);
      const offsetMs = zoneOffsetMinutes(dayStart + 12 * HOUR_MS, zone) * 60_000;
      const raw = dayStart + localHour * HOUR_MS + rng.int(0, HOUR_MS - 1) - offsetMs;
      drafts.push({ startMs: dayStart + ((((raw - dayStart) % DAY_MS) + DAY_MS) % DAY_MS), buttonIndex });
    }
    // Daylight-saving days: put chats just before and after the change, in the zone that changes.
    CHAT_BUTTONS.forEach((button, buttonIndex) => {
      const change = offsetChangeWithin(dayStart, button.timeZone);
      if (change === null) return;
      for (const shift of [-40 * 60_000, 20 * 60_000, 50 * 60_000]) {
        const startMs = change + shift;
        if (startMs >= dayStart && startMs < dayStart + DAY_MS) drafts.push({ startMs, buttonIndex });
      }
    });
    drafts.sort((a, b) => a.startMs - b.startMs || a.buttonIndex - b.buttonIndex);
    return drafts.map((draft, index) => {
      const number = dayIndex * CHAT_DAY_FACTOR + index;
      const startMs = Math.floor(draft.startMs / 1000) * 1000;
      const messageCount = Math.min(14, Math.max(2, Math.round(rng.lognormal(6, 0.5))));
      const messageTimesMs = [startMs];
      for (let message = 1; message < messageCount; message++) {
        const previous = messageTimesMs[message - 1] ?? startMs;
        messageTimesMs.push(previous + Math.max(2, Math.round(rng.lognormal(35, 0.8))) * 1000);
      }
      return {
        number,
        id: String(number),
        personIndex: world.randomPersonIndex(rng),
        buttonIndex: draft.buttonIndex,
        messageTimesMs,
        startMs,
        endMs: messageTimesMs[messageTimesMs.length - 1] ?? startMs,
      };
    });
  }

  buildChat(chat: ChatSkeleton): BuiltChat {
    const world = this.world;
    const rng = Rng.for(world.seed, "agendize-chat", chat.number);
    const person = world.person(chat.personIndex);
    const button = CHAT_BUTTONS[chat.buttonIndex] ?? CHAT_BUTTONS[0];
    const timeZone = button?.timeZone ?? "Europe/Paris";
    const topic = rng.pick(TOPICS);
    let visitorTurn = 0;
    let operatorTurn = 0;
    const record: RawChatSession = {
      id: chat.id,
      button: { id: button?.id ?? "btn-fr", name: button?.name ?? "Support" },
      visitor: {
        name: person.name,
        emaillAddress: person.email ?? "",
        networkAddress: person.ipAddress,
        startPage: `${SITE}${rng.pick(PAGES)[0]}`,
        country: person.place.countryName,
        city: person.place.city,
        operatingSystem: person.platform.os,
        browser: person.platform.browser,
        userAgent: person.platform.userAgent,
      },
      start: { dateTime: localDateTime(chat.startMs, timeZone), timeZone },
      messages: chat.messageTimesMs.map((sentMs, index) => {
        const source = index === 0 || (index % 2 === 0 && rng.chance(0.85)) ? "visitor" : "operator";
        const text =
          source === "visitor"
            ? (topic.visitor[visitorTurn++ % topic.visitor.length] ?? "Hello")
            : (topic.agent[operatorTurn++ % topic.agent.length] ?? "Hello");
        return {
          id: `${chat.id}${String(index + 1).padStart(3, "0")}`,
          sessionId: chat.id,
          message: maybeHostile(rng, text),
          source,
          sent: { dateTime: localDateTime(sentMs, timeZone), timeZone },
        };
      }),
    };
    const drifted = applyDrift(world, chat.number, record);
    return { ...applyBreakage(world, chat.number, drifted.record), drift: drifted.drift };
  }
}

/**
 * Real-world drift of a chat (drift.ts): a message from a new `source` ("bot"), the
 * message ids as numbers, a null among the messages (never the first: the broken-record
 * path is there), an undocumented `visitor.language`, or no `visitor` at all. A chat has
 * no number to send as text.
 */
function applyDrift(world: World, number: number, record: RawChatSession): { record: RawChatSession; drift: AppliedDrift | null } {
  const source = "agendize-chat";
  const kind = driftKindFor(world.seed, world.drift, source, number, ["unknown_enum_value", "number_for_string", "null_in_array", "unknown_field", "missing_optional"]);
  if (!kind) return { record, drift: null };
  const drifted = structuredClone(record) as Record<string, unknown>;
  const messages = drifted.messages as Array<Record<string, unknown> | null>;
  const later = () => 1 + driftPick(world.seed, source, number, Math.max(1, messages.length - 1));
  let path: (string | number)[];
  switch (kind) {
    case "unknown_enum_value": {
      const at = Math.min(later(), messages.length - 1);
      (messages[at] as Record<string, unknown>).source = "bot";
      path = ["messages", at, "source"];
      break;
    }
    case "number_for_string":
      for (const message of messages) {
        if (!message) continue;
        message.id = Number(message.id);
        message.sessionId = Number(message.sessionId);
      }
      path = ["messages", 0, "id"];
      break;
    case "null_in_array": {
      const at = later();
      messages.splice(at, 0, null);
      path = ["messages", at];
      break;
    }
    case "unknown_field":
      drifted.visitor = { ...(drifted.visitor as Record<string, unknown>), language: "fr" };
      path = ["visitor", "language"];
      break;
    case "missing_optional":
    default:
      delete drifted.visitor;
      path = ["visitor"];
      break;
  }
  return { record: drifted as RawChatSession, drift: { kind, path } };
}

function applyBreakage(world: World, number: number, record: RawChatSession): Omit<BuiltChat, "drift"> {
  const kind = breakageKindFor(world.seed, world.config.invalidRecordRate, "agendize-chat", number);
  if (!kind) return { record, breakage: null };
  const broken = structuredClone(record) as Record<string, unknown>;
  const breakage: Breakage =
    kind === "missing_required"
      ? { kind, path: ["start"] }
      : kind === "wrong_type"
        ? { kind, path: ["start", "dateTime"] }
        : { kind, path: ["messages", 0, "sent", "dateTime"] };
  setAtPath(broken, breakage.path, kind === "missing_required" ? undefined : kind === "wrong_type" ? number : "yesterday at ten");
  return { record: broken, breakage };
}

/** Vendor summary: mean of (last message − start) in seconds over the listed sessions. */
export function summarise(chats: readonly ChatSkeleton[]): { averageChatSessionDuration: number; chatSessions: number } {
  if (chats.length === 0) return { averageChatSessionDuration: 0, chatSessions: 0 };
  let totalSeconds = 0;
  for (const chat of chats) totalSeconds += (chat.endMs - chat.startMs) / 1000;
  return { averageChatSessionDuration: Math.round((totalSeconds / chats.length) * 1000) / 1000, chatSessions: chats.length };
}
