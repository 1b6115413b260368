/**
 * Deliberately schema-breaking records. A share of records (the invalid-record rate) is
 * broken the same way in every response and in the export, so a sync can be tested to
 * quarantine exactly those. The export lists them with the kind and the broken path.
 *
 * Each breakage makes the record unusable under the drift policy
 * (data-loaders/drift/policy.ts): a required time missing, a time or measure of the
 * wrong type, a time or measure that cannot be read. A value outside a documented list
 * is drift, not breakage (see drift.ts): a sync keeps it.
 */
import { unitFromKey } from "./rng.js";

export type BreakageKind = "missing_required" | "wrong_type" | "unreadable_value";

export interface Breakage {
  kind: BreakageKind;
  /** Path of the broken field inside the record, as a zod issue reports it. */
  path: (string | number)[];
}

const KINDS: readonly BreakageKind[] = ["missing_required", "wrong_type", "unreadable_value"];

/** Whether (and how) the record with this key is broken; null for a valid record. */
export function breakageKindFor(seed: number, rate: number, source: string, recordKey: string | number): BreakageKind | null {
  if (rate <= 0 || unitFromKey(seed, "invalid-record", source, recordKey) >= rate) return null;
  return KINDS[Math.floor(unitFromKey(seed, "invalid-kind", source, recordKey) * KINDS.length)] ?? "wrong_type";
}

/** Sets (or with `undefined`, deletes) the value at a path of a JSON object. */
export function setAtPath(target: Record<string, unknown>, path: readonly (string | number)[], value: unknown): void {
  let cursor: unknown = target;
  for (let index = 0; index < path.length - 1; index++) {
    const key = path[index];
    if (key === undefined || typeof cursor !== "object" || cursor === null) return;
    cursor = (cursor as Record<string | number, unknown>)[key];
  }
  const last = path[path.length - 1];
  if (last === undefined || typeof cursor !== "object" || cursor === null) return;
  if (value === undefined) delete (cursor as Record<string | number, unknown>)[last];
  else (cursor as Record<string | number, unknown>)[last] = value;
}
