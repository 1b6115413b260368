/**
 * The `liveperson.engagements` stream. Primary key: `engagementId`. Cursor: the end
 * of the last fully read window of engagement start times. Paginator: offset pages
 * of 100 inside windows of at most a month (a day by default, to keep memory flat).
 *
 * Exactness rules, each from the vendor's documented behaviour:
 * - a page with `partialResult: true` misses shards: it is asked again;
 * - a record with `info.isPartial: true` is fetched again by its engagementId;
 * - if the window's count changes while paging (late data landing), offsets shift:
 *   the window is paged again, records merging by id;
 * - late data (up to two hours after the chat ends) is caught by re-reading a
 *   trailing window on the next run; re-fetched records that did not change are
 *   not rewritten.
 */
import type { SearchFilterInput } from "./schemas.js";
import { InteractionHistoryRecord } from "./schemas.js";
import type { TableSpec } from "../lake/index.js";
import type { Pseudonymizer } from "../privacy.js";
import { carryDrift } from "../drift/ledger.js";
import { contentHash, type MappedRow } from "../sync/commit.js";
import { pick, validateRecord, type QuarantineEntry } from "../sync/validate.js";
import { MAX_WINDOW_MS, PAGE_SIZE, type LivePersonClient, type SearchPage } from "./client.js";

export const ENGAGEMENTS_TABLE: TableSpec = {
  source: "liveperson",
  name: "engagements",
  primaryKey: ["engagement_id"],
  partitionColumn: "start_time",
  columns: {
    engagement_id: "VARCHAR",
    start_time: "TIMESTAMP",
    end_time: "TIMESTAMP",
    visitor_pseudonym: "VARCHAR",
    visitor_name_pseudonym: "VARCHAR",
    ip_pseudonym: "VARCHAR",
    email_pseudonyms: "VARCHAR[]",
    content_hash: "VARCHAR",
    record_json: "VARCHAR",
  },
};

const TEN_MINUTES = 10 * 60 * 1000;
const PARTIAL_PAGE_ATTEMPTS = 6;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export interface Window {
  from: number;
  to: number;
}

/** Splits [from, to) into windows of at most `windowMs` (and a month), on 10-minute marks. */
export function planWindows(from: number, to: number, windowMs: number): Window[] {
  const size = Math.min(windowMs, MAX_WINDOW_MS);
  const start = Math.floor(from / TEN_MINUTES) * TEN_MINUTES;
  const end = Math.ceil(to / TEN_MINUTES) * TEN_MINUTES;
  const windows: Window[] = [];
  for (let cursor = start; cursor < end; cursor += size) windows.push({ from: cursor, to: Math.min(cursor + size, end) });
  return windows;
}

/** Emails a record carries in structured fields (pre-chat survey, personal-info SDEs). */
function structuredEmails(record: InteractionHistoryRecord): string[] {
  const emails = new Set<string>();
  for (const answer of record.surveys?.preChat ?? []) {
    for (const value of [answer.value, ...(answer.values ?? [])]) {
      if (typeof value === "string" && EMAIL.test(value.trim())) emails.add(value.trim());
    }
  }
  const visit = (value: unknown, depth: number): void => {
    if (depth > 6 || value === null || typeof value !== "object") return;
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      if (key === "email" && typeof inner === "string" && EMAIL.test(inner.trim())) emails.add(inner.trim());
      else visit(inner, depth + 1);
    }
  };
  for (const event of record.sdes?.events ?? []) visit((event as Record<string, unknown>).personalInfo, 0);
  return [...emails].sort();
}

export function mapEngagement(record: InteractionHistoryRecord, pseudonym: Pseudonymizer): MappedRow {
  const recordJson = JSON.stringify(record);
  const emails = structuredEmails(record)
    .map((email) => pseudonym("email", email))
    .filter((value): value is string => value !== null);
  return carryDrift(record, {
    engagement_id: record.info.engagementId,
    start_time: new Date(record.info.startTimeL),
    end_time: new Date(record.info.endTimeL),
    visitor_pseudonym: pseudonym("identity", record.info.visitorId ?? null),
    visitor_name_pseudonym: pseudonym("name", record.info.visitorName ?? null),
    ip_pseudonym: pseudonym("ip", record.visitorInfo?.ipAddress ?? null),
    email_pseudonyms: [...new Set(emails)],
    content_hash: contentHash(recordJson),
    record_json: recordJson,
  });
}

export interface WindowHooks {
  onPage(page: SearchPage, requestBody: SearchFilterInput): Promise<void>;
  onRetry(): void;
}

export interface WindowResult {
  rows: MappedRow[];
  problems: QuarantineEntry[];
  records: number;
}

const recordIdOf = (raw: unknown) => pick(raw, "info", "engagementId");

/** Reads every engagement that started in the window, exactly once each. */
export async function readWindow(
  client: LivePersonClient,
  window: Window,
  pseudonym: Pseudonymizer,
  hooks: WindowHooks,
): Promise<WindowResult> {
  const filter: SearchFilterInput = { start: { from: window.from, to: window.to } };
  const rows = new Map<string, MappedRow>();
  const problems = new Map<string, QuarantineEntry[]>();
  let records = 0;

  const accept = async (raw: unknown): Promise<void> => {
    records += 1;
    let checked = validateRecord({ source: "liveperson", stream: "engagements" }, InteractionHistoryRecord, raw, recordIdOf);
    if (checked.ok && checked.value.info.isPartial === true) {
      const id = checked.value.info.engagementId;
      const full = await fetchComplete(client, id, window, hooks);
      checked = validateRecord({ source: "liveperson", stream: "engagements" }, InteractionHistoryRecord, full, recordIdOf);
      if (checked.ok && checked.value.info.isPartial === true) {
        throw new Error(`liveperson engagement ${id} is still partial when fetched by its id`);
      }
    }
    if (checked.ok) {
      rows.set(checked.value.info.engagementId, mapEngagement(checked.value, pseudonym));
      problems.delete(checked.value.info.engagementId);
    } else {
      const id = recordIdOf(raw) ?? `window ${window.from} #${records}`;
      if (!rows.has(id)) problems.set(id, checked.problems);
    }
  };

  // Page the window; if its count moved while we paged, page it once more.
  for (let pass = 0; pass < 3; pass += 1) {
    let offset = 0;
    let firstCount: number | undefined;
    let lastCount = 0;
    for (;;) {
      const page = await completePage(client, filter, offset, hooks);
      firstCount ??= page.metadata.count;
      lastCount = page.metadata.count;
      // Partial records are fetched again concurrently (the HTTP client bounds requests
      // in flight); one at a time, each would add a full round trip to the window.
      await Promise.all(page.records.map((raw) => accept(raw)));
      offset += page.records.length;
      if (page.records.length === 0 || offset >= page.metadata.count) break;
    }
    if (firstCount === lastCount) break;
    hooks.onRetry();
  }
  return { rows: [...rows.values()], problems: [...problems.values()].flat(), records };
}

async function completePage(client: LivePersonClient, filter: SearchFilterInput, offset: number, hooks: WindowHooks): Promise<SearchPage> {
  for (let attempt = 1; ; attempt += 1) {
    const page = await client.search(filter, offset, PAGE_SIZE);
    await hooks.onPage(page, filter);
    if (page.metadata.shardsStatusResult?.partialResult !== true) return page;
    if (attempt >= PARTIAL_PAGE_ATTEMPTS) {
      throw new Error(`liveperson search page at offset ${offset} stayed partial (failed shards) after ${attempt} attempts`);
    }
    hooks.onRetry();
  }
}

async function fetchComplete(client: LivePersonClient, engagementId: string, window: Window, hooks: WindowHooks): Promise<unknown> {
  const page = await completePage(client, { start: { from: window.from, to: window.to }, engagementId }, 0, hooks);
  const match = page.records.find((raw) => recordIdOf(raw) === engagementId);
  if (match === undefined) throw new Error(`liveperson engagement ${engagementId} was listed but not found by its id`);
  return match;
}
