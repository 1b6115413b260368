/**
 * The embedded-events stream: `embedded.events`, one row per recorded event, primary
 * key `event_id` (the id the recorder gave the event), partitioned by `recorded_at`.
 *
 * `record_json` is the envelope as recorded (canonical JSON, without the collector's
 * `receivedAt`), so an event delivered twice (a re-sent batch, an endpoint that does
 * not de-duplicate) hashes the same and is not rewritten. The lake is private: the
 * record keeps whatever visitor fields the recorder's setting allowed; staging
 * publishes none of them.
 *
 * An event the recorder itself found invalid (its `invalid` report) and a line that is
 * not a recorded event at all are quarantined with the field path and message.
 */
import { carryDrift, noteDrift } from "../drift/ledger.js";
import { DRIFT_KINDS, parseWithDrift, type DriftFinding, type DriftKind } from "../drift/policy.js";
import type { QuarantineRecord, TableSpec } from "../lake/index.js";
import { contentHash, type MappedRow } from "../sync/commit.js";
import { describeIssue, formatPath, pick, redactMessage } from "../sync/validate.js";
import { canonicalJson } from "../upscope/stream.js";
import { RecordedEvent } from "./schemas.js";
import { EMBEDDED_SOURCE } from "./config.js";

export const EVENTS_TABLE: TableSpec = {
  source: EMBEDDED_SOURCE,
  name: "events",
  primaryKey: ["event_id"],
  partitionColumn: "recorded_at",
  columns: {
    event_id: "VARCHAR",
    recorded_at: "TIMESTAMP",
    received_at: "TIMESTAMP",
    event_type: "VARCHAR",
    session_id: "VARCHAR",
    embed_id: "VARCHAR",
    visitor_id: "VARCHAR",
    agent_id: "VARCHAR",
    sequence: "BIGINT",
    content_hash: "VARCHAR",
    record_json: "VARCHAR",
  },
};

/** A quarantine entry before it gets its run id and time. */
export type EventProblem = Omit<QuarantineRecord, "fetchedAt" | "runId">;

/**
 * The drift the recorder met in the iframe's message (and normalised before sending),
 * with paths from the recorded envelope: `event.state.mode`, as the sync's own
 * validation names what it still sees.
 */
function recorderDrift(event: RecordedEvent): DriftFinding[] {
  return (event.drift ?? []).map((finding) => ({
    path: `event.${finding.path}`,
    kind: (DRIFT_KINDS as readonly string[]).includes(finding.kind) ? (finding.kind as DriftKind) : "unknown_field",
    example: finding.example,
  }));
}

/** The row of a valid event (one that carries `event`, not an `invalid` report). */
export function mapRecordedEvent(event: RecordedEvent): MappedRow {
  const { receivedAt, ...recorded } = event;
  const recordJson = canonicalJson(recorded);
  const state = event.event?.type === "upscope.sessionState.update" ? event.event.state : undefined;
  return carryDrift(event, {
    event_id: event.id,
    recorded_at: new Date(Date.parse(event.recordedAt)),
    received_at: receivedAt ? new Date(Date.parse(receivedAt)) : null,
    event_type: event.event?.type ?? null,
    session_id: event.context?.sessionId ?? null,
    embed_id: event.embedId,
    visitor_id: event.context?.visitorId ?? state?.visitor?.shortId ?? null,
    agent_id: event.context?.agentId ?? null,
    sequence: event.sequence,
    content_hash: contentHash(recordJson),
    record_json: recordJson,
  }, recorderDrift(event));
}

/**
 * Collects rows and problems between two commits. Rows merge by event id (the later
 * copy wins); counts are of distinct records over the run.
 */
export class RecordedEventCollector {
  private rows = new Map<string, MappedRow>();
  private problems: EventProblem[] = [];
  private readonly seen = new Set<string>();
  private readonly bad = new Set<string>();
  private newlyQuarantined = 0;

  get counts(): { records: number; quarantined: number } {
    return { records: this.seen.size, quarantined: this.bad.size };
  }

  get size(): number {
    return this.rows.size + this.problems.length;
  }

  /** Validates one line's value; `position` names it in quarantine when it has no id. */
  add(raw: unknown, position: string): void {
    const id = pick(raw, "id") ?? position;
    this.seen.add(id);
    const parsed = parseWithDrift(RecordedEvent, raw);
    if (!parsed.success) {
      this.markBad(id);
      for (const issue of parsed.issues) {
        this.problems.push({ source: EMBEDDED_SOURCE, recordId: `events:${id}`, fieldPath: formatPath(issue.path), message: describeIssue(issue, raw), raw });
      }
      return;
    }
    const event = parsed.data;
    noteDrift(event, parsed.drift);
    if (event.invalid) {
      // The recorder found the iframe's message off the documented shapes: kept aside, never dropped.
      this.markBad(id);
      for (const issue of event.invalid.issues) {
        this.problems.push({
          source: EMBEDDED_SOURCE,
          recordId: `events:${id}`,
          fieldPath: issue.path,
          message: `recorder: ${redactMessage(issue.message)}`, // the recorder's words, but they travelled through a file
          raw,
        });
      }
      return;
    }
    this.bad.delete(id);
    this.rows.set(event.id, mapRecordedEvent(event));
  }

  /** A line that is not JSON. */
  addProblem(position: string, message: string, raw: unknown): void {
    this.seen.add(position);
    this.markBad(position);
    this.problems.push({ source: EMBEDDED_SOURCE, recordId: `events:${position}`, fieldPath: "(line)", message, raw });
  }

  private markBad(id: string): void {
    if (!this.bad.has(id)) this.newlyQuarantined += 1;
    this.bad.add(id);
  }

  take(): { rows: MappedRow[]; problems: EventProblem[]; newlyQuarantined: number } {
    // The quarantine table keys on (run, record, field): issues of one record at one path become one entry.
    const problems = new Map<string, EventProblem>();
    for (const problem of this.problems) {
      const key = JSON.stringify([problem.recordId, problem.fieldPath]);
      const earlier = problems.get(key);
      problems.set(key, earlier ? { ...earlier, message: `${earlier.message}; ${problem.message}` } : problem);
    }
    const batch = { rows: [...this.rows.values()], problems: [...problems.values()], newlyQuarantined: this.newlyQuarantined };
    this.rows = new Map();
    this.problems = [];
    this.newlyQuarantined = 0;
    return batch;
  }
}
