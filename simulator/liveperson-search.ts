/**
 * LivePerson `interactions/search` semantics (seed 003): parameter limits, the start window
 * (at most one month, rounded outward to 10 minutes), the filters, sorting and paging.
 * Pure logic over engagement skeletons; the route turns the outcome into HTTP.
 */
import type { SearchFilter } from "../data-loaders/liveperson/schemas.js";
import type { BuiltEngagement, EngagementSkeleton, LivePersonData, RawEngagement } from "./generate/liveperson.js";
import { dayIndexOf, DAY_MS } from "./time.js";
import type { World } from "./world.js";

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 100;
export const MAX_SOURCE_LENGTH = 20;
/** "One month": 31 days, checked on the window as sent (before rounding). */
export const MAX_WINDOW_MS = 31 * DAY_MS;
export const ROUNDING_MS = 10 * 60_000;

export type SortField = "start" | "end" | "duration" | "visitor" | "engagementId" | "interactive" | "agentId" | "skillId";
export interface SortKey {
  field: SortField;
  descending: boolean;
}

export interface PageParams {
  offset: number;
  limit: number;
  sort: SortKey[];
  sortText: string | null;
  source: string | null;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const SORT_FIELDS = new Set<string>(["start", "end", "duration", "visitor", "engagementId", "interactive", "agentId", "skillId"]);

/** Validates `offset`, `limit`, `sort` and `source`. */
export function parsePageParams(params: URLSearchParams): Parsed<PageParams> {
  const offsetText = params.get("offset");
  const limitText = params.get("limit");
  const offset = offsetText === null || offsetText === "" ? 0 : Number(offsetText);
  const limit = limitText === null || limitText === "" ? DEFAULT_LIMIT : Number(limitText);
  if (!Number.isInteger(offset) || offset < 0) return { ok: false, message: "offset must be a non-negative integer" };
  if (!Number.isInteger(limit) || limit < 1) return { ok: false, message: "limit must be a positive integer" };
  if (limit > MAX_LIMIT) return { ok: false, message: `limit must not exceed ${MAX_LIMIT}` };
  const source = params.get("source");
  if (source !== null && source.length > MAX_SOURCE_LENGTH) {
    return { ok: false, message: `source must not exceed ${MAX_SOURCE_LENGTH} characters` };
  }
  const sortText = params.get("sort");
  const sort: SortKey[] = [];
  if (sortText) {
    for (const part of sortText.split(",")) {
      const [field = "", direction = "asc"] = part.trim().split(":");
      if (!SORT_FIELDS.has(field)) return { ok: false, message: `invalid sort field: ${field}` };
      // The docs' own example writes "start:des".
      if (!["asc", "desc", "des"].includes(direction)) return { ok: false, message: `invalid sort order: ${direction}` };
      sort.push({ field: field as SortField, descending: direction !== "asc" });
    }
  }
  return { ok: true, value: { offset, limit, sort, sortText, source } };
}

export interface SearchResult {
  count: number;
  /** The page's records, in order. */
  page: EngagementSkeleton[];
  /** True when the page must be served complete (search by engagementId). */
  complete: boolean;
  /** The start window actually applied (rounded), when there was one. */
  window: { from: number; to: number } | null;
}

function requireRange(
  name: string,
  range: { from?: number | undefined; to?: number | undefined } | undefined,
): Parsed<{ from: number; to: number } | null> {
  if (!range) return { ok: true, value: null };
  if (range.from === undefined || range.to === undefined) return { ok: false, message: `${name}: both from and to are mandatory` };
  return { ok: true, value: { from: range.from, to: range.to } };
}

/** Runs a search at the simulator clock `nowMs`. */
export function search(data: LivePersonData, world: World, filter: SearchFilter, page: PageParams, nowMs: number): Parsed<SearchResult> {
  const duration = requireRange("duration", filter.duration);
  if (!duration.ok) return duration;
  const coBrowseDuration = requireRange("coBrowseDuration", filter.coBrowseDuration);
  if (!coBrowseDuration.ok) return coBrowseDuration;

  let candidates: EngagementSkeleton[];
  let window: { from: number; to: number } | null = null;
  const complete = filter.engagementId !== undefined;
  if (filter.engagementId !== undefined) {
    // Time limits are ignored: look the engagement up directly.
    const found = data.findByEngagementId(filter.engagementId);
    candidates = found && data.isVisible(found, nowMs) ? [found] : [];
  } else if (filter.visitor !== undefined) {
    const personIndex = world.personIndexFromLivePersonVisitorId(filter.visitor);
    candidates = [];
    if (personIndex !== null) {
      for (const day of world.historyDays(nowMs)) {
        for (const skeleton of data.day(day)) if (skeleton.personIndex === personIndex && data.isVisible(skeleton, nowMs)) candidates.push(skeleton);
      }
    }
  } else {
    if (!filter.start) return { ok: false, message: "start {from, to} is required" };
    const { from, to } = filter.start;
    if (from > to) return { ok: false, message: "start.from must not be after start.to" };
    if (to - from > MAX_WINDOW_MS) return { ok: false, message: "start: the maximum time interval is one month" };
    window = { from: Math.floor(from / ROUNDING_MS) * ROUNDING_MS, to: Math.ceil(to / ROUNDING_MS) * ROUNDING_MS };
    candidates = [];
    const lastDay = Math.min(dayIndexOf(window.to), dayIndexOf(nowMs));
    for (let day = dayIndexOf(window.from); day <= lastDay; day++) {
      for (const skeleton of data.day(day)) {
        if (skeleton.startMs >= window.from && skeleton.startMs <= window.to && data.isVisible(skeleton, nowMs) && world.isServed(skeleton.engagementId)) {
          candidates.push(skeleton);
        }
      }
    }
  }

  const matches = complete ? candidates : candidates.filter((skeleton) => matchesFilter(data, world, skeleton, filter, duration.value, coBrowseDuration.value));
  if (page.sort.length > 0) matches.sort(comparator(world, page.sort));
  return { ok: true, value: { count: matches.length, page: matches.slice(page.offset, page.offset + page.limit), complete, window } };
}

function inSet(values: readonly string[] | undefined, value: number | string): boolean {
  return values === undefined || values.length === 0 || values.includes(String(value));
}

function matchesFilter(
  data: LivePersonData,
  world: World,
  skeleton: EngagementSkeleton,
  filter: SearchFilter,
  duration: { from: number; to: number } | null,
  coBrowseDuration: { from: number; to: number } | null,
): boolean {
  const agent = world.agents[skeleton.agentIndex];
  if (filter.interactive === true && !skeleton.interactive) return false;
  if (!inSet(filter.skillIds, skeleton.skillId)) return false;
  if (!inSet(filter.agentIds, agent?.livePersonId ?? -1)) return false;
  if (!inSet(filter.agentGroupIds, skeleton.agentGroupId)) return false;
  if (filter.channel !== undefined && skeleton.channel !== filter.channel) return false;
  if (duration && (skeleton.durationSeconds < duration.from || skeleton.durationSeconds > duration.to)) return false;
  if (!inSet(filter.alertedMcsValues, skeleton.alertedMcs)) return false;
  if (filter.chatMCS) {
    const from = filter.chatMCS.from ?? 0;
    const to = filter.chatMCS.to ?? 100;
    if (skeleton.chatMcs < from || skeleton.chatMcs > to) return false;
  }
  const areas = filter.keyword_search_area?.types;
  if (filter.mcs !== undefined && (areas === undefined || areas.includes("mcs")) && skeleton.alertedMcs !== filter.mcs) return false;
  if (filter.hasInteractiveCoBrowse !== undefined && skeleton.hasInteractiveCoBrowse !== filter.hasInteractiveCoBrowse) return false;
  if (coBrowseDuration && !skeleton.coBrowseSeconds.some((seconds) => seconds >= coBrowseDuration.from && seconds <= coBrowseDuration.to)) {
    return false;
  }
  if (filter.lineContentTypes?.includes("RICH_CONTENT") && !skeleton.hasRichContent) return false;
  if (filter.keyword !== undefined && filter.keyword.trim() !== "") {
    // Match on the record as this search serves it (a partial record lacks the missing lines).
    const built = data.buildRecord(skeleton, false);
    if (!keywordMatches(built, filter.keyword, areas)) return false;
  }
  return true;
}

const SDE_KEYS: Record<string, string[]> = {
  "ea.purchase": ["purchase"],
  "ea.viewedProduct": ["viewProduct"],
  "ea.cartStatus": ["cartStatus"],
  "ea.serviceActivity": ["serviceActivity"],
  "ea.visitorError": ["formFillingError", "visitorError"],
  "ea.lead": ["lead"],
  "ea.customerInfo": ["customerInfo"],
  "ea.marketingCampaignInfo": ["marketingCampaignInfo"],
  "ea.personalInfo": ["personalInfo"],
};

/** Case-insensitive containment; a quoted keyword is searched as one phrase. */
function keywordMatches(built: BuiltEngagement, keyword: string, areas: readonly string[] | undefined): boolean {
  const needle = keyword.trim().replace(/^"(.*)"$/, "$1").toLowerCase();
  const record = built.record as RawEngagement;
  const wanted = areas && areas.length > 0 ? areas : ["chatLine", "surveyAnswer", "surveyQuestion", "visitorInfo", ...Object.keys(SDE_KEYS)];
  const texts: string[] = [];
  for (const area of wanted) {
    // Served records may carry drift (nulls in arrays, numbers for texts): read them as text.
    if (area === "chatLine") for (const line of record.transcript?.lines ?? []) texts.push(String(line?.text ?? ""));
    const answers = [...(record.surveys?.preChat ?? []), ...(record.surveys?.postChat ?? []), ...(record.surveys?.operator ?? [])];
    if (area === "surveyAnswer") for (const answer of answers) texts.push(String(answer?.value ?? ""));
    if (area === "surveyQuestion") for (const answer of answers) texts.push(String(answer?.displayName ?? ""));
    if (area === "visitorInfo") texts.push(JSON.stringify(record.visitorInfo ?? {}));
    const keys = SDE_KEYS[area];
    if (keys) {
      for (const event of record.sdes?.events ?? []) for (const key of keys) if (event && key in event) texts.push(JSON.stringify(event[key]));
    }
  }
  return texts.some((text) => text.toLowerCase().includes(needle));
}

function comparator(world: World, keys: readonly SortKey[]): (a: EngagementSkeleton, b: EngagementSkeleton) => number {
  const value = (skeleton: EngagementSkeleton, field: SortField): number | string => {
    switch (field) {
      case "start":
        return skeleton.startMs;
      case "end":
        return skeleton.endMs;
      case "duration":
        return skeleton.durationSeconds;
      case "visitor":
        return world.person(skeleton.personIndex).livePersonVisitorId;
      case "engagementId":
        return skeleton.number;
      case "interactive":
        return skeleton.interactive ? 1 : 0;
      case "agentId":
        return world.agents[skeleton.agentIndex]?.livePersonId ?? 0;
      case "skillId":
        return skeleton.skillId;
    }
  };
  return (a, b) => {
    for (const key of keys) {
      const left = value(a, key.field);
      const right = value(b, key.field);
      if (left !== right) return (left < right ? -1 : 1) * (key.descending ? -1 : 1);
    }
    return a.number - b.number;
  };
}
