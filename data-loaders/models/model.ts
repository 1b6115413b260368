/**
 * What a model is, as read from its SQL file's header: the shape the runner
 * (run.ts), the build state (build-state.ts) and the grain check (grain.ts) share.
 * Its own module so that none of them imports another only for the type.
 */
export const MODEL_LAYERS = ["staging", "marts"] as const;
export type ModelLayer = (typeof MODEL_LAYERS)[number];

export interface ModelColumn {
  name: string;
  meaning: string;
}

export interface Model {
  layer: ModelLayer;
  name: string;
  /** The header comment's prose: what one row is. */
  description: string;
  /** From `-- @column name: meaning` lines; the catalog and a test check them against the real columns. */
  columns: ModelColumn[];
  sql: string;
  /** Other models this one reads, as `layer.name`. */
  dependsOn: string[];
  /**
   * From `-- @incremental_key column`: the model's rows of one value of this column
   * depend only on the source record with that primary key, so the model can be
   * updated by replacing the rows of the keys that changed (see build-state.ts).
   */
  incrementalKey?: string;
  /**
   * The model's grain, from `-- @unique a, b`: no two rows share these columns. Every
   * model declares one; every build checks it (see contracts.ts) and fails on a duplicate.
   */
  unique: string[];
  /** From `-- @not_null a, b`: columns that may never be NULL, checked like the grain. */
  notNull: string[];
}
