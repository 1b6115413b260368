/**
 * Configuration of the sync, read from environment variables and validated with
 * zod: the shared settings (settings.ts) and each registered source's own variables
 * (its `env` schema). A source is configured when any of its variables is set; a
 * source that is configured must be complete, or the sync stops with an error naming
 * the missing variable (it never falls back to demo data). With no source configured
 * at all, the sync runs in demo mode against the embedded simulator.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { z } from "zod";
import { DotEnvSyntaxError, parseDotEnv } from "./dotenv.js";
import { ConfigError, checkFolder, SharedEnvSchema, sharedSettings, type SyncConfig } from "./settings.js";
import { SOURCE_DEFINITIONS, type SourceList, type SourceName } from "./sources/index.js";

export { SOURCES, type SourceName } from "./sources/index.js";
export { checkFolder, ConfigError, DEMO_PSEUDONYM_KEY, isKnownTimeZone, MAX_HISTORY_DAYS, MIN_PSEUDONYM_KEY_LENGTH, type SyncConfig } from "./settings.js";
export type { UpscopeAuth, UpscopeConfig } from "./upscope/config.js";
export type { LivePersonAuth, LivePersonConfig } from "./liveperson/config.js";
export type { AgendizeAuth, AgendizeConfig } from "./agendize/config.js";
export type { EmbeddedConfig } from "./embedded/config.js";

type SourceShapes = (typeof SOURCE_DEFINITIONS)[number]["env"]["shape"];
type Intersection<Union> = (Union extends unknown ? (part: Union) => void : never) extends (all: infer All) => void ? All : never;

/** Every variable the project reads, with its default (the shared ones, then each source's): the README's table is this. */
export const EnvSchema = SOURCE_DEFINITIONS.reduce<z.ZodObject<z.ZodRawShape>>((schema, source) => schema.extend(source.env.shape), SharedEnvSchema) as z.ZodObject<
  (typeof SharedEnvSchema)["shape"] & Intersection<SourceShapes>
>;
export type Env = z.infer<typeof EnvSchema>;

/** Which sources have at least one of their variables set. */
export function configuredSources(env: Readonly<Record<string, unknown>>, sources: SourceList = SOURCE_DEFINITIONS): string[] {
  return sources.filter((source) => source.configuredBy.some((name) => env[name] !== undefined)).map((source) => source.name);
}

/**
 * Loads `.env` from the project root (or the file `SI_ENV_FILE` names) into process.env, if there is one. Variables
 * already set in the environment win, so a scheduler's or CI's secrets are never
 * shadowed by a stale file. The reader is strict (see dotenv.ts): a line Node's own
 * parser would skip in silence, such as `KEY: value`, is a ConfigError naming
 * `.env:LINE`, never a credential quietly missing (and a sync falling back to demo).
 */
export function loadDotEnv(projectRoot: string, file = process.env.SI_ENV_FILE?.trim() || ".env"): boolean {
  // SI_ENV_FILE=none reads no file: the test suite sets it, so a developer's own
  // credentials in .env never turn a test's demo run into a run against real APIs.
  if (file === "none") return false;
  const path = resolve(projectRoot, file);
  if (!existsSync(path)) return false;
  let variables: Record<string, string>;
  try {
    variables = parseDotEnv(readFileSync(path, "utf8"), path);
  } catch (error) {
    if (error instanceof DotEnvSyntaxError) throw new ConfigError(`${error.message} (nothing was read from ${path})`);
    throw error;
  }
  for (const [name, value] of Object.entries(variables)) {
    if (process.env[name] === undefined) process.env[name] = value;
  }
  return true;
}

/**
 * Reads the configuration of `sources` (the registry's unless given). Empty strings
 * count as unset (a `.env` line `KEY=`). Throws ConfigError with every problem named;
 * never returns a partial config.
 */
export function loadConfig(variables: Record<string, string | undefined> = process.env, sources: SourceList = SOURCE_DEFINITIONS): SyncConfig {
  const present = Object.fromEntries(Object.entries(variables).filter(([, value]) => value !== undefined && value.trim() !== ""));
  // Each schema reads its own variables; their problems are listed in EnvSchema's order.
  const shared = SharedEnvSchema.safeParse(present);
  const issues = shared.success ? [] : [...shared.error.issues];
  const own: Array<{ source: SourceList[number]; env: Record<string, unknown> }> = [];
  for (const source of sources) {
    const parsed = source.env.safeParse(present);
    if (parsed.success) own.push({ source, env: parsed.data });
    else issues.push(...parsed.error.issues);
  }
  if (!shared.success || issues.length > 0) {
    const problems = issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join("\n  ")}`);
  }
  const configured = own.filter(({ source, env }) => configuredSources(env, [source]).length > 0);
  const sourceConfigs: SyncConfig["sources"] = {};
  for (const { source, env } of configured) sourceConfigs[source.name] = source.configure(env);
  const settings = sharedSettings(shared.data, configured.length === 0);
  // Folders are checked before any source runs: a lake that is a file or /dev/null gave a
  // stack trace or a hang, and a missing session folder failed its source after the others ran.
  const problems = [
    checkFolder("SI_LAKE_DIR", settings.lakeDir, { mayNotExist: true, writable: true }),
    ...own.flatMap(({ source, env }) => source.folders?.(env) ?? []).map((folder) => checkFolder(folder.name, folder.path, folder.check)),
  ].filter((problem): problem is string => problem !== undefined);
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n  ${problems.join("\n  ")}`);
  return { ...settings, sources: sourceConfigs };
}

/** Every secret value in the configuration, so logs and `dist/` can be checked for them. */
export function secretsOf(config: SyncConfig, sources: SourceList = SOURCE_DEFINITIONS): string[] {
  const secrets: string[] = [config.pseudonymKey];
  for (const source of sources) {
    const sourceConfig = config.sources[source.name];
    if (sourceConfig !== undefined) secrets.push(...source.secrets(sourceConfig));
  }
  return secrets;
}

/** The registered source of this name. */
export function sourceNamed(name: SourceName): (typeof SOURCE_DEFINITIONS)[number] {
  const source = SOURCE_DEFINITIONS.find((definition) => definition.name === name);
  if (!source) throw new Error(`no source named ${name}`);
  return source;
}
