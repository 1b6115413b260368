/**
 * Validation of one vendor record against its zod schema. A record that fails is
 * never dropped: it becomes a quarantine entry naming the source, the record and
 * the field, and keeps the raw record so it can be replayed once the cause is fixed.
 * A record that only drifted from the docs (see data-loaders/drift/policy.ts) passes,
 * its drift registered on the validated value for the drift ledger.
 */
import type { z } from "zod";
import type { SourceName } from "../config.js";
import { noteDrift } from "../drift/ledger.js";
import { parseWithDrift, type DriftFinding } from "../drift/policy.js";

export interface QuarantineEntry {
  source: SourceName;
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

export function validateRecord<S extends z.ZodType>(
  where: { source: SourceName; stream: string },
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
      message: issue.message,
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
