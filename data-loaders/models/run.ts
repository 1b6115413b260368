/**
 * Builds the models: staging (one per source table, cleaned and typed) then marts
 * (what pages read), each one SQL file, run by DuckDB over the lake's views. Marts
 * are written as Parquet under `<lake>/marts/<name>.parquet`, each replaced by an
 * atomic rename, so a reader (a Framework loader, Trino, Spark) sees the old mart
 * or the new one, never half of one.
 *
 * The models live in a DuckDB file kept under the lake (`_models/models.duckdb`,
 * see build-state.ts), with a memory limit and a spill folder, so memory does not
 * grow with the lake's history. A model whose header says `@incremental_key <column>`
 * is updated incrementally: only the lake rows that are new or changed since the
 * last build (by primary key and `_ingested_at`) are parsed again, and the model's
 * rows of those keys are replaced; every other model is rebuilt from the persisted
 * ones. Models name each other as `staging.<name>` and `marts.<name>`; the order
 * comes from those references.
 */
import { mkdir, readdir, readFile, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { quoteIdentifier, quoteLiteral } from "../lake/duckdb.js";
import { fsyncDirectory, TEMP_FILE_PREFIX, tempPathBeside, writeFileAtomic } from "../lake/fs-atomic.js";
import { buildIntoState, type ModelsBuildReport, type ModelsBuildStep } from "./build-state.js";
import { MODEL_LAYERS, type Model, type ModelColumn, type ModelLayer } from "./model.js";
import { ModelError } from "./model-error.js";

export const MODELS_DIR = dirname(fileURLToPath(import.meta.url));

export { type ModelsBuildReport, type ModelsBuildStep } from "./build-state.js";
export { ModelError } from "./model-error.js";
export { ModelGrainError } from "./grain.js";

function parseModel(layer: ModelLayer, name: string, text: string): Model {
  const header: string[] = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith("--")) break;
    header.push(line.replace(/^--\s?/, ""));
  }
  const columns: ModelColumn[] = [];
  const prose: string[] = [];
  let incrementalKey: string | undefined;
  let unique: string[] | undefined;
  const notNull: string[] = [];
  for (const line of header) {
    const column = /^@column\s+([a-z_][a-z0-9_]*):\s*(.+)$/.exec(line);
    const incremental = /^@incremental_key\s+([a-z_][a-z0-9_]*)\s*$/.exec(line);
    const columnList = /^@(unique|not_null)\s+(.+)$/.exec(line);
    if (column?.[1] && column[2]) columns.push({ name: column[1], meaning: column[2].trim() });
    else if (incremental?.[1]) incrementalKey = incremental[1];
    else if (columnList?.[1] && columnList[2]) {
      const names = columnList[2].split(",").map((part) => part.trim());
      const bad = names.find((part) => !/^[a-z_][a-z0-9_]*$/.test(part));
      if (bad !== undefined) throw new ModelError(`${layer}.${name}`, `@${columnList[1]} lists "${bad}", which is not a column name`);
      if (columnList[1] === "not_null") notNull.push(...names);
      else if (unique !== undefined) throw new ModelError(`${layer}.${name}`, "declares @unique twice: a model has one grain");
      else unique = names;
    } else if (line.startsWith("@")) throw new ModelError(`${layer}.${name}`, `unknown header tag: ${line}`);
    else prose.push(line.trim());
  }
  if (unique === undefined) {
    throw new ModelError(`${layer}.${name}`, "declares no grain: add `-- @unique <columns>` (what one row is) to its header");
  }
  for (const declared of [...unique, ...notNull]) {
    if (columns.length > 0 && !columns.some((c) => c.name === declared)) {
      throw new ModelError(`${layer}.${name}`, `@unique/@not_null name "${declared}", which has no @column line`);
    }
  }
  const sql = text.trim().replace(/;\s*$/, "");
  const dependsOn = [...new Set([...sql.matchAll(/\b(staging|marts)\.([a-z_][a-z0-9_]*)/g)].map((match) => `${match[1]}.${match[2]}`))].filter(
    (ref) => ref !== `${layer}.${name}`,
  );
  return {
    layer,
    name,
    description: prose.join(" ").trim(),
    columns,
    sql,
    dependsOn,
    unique,
    notNull: [...new Set(notNull)],
    ...(incrementalKey ? { incrementalKey } : {}),
  };
}

/** Every model file, in an order where each model comes after the ones it reads. */
export async function loadModels(directory = MODELS_DIR): Promise<Model[]> {
  const models: Model[] = [];
  for (const layer of MODEL_LAYERS) {
    const files = (await readdir(join(directory, layer))).filter((file) => file.endsWith(".sql")).sort();
    for (const file of files) models.push(parseModel(layer, file.slice(0, -4), await readFile(join(directory, layer, file), "utf8")));
  }
  return orderModels(models);
}

export function orderModels(models: readonly Model[]): Model[] {
  const byRef = new Map(models.map((model) => [`${model.layer}.${model.name}`, model]));
  const ordered: Model[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (ref: string, from: string): void => {
    const model = byRef.get(ref);
    if (!model) throw new ModelError(from, `reads ${ref}, which is not a model`);
    if (state.get(ref) === "done") return;
    if (state.get(ref) === "visiting") throw new ModelError(ref, "is part of a reference cycle");
    state.set(ref, "visiting");
    for (const dependency of model.dependsOn) visit(dependency, ref);
    state.set(ref, "done");
    ordered.push(model);
  };
  for (const ref of byRef.keys()) visit(ref, ref);
  // Staging before marts whatever the references say: marts may read staging, never the reverse.
  for (const model of ordered) {
    if (model.layer === "staging" && model.dependsOn.some((ref) => ref.startsWith("marts."))) {
      throw new ModelError(`staging.${model.name}`, "a staging model must not read a mart");
    }
  }
  return ordered;
}

export interface BuildModelsOptions {
  /** Publish transcript, message and free-text survey text in the marts (SI_PUBLISH_TEXT). */
  publishText: boolean;
  /** Publish visitors' emails and names beside their pseudonyms (SI_PUBLISH_VISITOR_IDENTITIES). */
  publishIdentities?: boolean;
  /** The data came from the embedded simulator: every page must say so. */
  demo: boolean;
  builtAt: Date;
  /** DuckDB's memory_limit for the build; past it, DuckDB spills to `_models/spill/`. */
  memoryLimit?: string;
  /** DuckDB threads; each scans its own Parquet row group, so memory grows with them. */
  threads?: number;
  /** Rebuild every model from the whole lake, ignoring the persisted models (after a replay or a --full sync). */
  full?: boolean;
  /** Test hook: called at each step, so a test can stop the build there. */
  onStep?: (step: ModelsBuildStep) => void | Promise<void>;
  modelsDir?: string;
}

export interface BuiltMart {
  name: string;
  rows: number;
  path: string;
}

/** The marts written, plus how the models got there (full or incremental build). */
export type BuiltMarts = BuiltMart[] & { build: ModelsBuildReport };

/**
 * Reading a lake file's raw records takes a whole Parquet page of `record_json` at a
 * time (DuckDB writes pages of up to 100 MB; a month of LivePerson records at demo
 * scale 6 is one 80 MB page), about 300 MB per reading thread. One thread and 448 MB
 * hold that beside the joins and windows, which spill to disk past the limit; the
 * build then peaked at ~0.6 GB at scale 6 and 0.9 GB at scale 12, where months are
 * denser (two threads needed 768 MB and were no faster on two shared cores).
 */
export const DEFAULT_MODELS_MEMORY_LIMIT = "448MB";
export const DEFAULT_MODELS_THREADS = 1;

export function martsDirectory(lakeRoot: string): string {
  return join(lakeRoot, "marts");
}

export function martPath(lakeRoot: string, name: string): string {
  return join(martsDirectory(lakeRoot), `${name}.parquet`);
}

/** What the pages need to know about the marts as a whole (`<lake>/marts/_manifest.json`). */
export const MartsManifest = z.object({
  builtAt: z.iso.datetime(),
  demo: z.boolean(),
  publishText: z.boolean(),
  marts: z.array(z.object({ name: z.string(), rows: z.number().int().nonnegative() })),
});
export type MartsManifest = z.infer<typeof MartsManifest>;

export function martsManifestPath(lakeRoot: string): string {
  return join(martsDirectory(lakeRoot), "_manifest.json");
}

export async function readMartsManifest(lakeRoot: string): Promise<MartsManifest | undefined> {
  let text: string;
  try {
    text = await readFile(martsManifestPath(lakeRoot), "utf8");
  } catch {
    return undefined;
  }
  return MartsManifest.parse(JSON.parse(text));
}

export async function buildModels(lakeRoot: string, options: BuildModelsOptions): Promise<BuiltMarts> {
  const models = await loadModels(options.modelsDir);
  const macros = await readFile(join(options.modelsDir ?? MODELS_DIR, "macros.sql"), "utf8");
  // The one-shot build folder of earlier versions; nothing reads it any more.
  await rm(join(lakeRoot, "_build"), { recursive: true, force: true });
  const outDir = martsDirectory(lakeRoot);
  await mkdir(outDir, { recursive: true });
  for (const entry of await readdir(outDir)) {
    if (entry.startsWith(TEMP_FILE_PREFIX)) await rm(join(outDir, entry), { force: true });
  }
  const built: BuiltMart[] = [];
  const report = await buildIntoState(lakeRoot, models, macros, {
    publishText: options.publishText,
    publishIdentities: options.publishIdentities ?? false,
    memoryLimit: options.memoryLimit ?? DEFAULT_MODELS_MEMORY_LIMIT,
    threads: options.threads ?? DEFAULT_MODELS_THREADS,
    forceFull: options.full ?? false,
    onStep: options.onStep ?? (() => {}),
    // Runs after the models are committed: a crash while writing marts leaves models
    // that are up to date, and the next build writes every mart again from them.
    publish: async (db) => {
      for (const model of models.filter((m) => m.layer === "marts")) {
        const target = martPath(lakeRoot, model.name);
        const temporary = tempPathBeside(target, ".parquet");
        try {
          const [copied] = await db.queryRows(
            `COPY marts.${quoteIdentifier(model.name)} TO ${quoteLiteral(temporary)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)`,
          );
          await rename(temporary, target);
          built.push({ name: model.name, rows: Number(copied?.Count ?? 0), path: target });
          await options.onStep?.({ kind: "mart-written", mart: model.name });
        } finally {
          await rm(temporary, { force: true });
        }
      }
    },
  });
  const manifest: MartsManifest = {
    builtAt: options.builtAt.toISOString(),
    demo: options.demo,
    publishText: options.publishText,
    marts: built.map(({ name, rows }) => ({ name, rows })),
  };
  await writeFileAtomic(martsManifestPath(lakeRoot), `${JSON.stringify(manifest, null, 2)}\n`);
  await fsyncDirectory(outDir);
  return Object.assign(built, { build: report });
}
