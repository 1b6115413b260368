/**
 * Upscope data: per-day visits and co-browsing sessions, the Visitor and Session objects
 * built from them, and the queries the API answers (latest/search list, one visitor, usage).
 */
import type { z } from "zod";
import type { Session, Visitor } from "../../data-loaders/upscope/schemas.js";
import { breakageKindFor, setAtPath } from "../breakage.js";
import type { Breakage } from "../breakage.js";
import { driftKindFor, driftPick, SIMULATED_DRIFT_KINDS, type AppliedDrift } from "../drift.js";
import { PAGES, SITE, maybeHostile } from "../content.js";
import { LruCache } from "../lru.js";
import { Rng } from "../rng.js";
import { DAY_MS, dayIndexOf, formatLength, isoUtc, isoWithOffset } from "../time.js";
import type { AgentProfile, Person, World } from "../world.js";

export type RawSession = z.input<typeof Session>;
export type RawVisitor = z.input<typeof Visitor>;

/** The light per-day record that queries scan; the full Session is built from it on demand. */
export interface UpscopeSessionSkeleton {
  /** day * 100000 + index within the day: decodes back to the day. */
  key: number;
  personIndex: number;
  startMs: number;
  endMs: number;
  lengthSeconds: number;
  agentIndexes: number[];
  wentLive: boolean;
}

/** A moment a visitor was seen on the site (drives last_seen_at and the /list order). */
export interface UpscopeVisit {
  personIndex: number;
  atMs: number;
  path: string;
}

export interface UpscopeDay {
  sessions: UpscopeSessionSkeleton[];
  /** All sightings of the day, sessions included, oldest first. */
  visits: UpscopeVisit[];
}

export interface BuiltSession {
  record: RawSession | Record<string, unknown>;
  breakage: Breakage | null;
  /** How the record drifted from the docs (served so), or null. */
  drift: AppliedDrift | null;
}

export interface BuiltVisitor {
  record: RawVisitor;
  drift: AppliedDrift | null;
}

const SESSIONS_PER_DAY = 24;
const VISITS_PER_DAY = 110;
const ONLINE_WINDOW_MS = 5 * 60_000;
const RECENT_SESSION_DAYS = 30;
const RECENT_SESSION_LIMIT = 20;
const FEATURES = [
  ["remote_click", 0.55],
  ["remote_scroll", 0.6],
  ["remote_typing", 0.3],
  ["drawing", 0.2],
  ["pointer", 0.35],
  ["agent_screen", 0.08],
  ["console", 0.03],
  ["redirect", 0.1],
  ["full_screen", 0.06],
] as const;
const SOURCES = ["search", "lookup code", "integration", "agent request", "personal link", "api"] as const;
const SOURCE_WEIGHTS = [35, 25, 15, 10, 8, 7];
const VIDEO_STATUSES = ["ready", "not_available", "expired", "removed", "pending", null] as const;
const VIDEO_WEIGHTS = [48, 14, 14, 4, 3, 17];
const DRIFT_OFFSETS = [60, 120, -300, 330];
const FEEDBACK = ["Very helpful, thanks!", "Solved my problem", "A bit slow", "Screen was laggy", "Great agent", "Could not see my screen"];
const NOTES = ["Customer could not find the coupon field", "Walked through checkout", "Escalated to billing", "Reset 2FA with the customer", "Showed the returns form"];

export class UpscopeData {
  private readonly days: LruCache<number, UpscopeDay>;

  constructor(private readonly world: World) {
    this.days = new LruCache(world.config.dayCacheSize);
  }

  day(dayIndex: number): UpscopeDay {
    return this.days.getOrCreate(dayIndex, () => this.generateDay(dayIndex));
  }

  private generateDay(dayIndex: number): UpscopeDay {
    const world = this.world;
    const rng = Rng.for(world.seed, "upscope-day", dayIndex);
    const sessionStarts = Array.from({ length: rng.poisson(world.expectedCount(dayIndex, SESSIONS_PER_DAY)) }, () =>
      world.randomInstant(rng, dayIndex),
    ).sort((a, b) => a - b);
    const sessions: UpscopeSessionSkeleton[] = sessionStarts.map((startMs, index) => {
      const first = rng.pick(world.agents);
      const agentCount = rng.weighted([1, 2, 3], [85, 13, 2]);
      const agentIndexes = [first.index];
      for (let extra = 1; extra < agentCount; extra++) agentIndexes.push(rng.pick(world.agents).index);
      const wentLive = rng.chance(0.93);
      const lengthSeconds = wentLive ? Math.max(15, Math.round(rng.lognormal(420 * first.speed, 0.75))) : rng.int(0, 25);
      return {
        key: dayIndex * 100_000 + index,
        personIndex: world.randomPersonIndex(rng),
        startMs,
        endMs: startMs + lengthSeconds * 1000,
        lengthSeconds,
        agentIndexes,
        wentLive,
      };
    });
    const visits: UpscopeVisit[] = [];
    const visitCount = rng.poisson(world.expectedCount(dayIndex, VISITS_PER_DAY));
    for (let index = 0; index < visitCount; index++) {
      visits.push({ personIndex: world.randomPersonIndex(rng), atMs: world.randomInstant(rng, dayIndex), path: rng.pick(PAGES)[0] });
    }
    for (const session of sessions) visits.push({ personIndex: session.personIndex, atMs: session.endMs, path: "/checkout" });
    visits.sort((a, b) => a.atMs - b.atMs || a.personIndex - b.personIndex);
    return { sessions, visits };
  }

  /** Sessions ended by `nowMs` and inside the history, oldest first. */
  visibleSessions(dayIndex: number, nowMs: number): UpscopeSessionSkeleton[] {
    const historyStart = this.world.historyStartMs(nowMs);
    return this.day(dayIndex).sessions.filter((session) => session.startMs >= historyStart && session.endMs <= nowMs);
  }

  /** Builds the Session object as the API (and a customer's export) carries it. */
  buildSession(skeleton: UpscopeSessionSkeleton): BuiltSession {
    const world = this.world;
    const rng = Rng.for(world.seed, "upscope-session", skeleton.key);
    const person = world.person(skeleton.personIndex);
    const drift = person.upscopeDrift || rng.chance(0.08);
    const offset = rng.pick(DRIFT_OFFSETS);
    const time = (ms: number): string => (drift ? isoWithOffset(ms, offset) : isoUtc(ms));
    const agents = skeleton.agentIndexes.map((index) => world.agents[index]).filter((agent): agent is AgentProfile => agent !== undefined);
    const lead = agents[0];
    const hasCall = skeleton.wentLive && rng.chance(0.35);
    const callSeconds = hasCall ? Math.round(skeleton.lengthSeconds * (0.3 + 0.65 * rng.next())) : 0;
    const features = skeleton.wentLive ? FEATURES.filter(([, share]) => rng.chance(share)).map(([name]) => name as string) : [];
    if (hasCall) features.push("audio");
    if (hasCall && rng.chance(0.25)) features.push("video");
    const videoStatus = skeleton.wentLive ? rng.weighted(VIDEO_STATUSES, VIDEO_WEIGHTS) : rng.pick(["not_available", null] as const);
    const sessionId = drift ? skeleton.key : `ses_${skeleton.key.toString(36)}${rng.hex(4)}`;
    const source = rng.chance(0.02) ? null : rng.weighted(SOURCES, SOURCE_WEIGHTS);
    const visitorRating = skeleton.wentLive && rng.chance(0.38) ? ratingFor(rng, lead) : null;
    const web = person.sdk === "web";
    const page = rng.pick(PAGES);
    const record: RawSession = {
      id: sessionId,
      visitor_id: person.upscopeShortId,
      agents: agents.map((agent, position) => agentObject(agent, drift && position === 0 && rng.chance(0.5), drift)),
      agent_notes:
        lead && rng.chance(0.3) ? [{ text: maybeHostile(rng, rng.pick(NOTES)), by: drift ? lead.index + 1 : lead.upscopeId }] : [],
      call_length_seconds: callSeconds,
      call_name: source === "personal link" && lead ? lead.nickname : null,
      ended_at: time(skeleton.endMs),
      features_used: features,
      formatted_call_length: hasCall ? formatLength(callSeconds) : drift ? "-" : "00:00",
      formatted_length: formatLength(skeleton.lengthSeconds),
      metadata: {
        ...(rng.chance(0.5) ? { ticket_id: `T-${rng.int(10000, 99999)}` } : {}),
        visitor_plan: rng.pick(["free", "pro", "enterprise"]),
        ...(person.uniqueId ? { visitor_unique_id: person.uniqueId } : {}),
      },
      quality_feedback:
        visitorRating !== null
          ? [
              { rating: visitorRating, feedback: rng.chance(0.5) ? maybeHostile(rng, rng.pick(FEEDBACK)) : null, by: person.upscopeShortId },
              ...(lead && rng.chance(0.4) ? [{ rating: rng.int(3, 5), feedback: null, by: drift ? lead.index + 1 : lead.upscopeId }] : []),
            ]
          : [],
      visitor_agent_feedback: agents.length === 1 && visitorRating !== null && rng.chance(0.4) ? maybeHostile(rng, rng.pick(FEEDBACK)) : null,
      visitor_agent_rating: agents.length === 1 ? visitorRating : null,
      visitor_email: person.email,
      visitor_ip_address: person.ipAddress,
      visitor_unique_id: person.uniqueId,
      length_seconds: skeleton.lengthSeconds,
      on_premise: false,
      public_video_url: videoStatus === "ready" ? `https://app.upscope.io/recordings/${sessionId}` : null,
      secret_video_url: videoStatus === "ready" ? `https://videos.upscope.io/s/${rng.hex(32)}.mp4` : null,
      session_authorized: rng.chance(0.9),
      source,
      start_url: web ? `${SITE}${page[0]}` : null,
      started_at: time(skeleton.startMs),
      team: { id: drift ? 1 : "team_demo", domain: "shop.example.com", _type: "team" },
      video_status: videoStatus,
      went_live: skeleton.wentLive,
    };
    const drifted = applySessionDrift(world, skeleton.key, record);
    return { ...applySessionBreakage(world, skeleton.key, drifted.record), drift: drifted.drift };
  }

  /** The Visitor object for a person last seen at `lastSeen`. */
  buildVisitor(person: Person, lastSeen: UpscopeVisit, nowMs: number): RawVisitor {
    return this.buildVisitorWithDrift(person, lastSeen, nowMs).record;
  }

  /** The Visitor object and how it drifted from the docs (the same for a person in every response). */
  buildVisitorWithDrift(person: Person, lastSeen: UpscopeVisit, nowMs: number): BuiltVisitor {
    return applyVisitorDrift(this.world, person.upscopeShortId, this.documentedVisitor(person, lastSeen, nowMs));
  }

  private documentedVisitor(person: Person, lastSeen: UpscopeVisit, nowMs: number): RawVisitor {
    const web = person.sdk === "web";
    const firstSeen = isoUtc(person.addedAtMs);
    const emailLocal = person.email?.split("@")[0];
    return {
      short_id: person.upscopeShortId,
      ...(person.upscopeDrift ? { first_seen_at: isoWithOffset(person.addedAtMs, 60) } : { added_at: firstSeen }),
      api_key: "pk_demo_simulator",
      browser_name: web ? person.platform.browser : null,
      call_name: null,
      device_name: web ? person.platform.deviceName : null,
      device_type: web ? person.platform.deviceType : null,
      email: person.email,
      identities: [person.name, ...(person.email ? [person.email] : [])],
      integration: person.index % 3 === 0 ? "liveperson" : null,
      ip_address: person.ipAddress,
      is_in_session: false,
      is_online: nowMs - lastSeen.atMs <= ONLINE_WINDOW_MS,
      is_supported: true,
      is_waiting_for_call: false,
      js_configuration: person.index % 17 === 0,
      last_seen_at: isoUtc(lastSeen.atMs),
      last_url: web ? `${SITE}${lastSeen.path}` : null,
      location_city: person.place.city,
      location_country_name: person.place.countryName,
      location_country: person.place.countryCode,
      lookup_code: person.lookupCode,
      name: person.name,
      nickname: emailLocal ?? person.name,
      tags: person.tags,
      unique_id: person.uniqueId,
      watch_link: `https://app.upscope.io/w/${person.upscopeShortId}`,
      sdk: person.sdk,
    };
  }

  /**
   * `GET /list?search=`: visitors by last seen, newest first, capped. Scans days backwards
   * and stops at the cap, so memory stays bounded by the cap and the person count.
   */
  list(search: string, cap: number, nowMs: number): RawVisitor[] {
    const matches = parseSearch(search);
    const seen = new Set<number>();
    const result: RawVisitor[] = [];
    const historyStart = this.world.historyStartMs(nowMs);
    for (let day = dayIndexOf(nowMs); day >= dayIndexOf(historyStart) && result.length < cap; day--) {
      const visits = this.day(day).visits;
      for (let index = visits.length - 1; index >= 0 && result.length < cap; index--) {
        const visit = visits[index];
        if (!visit || visit.atMs > nowMs || visit.atMs < historyStart || seen.has(visit.personIndex)) continue;
        seen.add(visit.personIndex);
        const visitor = this.buildVisitor(this.world.person(visit.personIndex), visit, nowMs);
        if (matches(visitor)) result.push(withoutUndefined(visitor));
      }
    }
    return result;
  }

  /** `GET /visitors/{id}`: the visitor with its recent sessions, or null when never seen. */
  visitor(shortId: string, nowMs: number, withHistory: boolean): RawVisitor | null {
    const personIndex = this.world.personIndexFromShortId(shortId);
    if (personIndex === null) return null;
    const historyStart = this.world.historyStartMs(nowMs);
    const recentFrom = nowMs - RECENT_SESSION_DAYS * DAY_MS;
    let lastSeen: UpscopeVisit | null = null;
    const sessions: (RawSession | Record<string, unknown>)[] = [];
    for (let day = dayIndexOf(nowMs); day >= dayIndexOf(historyStart); day--) {
      const { visits } = this.day(day);
      if (!lastSeen) {
        for (let index = visits.length - 1; index >= 0; index--) {
          const visit = visits[index];
          if (visit && visit.personIndex === personIndex && visit.atMs <= nowMs && visit.atMs >= historyStart) {
            lastSeen = visit;
            break;
          }
        }
      }
      if (day * DAY_MS + DAY_MS > recentFrom && sessions.length < RECENT_SESSION_LIMIT) {
        const mine = this.visibleSessions(day, nowMs).filter((session) => session.personIndex === personIndex);
        for (let index = mine.length - 1; index >= 0 && sessions.length < RECENT_SESSION_LIMIT; index--) {
          const skeleton = mine[index];
          if (skeleton) sessions.push(this.buildSession(skeleton).record);
        }
      }
      if (lastSeen && day * DAY_MS <= recentFrom) break;
    }
    if (!lastSeen) return null;
    const person = this.world.person(personIndex);
    // Deliberately broken sessions (invalid-record rate) are served as they are.
    const visitor: RawVisitor = { ...withoutUndefined(this.buildVisitor(person, lastSeen, nowMs)), sessions: sessions as RawSession[] };
    if (withHistory) visitor.history = pageviews(this.world.seed, person, lastSeen);
    return visitor;
  }

  /** `GET /usage`: counts for today (UTC) and the last 30 days. */
  usage(nowMs: number): { agents: number; today: UsageCounts; last_30_days: UsageCounts } {
    const count = (fromMs: number): UsageCounts => {
      const visitors = new Set<number>();
      let sessions = 0;
      let sessionSeconds = 0;
      let callSeconds = 0;
      for (let day = dayIndexOf(fromMs); day <= dayIndexOf(nowMs); day++) {
        for (const visit of this.day(day).visits) if (visit.atMs >= fromMs && visit.atMs <= nowMs) visitors.add(visit.personIndex);
        for (const skeleton of this.visibleSessions(day, nowMs)) {
          if (skeleton.startMs < fromMs) continue;
          const built = this.buildSession(skeleton).record as RawSession;
          sessions++;
          sessionSeconds += skeleton.lengthSeconds;
          callSeconds += typeof built.call_length_seconds === "number" ? built.call_length_seconds : 0;
        }
      }
      return { visitors: visitors.size, sessions, session_seconds: sessionSeconds, call_seconds: callSeconds };
    };
    return {
      agents: this.world.agents.length,
      today: count(dayIndexOf(nowMs) * DAY_MS),
      last_30_days: count(Math.max(this.world.historyStartMs(nowMs), nowMs - 30 * DAY_MS)),
    };
  }
}

export interface UsageCounts {
  visitors: number;
  sessions: number;
  session_seconds: number;
  call_seconds: number;
}

function ratingFor(rng: Rng, agent: AgentProfile | undefined): number {
  const score = 4 + (agent?.quality ?? 0) / 12 + 0.9 * rng.normal();
  return Math.min(5, Math.max(1, Math.round(score)));
}

function agentObject(agent: AgentProfile, external: boolean, drift: boolean): Record<string, unknown> {
  if (external) {
    // Real-world drift: an external agent known only by the customer's identifier.
    return { agent_identifier: agent.externalId ?? agent.email, _type: "external_agent", name: agent.name, agent_nickname: agent.nickname };
  }
  return {
    id: drift ? agent.index + 1 : agent.upscopeId,
    agent_nickname: agent.nickname,
    email: agent.upscopeId.startsWith("ea_") ? null : agent.email,
    external_id: agent.externalId,
    name: agent.name,
    on_premise: false,
  };
}

/**
 * Real-world drift of a session (drift.ts): a new `video_status` or `source`, the length
 * as text, the team id as a number, a null among the features, an undocumented
 * `recording` object, or no `team` at all.
 */
function applySessionDrift(world: World, key: number, record: RawSession): { record: RawSession; drift: AppliedDrift | null } {
  const source = "upscope-session";
  const kind = driftKindFor(world.seed, world.drift, source, key, SIMULATED_DRIFT_KINDS);
  if (!kind) return { record, drift: null };
  const drifted = structuredClone(record) as Record<string, unknown>;
  const pick = (count: number) => driftPick(world.seed, source, key, count);
  let path: (string | number)[];
  switch (kind) {
    case "unknown_enum_value":
      path = pick(2) === 0 ? ["video_status"] : ["source"];
      drifted[path[0] as string] = path[0] === "video_status" ? "transcoding" : "chat widget";
      break;
    case "number_as_string":
      path = ["length_seconds"];
      drifted.length_seconds = String(record.length_seconds);
      break;
    case "number_for_string":
      path = ["team", "id"];
      drifted.team = { ...(record.team ?? {}), id: 1 };
      break;
    case "null_in_array": {
      const features = [...((record.features_used ?? []) as unknown[])];
      const at = pick(features.length + 1);
      features.splice(at, 0, null);
      drifted.features_used = features;
      path = ["features_used", at];
      break;
    }
    case "unknown_field":
      path = ["recording"];
      drifted.recording = { provider: "s3", region: "eu-west-1", retention_days: 30 };
      break;
    case "missing_optional":
      path = ["team"];
      delete drifted.team;
      break;
  }
  return { record: drifted as RawSession, drift: { kind, path } };
}

/**
 * Real-world drift of a visitor: a new `device_type` or `sdk`, the lookup code as a
 * number, a null among the tags, an undocumented `consent` object, or no `browser_name`.
 */
function applyVisitorDrift(world: World, shortId: string, record: RawVisitor): BuiltVisitor {
  const source = "upscope-visitor";
  const kind = driftKindFor(world.seed, world.drift, source, shortId, ["unknown_enum_value", "number_for_string", "null_in_array", "unknown_field", "missing_optional"]);
  if (!kind) return { record, drift: null };
  const drifted = { ...record } as Record<string, unknown>;
  let path: (string | number)[];
  switch (kind) {
    case "unknown_enum_value":
      path = record.device_type ? ["device_type"] : ["sdk"];
      drifted[path[0] as string] = record.device_type ? "vr_headset" : "flutter";
      break;
    case "number_for_string":
      path = ["lookup_code"];
      drifted.lookup_code = Number(record.lookup_code);
      break;
    case "null_in_array": {
      const tags = [...((record.tags ?? []) as unknown[]), null];
      drifted.tags = tags;
      path = ["tags", tags.length - 1];
      break;
    }
    case "unknown_field":
      path = ["consent"];
      drifted.consent = { analytics: true, recording: false };
      break;
    case "missing_optional":
    default:
      path = ["browser_name"];
      delete drifted.browser_name;
      break;
  }
  return { record: drifted as RawVisitor, drift: { kind, path } };
}

function applySessionBreakage(world: World, key: number, record: RawSession): Omit<BuiltSession, "drift"> {
  const kind = breakageKindFor(world.seed, world.config.invalidRecordRate, "upscope-session", key);
  if (!kind) return { record, breakage: null };
  const broken: Record<string, unknown> = { ...record };
  const breakage: Breakage =
    kind === "missing_required"
      ? { kind, path: ["started_at"] }
      : kind === "wrong_type"
        ? { kind, path: ["length_seconds"] }
        : { kind, path: ["ended_at"] };
  setAtPath(broken, breakage.path, kind === "missing_required" ? undefined : kind === "wrong_type" ? "long" : "when the agent hung up");
  return { record: broken, breakage };
}

function pageviews(seed: number, person: Person, lastSeen: UpscopeVisit): NonNullable<RawVisitor["history"]> {
  const rng = Rng.for(seed, "upscope-history", person.index, lastSeen.atMs);
  const count = rng.int(1, 4);
  return Array.from({ length: count }, (_, index) => {
    const ts = lastSeen.atMs - (count - 1 - index) * rng.int(20, 180) * 1000;
    const id = rng.uuid();
    return {
      pageview_id: id,
      ts: isoUtc(ts),
      url: `${SITE}${rng.pick(PAGES)[0]}`,
      events: rng.chance(0.3) ? [{ icon: null, title: "Live chat conversation started", ts: isoUtc(ts + 5000), uuid: rng.uuid() }] : [],
      screenshot: {
        small: { url: `https://screenshots.example.com/${id}/100.png`, height: 100, width: 100 },
        medium: { url: `https://screenshots.example.com/${id}/200.png`, height: 200, width: 200 },
        large: { url: `https://screenshots.example.com/${id}/400.png`, height: 400, width: 400 },
      },
    };
  });
}

/** Drops keys whose value is undefined so JSON output and key order stay stable. */
function withoutUndefined<T extends Record<string, unknown>>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) if (entry !== undefined) out[key] = entry;
  return out as T;
}

/**
 * The documented search tokens, ANDed: an email, `online` / `-online`, `ip:…`, `id:…`
 * (unique id or short id), a 4-digit lookup code, `#tag`; anything else matches name,
 * nickname or email text.
 */
export function parseSearch(search: string): (visitor: RawVisitor) => boolean {
  const tokens = search.trim().split(/\s+/).filter(Boolean);
  const predicates = tokens.map((token): ((visitor: RawVisitor) => boolean) => {
    const lower = token.toLowerCase();
    if (lower === "online") return (visitor) => visitor.is_online === true;
    if (lower === "-online") return (visitor) => visitor.is_online !== true;
    if (lower.startsWith("ip:")) return (visitor) => visitor.ip_address === token.slice(3);
    if (lower.startsWith("id:")) {
      const id = token.slice(3);
      return (visitor) => String(visitor.unique_id ?? "") === id || String(visitor.short_id) === id;
    }
    if (token.startsWith("#")) return (visitor) => (visitor.tags ?? []).includes(token.slice(1));
    if (/^\d{4}$/.test(token)) return (visitor) => String(visitor.lookup_code ?? "") === token;
    if (token.includes("@")) return (visitor) => String(visitor.email ?? "").toLowerCase() === lower;
    return (visitor) =>
      [visitor.name, visitor.nickname, visitor.email].some((text) => typeof text === "string" && text.toLowerCase().includes(lower));
  });
  return (visitor) => predicates.every((predicate) => predicate(visitor));
}
