/**
 * Validation of one vendor record against its zod schema. A record that fails is
 * never dropped: it becomes a quarantine entry naming the source, the record and
 * the field, and keeps the raw record so it can be replayed once the cause is fixed.
 *
 * The entry's message is written here from the issue's code and the expected type,
 * never from the received value: the Data page publishes messages, and a message that
 * quoted the record would carry a visitor's data into the site. The raw record stays
 * in the lake's (private) quarantine table.
 *
 * A record that only drifted from the docs (see data-loaders/drift/policy.ts) passes,
 * its drift registered on the validated value for the drift ledger.
 */
import type { z } from "zod";
import { noteDrift } from "../drift/ledger.js";
import { parseWithDrift, type DriftFinding } from "../drift/policy.js";

export interface QuarantineEntry {
  source: string;
  stream: string;
  recordId: string;
  fieldPath: string;
  message: string;
  raw: unknown;
}

export type Validated<T> = { ok: true; value: T; drift: readonly DriftFinding[] } | { ok: false; problems: QuarantineEntry[] };

/** Formats a zod path the way people write it: `info.engagementId`, `agents[0].id`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out || "(record)";
}

/** What a value is, by type only (never its content). */
function kindOf(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "number" && Number.isNaN(value)) return "NaN";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** The value at `path` inside `raw`, or undefined. */
function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value: unknown = raw;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** A schema's own literal (an enum option): shown only when it is a short plain word, since it is ours, not the record's. */
function showLiteral(value: unknown): string {
  const text = String(value);
  return /^[\w.:/+-]{1,40}$/.test(text) ? text : "(value)";
}

/**
 * Our message for a zod issue: its code, the expected type or bound, and the kind of
 * value found (missing, a number, ...), never the value. Custom messages are our
 * schemas' own words, still passed through redactMessage.
 */
export function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string {
  switch (issue.code) {
    case "invalid_type": {
      const found = valueAt(raw, issue.path);
      return found === undefined ? `required: expected ${issue.expected}, found nothing` : `expected ${issue.expected}, found ${kindOf(found)}`;
    }
    case "invalid_value":
      return issue.values.length === 1 ? `expected ${showLiteral(issue.values[0])}` : `expected one of: ${issue.values.map(showLiteral).join(", ")}`;
    case "invalid_format":
      return `not in the expected format (${issue.format})`;
    case "too_small":
      return `too small: expected ${issue.origin === "number" || issue.origin === "bigint" ? "a value" : `${issue.origin} length`} ${issue.inclusive === false ? ">" : ">="} ${String(issue.minimum)}`;
    case "too_big":
      return `too big: expected ${issue.origin === "number" || issue.origin === "bigint" ? "a value" : `${issue.origin} length`} ${issue.inclusive === false ? "<" : "<="} ${String(issue.maximum)}`;
    case "not_multiple_of":
      return `expected a multiple of ${String(issue.divisor)}`;
    case "unrecognized_keys":
      return `${issue.keys.length} unexpected field${issue.keys.length === 1 ? "" : "s"}`;
    case "invalid_union":
      return `matches none of the expected shapes (found ${kindOf(valueAt(raw, issue.path))})`;
    case "invalid_key":
      return "a key is not valid";
    case "invalid_element":
      return "an element is not valid";
    case "custom":
      return redactMessage(issue.message);
    default:
      return "not valid";
  }
}

/**
 * A second guard on text shown as a quarantine reason: everything from the first quote
 * to the last (a parser quotes a piece of the record, itself full of quotes), emails
 * (also cut ones, "visitor@exa"), IP addresses and URLs are replaced by a placeholder,
 * control characters by spaces. Our own messages hold none of these.
 */
export function redactMessage(message: string): string {
  return message
    .replace(/[\u0000-\u001f\u007f]+/g, " ")
    .replace(/(^|[\s(:=,])'[^']*('|$)/g, '$1"…"')
    .replace(/[“`][^”`]*([”`]|$)/g, '"…"')
    .replace(/"[\s\S]*"|"[^"]*$/, '"…"')
    .replace(/\bhttps?:\/\/\S*/gi, "[url]")
    .replace(/[^\s"'@<>()[\],;]*@[^\s"'@<>()[\],;]*/g, "[email]")
    .replace(/\b\d{1,3}(\.\d{1,3}){2,3}\b/g, "[ip]")
    .replace(/\b[0-9a-f]{0,4}(:[0-9a-f]{0,4}){2,7}\b/gi, (match) => (/[a-f]/i.test(match) || match.split(":").length > 3 ? "[ip]" : match));
}

export function validateRecord<S extends z.ZodType>(
  where: { source: string; stream: string },
  schema: S,
  raw: unknown,
  recordIdOf: (raw: unknown) => string | undefined,
): Validated<z.output<S>> {
  const parsed = parseWithDrift(schema, raw);
  if (parsed.success) {
    noteDrift(parsed.data, parsed.drift);
    return { ok: true, value: parsed.data, drift: parsed.drift };
  }
  const recordId = recordIdOf(raw) ?? "(unknown id)";
  return {
    ok: false,
    problems: parsed.issues.map((issue) => ({
      ...where,
      recordId,
      fieldPath: formatPath(issue.path),
      message: describeIssue(issue, raw),
      raw,
    })),
  };
}

/** Reads a nested property of an unvalidated value, for best-effort record ids. */
export function pick(raw: unknown, ...path: string[]): string | undefined {
  let value: unknown = raw;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return typeof value === "string" || typeof value === "number" ? String(value) : undefined;
}

/** One line for a log: `liveperson engagement 123: info.startTimeL: expected number`. */
export function describeProblem(entry: QuarantineEntry): string {
  return `${entry.source} ${entry.stream} ${entry.recordId}: ${entry.fieldPath}: ${entry.message}`;
}
