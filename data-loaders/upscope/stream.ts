/**
 * The two Upscope streams and how raw records become lake rows.
 *
 * - `upscope.sessions`, primary key `session_id`, partitioned by `started_at` (UTC).
 * - `upscope.visitors`, primary key `visitor_id` (the short_id), partitioned by
 *   `first_seen_at`.
 *
 * A session reaches us twice on purpose (from a session file and inside its visitor's
 * recent sessions), so `record_json` is the validated record as *canonical* JSON (keys
 * sorted at every level): the same content hashes the same whichever way it came, and
 * an unchanged record is not rewritten. Validation turns ids into strings (documented
 * drift: numeric ids), so the stored JSON always has string ids.
 */
import type { TableSpec } from "../lake/index.js";
import type { Pseudonymizer } from "../privacy.js";
import { carryDrift } from "../drift/ledger.js";
import { contentHash, type MappedRow } from "../sync/commit.js";
import { pick, validateRecord, type QuarantineEntry } from "../sync/validate.js";
import { Session, Visitor } from "./schemas.js";

export const SESSIONS_TABLE: TableSpec = {
  source: "upscope",
  name: "sessions",
  primaryKey: ["session_id"],
  partitionColumn: "started_at",
  columns: {
    session_id: "VARCHAR",
    started_at: "TIMESTAMP",
    ended_at: "TIMESTAMP",
    visitor_id: "VARCHAR",
    email_pseudonym: "VARCHAR",
    ip_pseudonym: "VARCHAR",
    unique_id_pseudonym: "VARCHAR",
    content_hash: "VARCHAR",
    record_json: "VARCHAR",
  },
};

export const VISITORS_TABLE: TableSpec = {
  source: "upscope",
  name: "visitors",
  primaryKey: ["visitor_id"],
  partitionColumn: "first_seen_at",
  columns: {
    visitor_id: "VARCHAR",
    first_seen_at: "TIMESTAMP",
    last_seen_at: "TIMESTAMP",
    email_pseudonym: "VARCHAR",
    ip_pseudonym: "VARCHAR",
    name_pseudonym: "VARCHAR",
    unique_id_pseudonym: "VARCHAR",
    identity_pseudonyms: "VARCHAR[]",
    content_hash: "VARCHAR",
    record_json: "VARCHAR",
  },
};

/** JSON with object keys sorted at every level (arrays keep their order); undefined members dropped. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const inner = (value as Record<string, unknown>)[key];
    if (inner !== undefined) out[key] = sortKeys(inner);
  }
  return out;
}

/** An Upscope timestamp (`Z` or a numeric offset) as the UTC instant. */
export function toInstant(value: string): Date {
  return new Date(Date.parse(value));
}

/**
 * The session row. `visitorId` is the short_id of the visitor the session was fetched
 * through (or one already known to the lake); it is written into `record_json` only when
 * the session itself does not carry a `visitor_id`.
 */
export function mapSession(session: Session, pseudonym: Pseudonymizer, visitorId: string | undefined): MappedRow {
  const record: Session = session.visitor_id === undefined && visitorId !== undefined ? { ...session, visitor_id: visitorId } : session;
  const recordJson = canonicalJson(record);
  return carryDrift(session, {
    session_id: record.id,
    started_at: toInstant(record.started_at),
    ended_at: record.ended_at ? toInstant(record.ended_at) : null,
    visitor_id: record.visitor_id ?? null,
    email_pseudonym: pseudonym("email", record.visitor_email),
    ip_pseudonym: pseudonym("ip", record.visitor_ip_address),
    unique_id_pseudonym: pseudonym("identity", record.visitor_unique_id),
    content_hash: contentHash(recordJson),
    record_json: recordJson,
  });
}

/**
 * When the visitor was first seen: `added_at`, else the drifted `first_seen_at`, else the
 * earliest session start we know of, else `last_seen_at`. Null only when none exists.
 */
export function firstSeenOf(visitor: Visitor, earliestSessionMs: number | undefined): Date | null {
  const stamp = visitor.added_at ?? visitor.first_seen_at;
  if (stamp !== undefined) return toInstant(stamp);
  if (earliestSessionMs !== undefined) return new Date(earliestSessionMs);
  return visitor.last_seen_at ? toInstant(visitor.last_seen_at) : null;
}

/** The visitor row; `visitor` must already be without `sessions` and `history`. */
export function mapVisitor(visitor: Visitor, firstSeenAt: Date, pseudonym: Pseudonymizer): MappedRow {
  const recordJson = canonicalJson(visitor);
  const identities = (visitor.identities ?? []).map((identity) => pseudonym("identity", identity)).filter((value): value is string => value !== null);
  return carryDrift(visitor, {
    visitor_id: visitor.short_id,
    first_seen_at: firstSeenAt,
    last_seen_at: visitor.last_seen_at ? toInstant(visitor.last_seen_at) : null,
    email_pseudonym: pseudonym("email", visitor.email),
    ip_pseudonym: pseudonym("ip", visitor.ip_address),
    name_pseudonym: pseudonym("name", visitor.name),
    unique_id_pseudonym: pseudonym("identity", visitor.unique_id),
    identity_pseudonyms: [...new Set(identities)],
    content_hash: contentHash(recordJson),
    record_json: recordJson,
  });
}

/** The Visitor object without the arrays that are not part of the visitor row. */
export function withoutSessionsAndHistory(raw: Record<string, unknown>): Record<string, unknown> {
  const { sessions: _sessions, history: _history, ...rest } = raw;
  return rest;
}

/** A validated session waiting for its commit (its visitor id may still be looked up in the lake). */
export interface PendingSession {
  session: Session;
  visitorId: string | undefined;
}

export interface UpscopeBatch {
  sessions: PendingSession[];
  visitors: MappedRow[];
  problems: QuarantineEntry[];
  /** Records quarantined for the first time this run (a session broken in a file and again in the API counts once). */
  newlyQuarantined: number;
}

/**
 * Collects validated records between two commits. Records merge by id inside a batch
 * (a later copy replaces an earlier one: the later fetch wins), so a session seen in a
 * file and again through its visitor is written once. Counts distinct ids over the run.
 */
export class UpscopeCollector {
  private sessions = new Map<string, PendingSession>();
  private visitors = new Map<string, MappedRow>();
  private problems: QuarantineEntry[] = [];
  private readonly seenIds = new Set<string>();
  private readonly badIds = new Set<string>();
  private readonly everBadIds = new Set<string>();
  private newlyQuarantined = 0;

  constructor(
    private readonly pseudonym: Pseudonymizer,
    /** Earliest known session start per visitor (epoch ms), to date visitors without `added_at`. */
    private readonly earliestSessionMs: Map<string, number>,
  ) {}

  /** Distinct records seen this run, and those quarantined (and not later seen valid). */
  get counts(): { records: number; quarantined: number } {
    return { records: this.seenIds.size, quarantined: this.badIds.size };
  }

  get size(): number {
    return this.sessions.size + this.visitors.size + this.problems.length;
  }

  /** Validates one raw Session; `fallbackId` names it in quarantine when it has no id (e.g. `file.ndjson:12`). */
  addSession(raw: unknown, options: { visitorId?: string | undefined; fallbackId: string }): void {
    const checked = validateRecord({ source: "upscope", stream: "sessions" }, Session, raw, (value) => pick(value, "id"));
    const id = `sessions:${pick(raw, "id") ?? options.fallbackId}`;
    this.seenIds.add(id);
    if (!checked.ok) {
      this.markBad(id);
      this.problems.push(...checked.problems.map((problem) => ({ ...problem, recordId: pick(raw, "id") ?? options.fallbackId })));
      return;
    }
    this.badIds.delete(id);
    const session = checked.value;
    const visitorId = session.visitor_id ?? options.visitorId;
    this.sessions.set(session.id, { session, visitorId });
    if (visitorId !== undefined) {
      const start = Date.parse(session.started_at);
      const known = this.earliestSessionMs.get(visitorId);
      if (known === undefined || start < known) this.earliestSessionMs.set(visitorId, start);
    }
  }

  /** Validates one raw Visitor (its `sessions` and `history` are ignored here: add sessions first). */
  addVisitor(raw: unknown, options: { fallbackId: string }): void {
    const record = raw !== null && typeof raw === "object" && !Array.isArray(raw) ? withoutSessionsAndHistory(raw as Record<string, unknown>) : raw;
    const idOf = (value: unknown) => pick(value, "short_id");
    const id = `visitors:${idOf(record) ?? options.fallbackId}`;
    this.seenIds.add(id);
    const checked = validateRecord({ source: "upscope", stream: "visitors" }, Visitor, record, idOf);
    if (!checked.ok) {
      this.markBad(id);
      this.problems.push(...checked.problems.map((problem) => ({ ...problem, recordId: idOf(record) ?? options.fallbackId })));
      return;
    }
    const visitor = checked.value;
    const firstSeenAt = firstSeenOf(visitor, this.earliestSessionMs.get(visitor.short_id));
    if (firstSeenAt === null) {
      // The partition column cannot be null; without any date the visitor cannot be placed.
      this.markBad(id);
      this.problems.push({
        source: "upscope",
        stream: "visitors",
        recordId: visitor.short_id,
        fieldPath: "added_at",
        message: "no added_at, first_seen_at, session or last_seen_at to date the visitor by",
        raw: record,
      });
      return;
    }
    this.badIds.delete(id);
    this.visitors.set(visitor.short_id, mapVisitor(visitor, firstSeenAt, this.pseudonym));
  }

  private markBad(id: string): void {
    this.badIds.add(id);
    if (!this.everBadIds.has(id)) {
      this.everBadIds.add(id);
      this.newlyQuarantined += 1;
    }
  }

  /** Records a problem that is not a schema failure (a malformed NDJSON line). */
  addProblem(entry: QuarantineEntry): void {
    const id = `${entry.stream}:${entry.recordId}`;
    this.seenIds.add(id);
    this.markBad(id);
    this.problems.push(entry);
  }

  /** Hands over everything collected since the last call. */
  take(): UpscopeBatch {
    const batch: UpscopeBatch = {
      sessions: [...this.sessions.values()],
      visitors: [...this.visitors.values()],
      problems: this.problems,
      newlyQuarantined: this.newlyQuarantined,
    };
    this.newlyQuarantined = 0;
    this.sessions = new Map();
    this.visitors = new Map();
    this.problems = [];
    return batch;
  }
}
