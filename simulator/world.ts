/**
 * The simulated company: its customers (shared by all three sources so cross-source joins
 * find them), its agents (skills, groups, different performance) and the calendar rhythm.
 * Everything is derived from the seed; people are computed by index on demand.
 */
import { EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES, PLACES, PLATFORMS, PLATFORM_WEIGHTS, TAGS, maybeHostile } from "./content.js";
import type { Place, Platform } from "./content.js";
import { NO_DRIFT, type DriftSettings } from "./drift.js";
import type { MetricShift } from "./shift.js";
import { LruCache } from "./lru.js";
import { Rng, hashKey } from "./rng.js";
import { DAY_MS, dayIndexOf } from "./time.js";

export interface WorldConfig {
  seed: number;
  scale: number;
  /** History length in days before `now`. */
  days: number;
  /** The simulator clock (fixed with --now, else the real clock). */
  nowMs: () => number;
  /** LivePerson account id (engagement ids are this plus a number). */
  accountId: string;
  /** Share of records generated deliberately schema-breaking (0..1). */
  invalidRecordRate: number;
  /** How many generated days each source keeps in memory. */
  dayCacheSize: number;
  /** Share of records that list and search responses serve (1: all; less: a vendor losing data). */
  servedShare?: number;
  /** Share of LivePerson records served with `info.isPartial: true` (default 0.04). */
  livePersonPartialShare?: number;
  /** Vendor drift (drift.ts): which share of records is served drifted from the docs, and how. */
  drift?: DriftSettings;
  /** A real change on purpose (shift.ts), so the site's noise rules have one to find. */
  shift?: MetricShift;
}

export interface Person {
  index: number;
  name: string;
  firstName: string;
  email: string | null;
  /** The customer's id in the company's own systems (Upscope unique_id, LivePerson SDE customerId). */
  uniqueId: string | null;
  upscopeShortId: string;
  livePersonVisitorId: string;
  lookupCode: string;
  ipAddress: string;
  place: Place;
  platform: Platform;
  sdk: "web" | "ios" | "android";
  tags: string[];
  /** Upscope first-seen time, before the simulated history. */
  addedAtMs: number;
  /** Some visitors come back as `first_seen_at` instead of `added_at` (documented drift). */
  upscopeDrift: boolean;
}

export interface AgentProfile {
  index: number;
  name: string;
  nickname: string;
  email: string;
  livePersonId: number;
  upscopeId: string;
  externalId: string | null;
  skillIds: number[];
  groupId: number;
  /** Multiplies chat durations (slow agents > 1). */
  speed: number;
  /** Added to the conversation score (MCS) of this agent's chats. */
  quality: number;
}

export interface Skill {
  id: number;
  name: string;
  weight: number;
}
export interface AgentGroup {
  id: number;
  name: string;
}

export const SKILLS: readonly Skill[] = [
  { id: 1001, name: "Sales", weight: 30 },
  { id: 1002, name: "Billing", weight: 22 },
  { id: 1003, name: "Tech Support", weight: 28 },
  { id: 1004, name: "Onboarding", weight: 10 },
  { id: 1005, name: "Retention", weight: 6 },
  { id: -1, name: "Unassigned", weight: 4 },
];
export const AGENT_GROUPS: readonly AgentGroup[] = [
  { id: -1, name: "Main Group" },
  { id: 10, name: "EMEA" },
  { id: 11, name: "Americas" },
  { id: 12, name: "APAC" },
];

/** Relative volume by weekday (0 = Sunday) and by UTC hour. */
const WEEKDAY_FACTOR = [0.3, 1.12, 1.18, 1.1, 1.05, 0.95, 0.42];
export const HOUR_WEIGHTS = [
  0.5, 0.35, 0.25, 0.2, 0.25, 0.5, 1.2, 2.5, 4.5, 6, 6.5, 6.3, 5.4, 5.8, 6.4, 6.2, 5.6, 4.8, 3.8, 3, 2.4, 1.8, 1.2, 0.8,
];
const HOURS = Array.from({ length: 24 }, (_, hour) => hour);

export class World {
  readonly personCount: number;
  readonly agents: readonly AgentProfile[];
  private readonly people = new LruCache<number, Person>(4096);

  constructor(readonly config: WorldConfig) {
    this.personCount = Math.max(200, Math.round(2500 * config.scale));
    this.agents = buildAgents(config.seed, Math.max(8, Math.round(18 * Math.sqrt(config.scale))));
  }
  /**
   * Whether list and search responses include this record. Always true unless
   * `servedShare` < 1, when a fixed, seeded subset goes missing: the vendor outage
   * that a data contract must catch.
   */
  isServed(recordId: string): boolean {
    const share = this.config.servedShare ?? 1;
    return share >= 1 || (hashKey(this.config.seed, "served", recordId) >>> 0) / 4294967296 < share;
  }


  get seed(): number {
    return this.config.seed;
  }

  get drift(): DriftSettings {
    return this.config.drift ?? NO_DRIFT;
  }

  /** First instant of the simulated history. */
  historyStartMs(nowMs = this.config.nowMs()): number {
    return nowMs - this.config.days * DAY_MS;
  }

  /** The day indexes that intersect the history, oldest first. */
  historyDays(nowMs = this.config.nowMs()): number[] {
    const days: number[] = [];
    for (let day = dayIndexOf(this.historyStartMs(nowMs)); day <= dayIndexOf(nowMs); day++) days.push(day);
    return days;
  }

  /** Expected record count for a day, given a per-day base volume at scale 1. */
  expectedCount(dayIndex: number, basePerDay: number): number {
    const weekday = new Date(dayIndex * DAY_MS).getUTCDay();
    return basePerDay * this.config.scale * (WEEKDAY_FACTOR[weekday] ?? 1);
  }

  /** A start instant within the day, following the hourly rhythm. */
  randomInstant(rng: Rng, dayIndex: number): number {
    const hour = rng.weighted(HOURS, HOUR_WEIGHTS);
    return dayIndex * DAY_MS + hour * 3_600_000 + Math.floor(rng.next() * 3_600_000);
  }

  /** Customers come back: low indexes are picked more often (a few loyal, many one-off). */
  randomPersonIndex(rng: Rng): number {
    return Math.min(this.personCount - 1, Math.floor(this.personCount * rng.next() ** 1.6));
  }

  person(index: number): Person {
    return this.people.getOrCreate(index, () => buildPerson(this.config.seed, index, this.config.nowMs(), this.config.days));
  }

  /** Inverse of `upscopeShortId`: the person index, or null for an unknown id. */
  personIndexFromShortId(shortId: string): number | null {
    const index = Number.parseInt(shortId.slice(2), 36);
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.personCount) return null;
    return upscopeShortId(this.config.seed, index) === shortId ? index : null;
  }

  /** Inverse of `livePersonVisitorId`. */
  personIndexFromLivePersonVisitorId(visitorId: string): number | null {
    const index = Number.parseInt(visitorId.slice(9), 36);
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.personCount) return null;
    return livePersonVisitorId(this.config.seed, index) === visitorId ? index : null;
  }

  agentsWithSkill(skillId: number): AgentProfile[] {
    const matching = this.agents.filter((agent) => agent.skillIds.includes(skillId));
    return matching.length > 0 ? matching : [...this.agents];
  }
}

const LETTERS = "abcdefghijklmnopqrstuvwxyz";

function upscopeShortId(seed: number, index: number): string {
  const hash = hashKey(seed, "upscope-short-id", index);
  return `${LETTERS[hash % 26]}${LETTERS[Math.floor(hash / 26) % 26]}${index.toString(36)}`;
}

function livePersonVisitorId(seed: number, index: number): string {
  const hash = hashKey(seed, "lp-visitor-id", index).toString(36).padStart(7, "0").slice(0, 7);
  return `V${hash}x${index.toString(36)}`;
}

function buildPerson(seed: number, index: number, nowMs: number, days: number): Person {
  const rng = Rng.for(seed, "person", index);
  const firstName = rng.pick(FIRST_NAMES);
  const lastName = rng.pick(LAST_NAMES);
  const place = rng.pick(PLACES);
  const platform = rng.weighted(PLATFORMS, PLATFORM_WEIGHTS);
  const emailLocal = `${firstName}.${lastName}`
    .normalize("NFD")
    .replace(/[^A-Za-z.]/g, "")
    .toLowerCase();
  const email = rng.chance(0.78) ? `${emailLocal || "customer"}${index}@${rng.pick(EMAIL_DOMAINS)}` : null;
  const sdkRoll = rng.next();
  const sdk = platform.deviceType === "desktop" || sdkRoll < 0.8 ? "web" : platform.os === "iOS" ? "ios" : "android";
  const tags = TAGS.filter(() => rng.chance(0.12));
  // First seen before the history starts (day-granular so a running clock does not shift it).
  const historyStartDay = dayIndexOf(nowMs) - days;
  const addedAtMs = (historyStartDay - rng.int(1, 400)) * DAY_MS + rng.int(0, DAY_MS - 1);
  return {
    index,
    firstName,
    name: maybeHostile(rng, `${firstName} ${lastName}`, 0.01),
    email,
    uniqueId: rng.chance(0.6) ? `cust-${String(index).padStart(6, "0")}` : null,
    upscopeShortId: upscopeShortId(seed, index),
    livePersonVisitorId: livePersonVisitorId(seed, index),
    lookupCode: String(rng.int(1000, 9999)),
    ipAddress: `${place.ipPrefix}.${rng.int(1, 254)}`,
    place,
    platform,
    sdk,
    tags,
    addedAtMs,
    upscopeDrift: rng.chance(0.1),
  };
}

function buildAgents(seed: number, count: number): AgentProfile[] {
  const rng = Rng.for(seed, "agents");
  const agents: AgentProfile[] = [];
  const skillIds = SKILLS.filter((skill) => skill.id !== -1).map((skill) => skill.id);
  for (let index = 0; index < count; index++) {
    const firstName = rng.pick(FIRST_NAMES);
    const lastName = rng.pick(LAST_NAMES);
    const nickname = `${firstName}`.normalize("NFD").replace(/[^A-Za-z]/g, "").toLowerCase() || "agent";
    const skills = skillIds.filter(() => rng.chance(0.45));
    const group = AGENT_GROUPS[index % AGENT_GROUPS.length] ?? AGENT_GROUPS[0];
    agents.push({
      index,
      name: `${firstName} ${lastName}`,
      nickname: `${nickname}${index}`,
      email: `${nickname}.${index}@support.example.com`,
      livePersonId: 213_185_800 + index * 7,
      upscopeId: index % 5 === 0 ? `u_${rng.hex(10)}` : `ea_${rng.hex(10)}`,
      externalId: index % 5 === 0 ? null : `crm-agent-${100 + index}`,
      skillIds: skills.length > 0 ? skills : [rng.pick(skillIds)],
      groupId: group?.id ?? -1,
      speed: Math.exp(0.25 * rng.normal()),
      quality: Math.round(10 * rng.normal()),
    });
  }
  return agents;
}
