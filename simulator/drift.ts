/**
 * Vendor drift: records served the way real APIs drift from their own docs (see
 * vendor-apis.md) without being broken: a value outside a documented list, a number
 * sent as text, an id or a text sent as a number, a null inside an array, a field
 * nobody documented, an optional object left out. A sync must keep every such record
 * (data-loaders/drift/policy.ts) and count its drift in the ledger.
 *
 * A share of records (the drift rate) drifts, each in one of the enabled kinds that
 * its record type can show. Like the broken records (breakage.ts), the decision is a
 * hash of (seed, source, record key): the same record drifts the same way in every
 * response and in the export, which writes the drifted records as served (so the
 * ground truth contains the drift) and lists them in `drift.ndjson`.
 */
import { SIMULATED_DRIFT_KINDS, type SimulatedDriftKind } from "../data-loaders/drift/policy.js";
import { unitFromKey } from "./rng.js";

export { SIMULATED_DRIFT_KINDS, type SimulatedDriftKind };

export interface DriftSettings {
  /** Share of records (0..1) that drift. */
  rate: number;
  /** The kinds a drifting record may show (default: every kind). */
  kinds: readonly SimulatedDriftKind[];
}

export const NO_DRIFT: DriftSettings = { rate: 0, kinds: SIMULATED_DRIFT_KINDS };

/** How one record drifted: the kind and the field's path (zod-style, as a sync's validation names it). */
export interface AppliedDrift {
  kind: SimulatedDriftKind;
  path: (string | number)[];
}

/** Checks and completes drift settings (the CLI, the demo's SI_DEMO_DRIFT_* and tests pass them). */
export function resolveDrift(settings: { rate?: number; kinds?: readonly string[] } | undefined): DriftSettings {
  const rate = settings?.rate ?? 0;
  if (!(rate >= 0 && rate <= 1)) throw new RangeError(`drift rate must be within 0..1, got ${rate}`);
  const kinds = settings?.kinds ?? SIMULATED_DRIFT_KINDS;
  for (const kind of kinds) {
    if (!(SIMULATED_DRIFT_KINDS as readonly string[]).includes(kind)) {
      throw new RangeError(`unknown drift kind "${kind}" (known: ${SIMULATED_DRIFT_KINDS.join(", ")})`);
    }
  }
  return { rate, kinds: kinds as readonly SimulatedDriftKind[] };
}

/**
 * The kind of drift of the record with this key, among those its type can show
 * (`applicable`) and the settings enable; null for a record served as documented.
 */
export function driftKindFor(
  seed: number,
  settings: DriftSettings,
  source: string,
  recordKey: string | number,
  applicable: readonly SimulatedDriftKind[],
): SimulatedDriftKind | null {
  if (settings.rate <= 0 || unitFromKey(seed, "drift", source, recordKey) >= settings.rate) return null;
  const kinds = applicable.filter((kind) => settings.kinds.includes(kind));
  if (kinds.length === 0) return null;
  return kinds[Math.floor(unitFromKey(seed, "drift-kind", source, recordKey) * kinds.length)] ?? null;
}

/** A deterministic choice among `count` options for a drifting record (which field, which index). */
export function driftPick(seed: number, source: string, recordKey: string | number, count: number, salt = "pick"): number {
  return Math.min(count - 1, Math.floor(unitFromKey(seed, "drift-pick", salt, source, recordKey) * count));
}
