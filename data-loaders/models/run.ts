/**
 * Builds the models: staging (one per source table, cleaned and typed) then marts
 * (what pages read), each one SQL file, run by DuckDB over the lake's views. Marts
 * are written as Parquet under `<lake>/marts/<name>.parquet`, each replaced by an
 * atomic rename, so a reader (a Framework loader, Trino, Spark) sees the old mart
 * or the new one, never half of one.
 *
 * The work happens in a DuckDB database file under the lake's `_build/` folder
 * with a memory limit, so a year of transcripts spills to disk instead of growing
 * the process. Models name each other as `staging.<name>` and `marts.<name>`;
 * the order comes from those references.
 */
import { mkdir, readdir, readFile, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { quoteIdentifier, quoteLiteral } from "../lake/duckdb.js";
import { z } from "zod";
import { fsyncDirectory, tempPathBeside, writeFileAtomic } from "../lake/fs-atomic.js";
import { openLakeDuckDB } from "../lake/index.js";
import { SOURCE_TABLES } from "./source-tables.js";

export const MODELS_DIR = dirname(fileURLToPath(import.meta.url));
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
}

export class ModelError extends Error {
  constructor(model: string, message: string) {
    super(`model ${model}: ${message}`);
    this.name = "ModelError";
  }
}

function parseModel(layer: ModelLayer, name: string, text: string): Model {
  const header: string[] = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith("--")) break;
    header.push(line.replace(/^--\s?/, ""));
  }
  const columns: ModelColumn[] = [];
  const prose: string[] = [];
  for (const line of header) {
    const column = /^@column\s+([a-z_][a-z0-9_]*):\s*(.+)$/.exec(line);
    if (column?.[1] && column[2]) columns.push({ name: column[1], meaning: column[2].trim() });
    else if (line.startsWith("@")) throw new ModelError(`${layer}.${name}`, `unknown header tag: ${line}`);
    else prose.push(line.trim());
  }
  const sql = text.trim().replace(/;\s*$/, "");
  const dependsOn = [...new Set([...sql.matchAll(/\b(staging|marts)\.([a-z_][a-z0-9_]*)/g)].map((match) => `${match[1]}.${match[2]}`))].filter(
    (ref) => ref !== `${layer}.${name}`,
  );
  return { layer, name, description: prose.join(" ").trim(), columns, sql, dependsOn };
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
  memoryLimit?: string;
  modelsDir?: string;
}

export interface BuiltMart {
  name: string;
  rows: number;
  path: string;
}

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

export async function buildModels(lakeRoot: string, options: BuildModelsOptions): Promise<BuiltMart[]> {
  const models = await loadModels(options.modelsDir);
  const buildDir = join(lakeRoot, "_build");
  await mkdir(buildDir, { recursive: true });
  const databasePath = join(buildDir, "models.duckdb");
  await rm(databasePath, { force: true });
  await rm(`${databasePath}.wal`, { force: true });
  const db = await openLakeDuckDB(lakeRoot, { databasePath, memoryLimit: options.memoryLimit ?? "768MB" });
  const run = (sql: string) => db.connection.run(sql);
  const built: BuiltMart[] = [];
  try {
    await run(`SET temp_directory = ${quoteLiteral(join(buildDir, "spill"))}`);
    // Models are tables, not ordered results: letting DuckDB drop insertion order lets
    // CREATE TABLE AS stream and spill instead of holding whole intermediates in memory.
    await run("SET preserve_insertion_order = false");
    const present = new Set(db.tables.map((table) => `${table.source}.${table.table}`));
    for (const table of SOURCE_TABLES) {
      if (present.has(`${table.source}.${table.name}`)) continue;
      const columns = Object.entries(table.columns).map(([name, type]) => `CAST(NULL AS ${type}) AS ${quoteIdentifier(name)}`);
      await run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(table.source)}`);
      await run(`CREATE OR REPLACE VIEW ${quoteIdentifier(table.source)}.${quoteIdentifier(table.name)} AS SELECT ${columns.join(", ")} WHERE false`);
    }
    await run(`SET VARIABLE publish_text = ${options.publishText ? "true" : "false"}`);
    await run(`SET VARIABLE publish_identities = ${options.publishIdentities ? "true" : "false"}`);
    await run(await readFile(join(options.modelsDir ?? MODELS_DIR, "macros.sql"), "utf8"));
    for (const layer of MODEL_LAYERS) await run(`CREATE SCHEMA IF NOT EXISTS ${layer}`);
    for (const model of models) {
      try {
        await run(`CREATE TABLE ${model.layer}.${quoteIdentifier(model.name)} AS ${model.sql}`);
      } catch (error) {
        throw new ModelError(`${model.layer}.${model.name}`, error instanceof Error ? error.message : String(error));
      }
    }
    const outDir = martsDirectory(lakeRoot);
    await mkdir(outDir, { recursive: true });
    for (const model of models.filter((m) => m.layer === "marts")) {
      const target = martPath(lakeRoot, model.name);
      const temporary = tempPathBeside(target, ".parquet");
      await run(
        `COPY marts.${quoteIdentifier(model.name)} TO ${quoteLiteral(temporary)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)`,
      );
      await rename(temporary, target);
      const [count] = await db.queryRows(`SELECT count(*) AS n FROM marts.${quoteIdentifier(model.name)}`);
      built.push({ name: model.name, rows: Number(count?.n ?? 0), path: target });
    }
    const manifest: MartsManifest = {
      builtAt: options.builtAt.toISOString(),
      demo: options.demo,
      publishText: options.publishText,
      marts: built.map(({ name, rows }) => ({ name, rows })),
    };
    await writeFileAtomic(martsManifestPath(lakeRoot), `${JSON.stringify(manifest, null, 2)}\n`);
    await fsyncDirectory(outDir);
  } finally {
    db.close();
    await rm(buildDir, { recursive: true, force: true });
  }
  return built;
}
