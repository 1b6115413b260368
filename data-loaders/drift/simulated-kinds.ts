/**
 * The kinds of vendor drift the demo simulator can serve (simulator/drift.ts) and
 * SI_DEMO_DRIFT_KINDS may name. Kept below both, so the configuration can check the
 * variable without importing the simulator.
 */
export const SIMULATED_DRIFT_KINDS = [
  "unknown_enum_value",
  "number_as_string",
  "number_for_string",
  "null_in_array",
  "unknown_field",
  "missing_optional",
] as const;
export type SimulatedDriftKind = (typeof SIMULATED_DRIFT_KINDS)[number];
