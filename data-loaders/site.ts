/**
 * What the site (Framework's config and data loaders) reads from the lake: the
 * marts, their manifest, and each source's sync state. Loaders run with the
 * project root as working directory; the lake path is resolved against the
 * project root anyway so that a loader run from elsewhere reads the same lake.
 */
import { existsSync, readFileSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createOfflineDuckDB, quoteIdentifier, quoteLiteral, type OfflineDuckDB } from "./lake/duckdb.js";
import { readState, type StoredSourceState } from "./lake/index.js";
import { MartsManifest, martsDirectory, martsManifestPath } from "./models/run.js";
import { SOURCE_LABELS, SOURCES, type SourceName } from "./sources/index.js";

const projectRoot = fileURLToPath(new URL("..", import.meta.url));

export function siteLakeRoot(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.SI_LAKE_DIR?.trim() || "lake";
  return isAbsolute(configured) ? configured : resolve(projectRoot, configured);
}

/** The marts manifest, read synchronously (Framework's config cannot await). */
export function readMartsManifestSync(lakeRoot = siteLakeRoot()): MartsManifest | undefined {
  const path = martsManifestPath(lakeRoot);
  if (!existsSync(path)) return undefined;
  return MartsManifest.parse(JSON.parse(readFileSync(path, "utf8")));
}

export class MartsMissingError extends Error {
  constructor(lakeRoot: string) {
    super(`No marts under ${martsDirectory(lakeRoot)}: run \`npm run sync\` (or \`npm run build\`, which syncs first).`);
    this.name = "MartsMissingError";
  }
}

/** An in-memory DuckDB with one view per mart, named like the mart. */
export async function openMarts(lakeRoot = siteLakeRoot()): Promise<OfflineDuckDB> {
  const directory = martsDirectory(lakeRoot);
  const files = (await readdir(directory).catch(() => [] as string[])).filter((name) => /^[a-z][a-z0-9_]*\.parquet$/.test(name));
  if (files.length === 0) throw new MartsMissingError(lakeRoot);
  const db = await createOfflineDuckDB();
  for (const file of files) {
    await db.connection.run(
      `CREATE VIEW ${quoteIdentifier(file.slice(0, -".parquet".length))} AS SELECT * FROM read_parquet(${quoteLiteral(join(directory, file))})`,
    );
  }
  return db;
}

export interface SourceFreshness {
  source: SourceName;
  /** The source's human name from the registry: the pages cannot import the registry, so they read it here. */
  label: string;
  lastSuccessAt: string | null;
  watermarks: Record<string, string>;
}

export async function readFreshness(lakeRoot = siteLakeRoot()): Promise<SourceFreshness[]> {
  const states: Array<StoredSourceState | undefined> = await Promise.all(SOURCES.map((source) => readState(lakeRoot, source)));
  return SOURCES.map((source, index) => ({
    source,
    label: SOURCE_LABELS[source],
    lastSuccessAt: states[index]?.lastSuccessAt ?? null,
    watermarks: states[index]?.watermarks ?? {},
  }));
}
