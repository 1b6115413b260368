/**
 * What a source is, in one declaration: its folder exports one SourceDefinition and
 * the registry (sources/index.ts) lists it. The configuration, the engine, the CLI,
 * the labels, the models' source tables and the catalog all read the definitions, so
 * adding a source touches its folder, the registry line and its documentation
 * (docs/adding-a-source.md).
 *
 * Demo mode is described here without the simulator: a definition says how to point
 * itself at a DemoSimulator, and the top of the program (the sync CLI) supplies one.
 */
import type { z } from "zod";
import type { RetryPolicy } from "../http/index.js";
import type { TableSpec } from "../lake/index.js";
import type { FolderCheck, SyncConfig } from "../settings.js";
import type { SourceRunContext, SourceRunResult } from "../sync/context.js";

/** The simulator as a source's demo wiring sees it. */
export interface DemoSimulator {
  /** Where the simulator serves every vendor, under `<url>/<source>/...`. In a run that fetches nothing (a replay), a closed port. */
  url: string;
  /** The lake the demo fills; demo files go under its `_demo/` folder, which readers skip. */
  lakeDir: string;
  /** A demo credential the simulator accepts, e.g. `credential("upscope", "apiKey")`. */
  credential(source: string, name: string): string;
}

/** What the engine needs to run demo mode: the simulator's credentials, and a way to start it. */
export interface DemoSimulatorHost {
  credential(source: string, name: string): string;
  /** Starts the simulator with its clock at `now`. */
  start(now: Date): Promise<RunningDemoSimulator>;
}

export interface RunningDemoSimulator {
  url: string;
  /**
   * Writes the simulator's records of `source` as the files an organisation would hold
   * (an export, a collector's folder) into `dir`; only records that started before
   * `startedBefore`, when given.
   */
  exportFiles(source: string, dir: string, options: { startedBefore: Date | undefined }): Promise<void>;
  stop(): Promise<void>;
}

/** How demo mode wires a source to the simulator. */
export interface SourceDemo<Config> {
  /** Files demo mode writes from the simulator's records before the source runs, in a run that fetches from it. */
  files?: { dir(lakeDir: string): string; startedBefore?(now: Date): Date };
  /** Its configuration pointed at the simulator; `files` is the folder written for it in this run, if any. */
  config(simulator: DemoSimulator, files: string | undefined): Config;
}

/** A folder variable checked before any source runs (a missing folder would fail its source after the others ran). */
export interface FolderVariable {
  name: string;
  path: string;
  check: FolderCheck;
}

/** The folder variable to check, when it is set. */
export function checkFolderVariable(name: string, path: string | undefined, check: FolderCheck): FolderVariable[] {
  return path === undefined ? [] : [{ name, path, check }];
}

export interface SourceDefinition<Name extends string = string, Env extends z.ZodRawShape = z.ZodRawShape, Config = unknown> {
  /** The lake's and the CLI's name for it (`--source NAME`, `<lake>/<name>/...`). */
  name: Name;
  /** The human name pages and the CLI show. */
  label: string;
  /** Its environment variables, checks and defaults: part of EnvSchema (config.ts). */
  env: z.ZodObject<Env>;
  /** The variables whose presence means the source is configured (any one set). */
  configuredBy: readonly (keyof Env & string)[];
  /**
   * The variables that hold credentials. The nightly workflow passes these from the
   * repository's secrets and every other variable of `env` from its plain variables
   * (tools/workflow-env.ts writes that list; a test fails when it is stale).
   */
  secretVariables: readonly (keyof Env & string)[];
  /** Its configuration from its checked variables; a ConfigError names what is missing. */
  configure(env: z.output<z.ZodObject<Env>>): Config;
  /** Its folder variables, checked with the lake before any source runs. */
  folders?(env: z.output<z.ZodObject<Env>>): FolderVariable[];
  /** Every secret value in its configuration, so logs and `dist/` can be checked for them. */
  secrets(config: Config): string[];
  /** The lake tables it writes: primary key, partition column, columns. The staging models read them. */
  tables: readonly TableSpec[];
  /** What it resumes from on the next run (shown in the catalog). */
  cursor: string;
  /** How its HTTP requests are retried; undefined for a source that only reads files. */
  retryPolicy: (() => RetryPolicy) | undefined;
  /** Fetches from the vendor into the lake. */
  sync(ctx: SourceRunContext): Promise<SourceRunResult>;
  /** Rebuilds its lake tables from the raw archive, fetching nothing (`--replay`). */
  replay(ctx: SourceRunContext): Promise<SourceRunResult>;
  /** How demo mode points it at the simulator. */
  demo: SourceDemo<Config>;
}

/** Checks a definition's types where it is written, keeping its literal name and its own variable and configuration types. */
export function defineSource<const Name extends string, Env extends z.ZodRawShape, Config>(definition: SourceDefinition<Name, Env, Config>): SourceDefinition<Name, Env, Config> {
  return definition;
}

/**
 * A list of sources as the engine, the configuration and the models take it (the
 * registry's, or a test's own). Each source keeps its own variables and configuration
 * types, which a list of different sources can only hold as `any`.
 */
export type SourceList = readonly SourceDefinition<string, any, any>[];

/** `config` with every source of `sources` configured for the simulator; `files` holds the folders demo files were written to, per source. */
export function demoSourcesConfig(config: SyncConfig, sources: SourceList, simulator: DemoSimulator, files: ReadonlyMap<string, string> = new Map()): SyncConfig {
  return { ...config, sources: Object.fromEntries(sources.map((source) => [source.name, source.demo.config(simulator, files.get(source.name))])) };
}
