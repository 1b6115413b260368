/**
 * `npm run build`: sync the lake and rebuild the marts (`npm run sync`), vendor the
 * browser libraries from node_modules into Framework's cache, drop stale loader
 * outputs, run `observable build`, correct Framework's page shell for accessibility
 * (tools/a11y-postprocess.ts), then add each page's Content-Security-Policy
 * (tools/csp.ts).
 *
 * Framework reuses a cached loader output whatever its age, so every build deletes
 * the cached outputs (never the vendored `_npm` bundles) to make the loaders run
 * against the lake as it is now.
 *
 * Framework keeps that cache inside its source root (`src/.observablehq/cache/`).
 * With `SI_BUILD_DIR` set, the build runs Framework over a copy of the site source
 * in that folder instead, so the cache (and everything else a build writes but the
 * site) stays there: the tests build that way and leave the working tree alone.
 */
import { spawn } from "node:child_process";
import { cp, lstat, mkdir, readdir, readlink, rm, symlink } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError, loadConfig, loadDotEnv } from "../data-loaders/config.js";
import { acquireLakeLock, LakeLockedError, type LakeLock } from "../data-loaders/lake/lock.js";
import { siteLakeRoot } from "../data-loaders/site.js";
import { applyAccessibleShell } from "./a11y-postprocess.js";
import { applyCsp } from "./csp.js";
import { vendorNpm } from "./vendor-npm.js";

const projectRoot = fileURLToPath(new URL("..", import.meta.url));
const KEEP_IN_CACHE = new Set(["_npm"]);

/** Where Framework runs: its working directory (holding the config), source root and cache. */
export interface SiteRoot {
  cwd: string;
  root: string;
  cacheRoot: string;
}

export class BuildSettingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BuildSettingError";
  }
}

/** What a copy of the site source needs beside it: what its config and the loaders import. */
const LINKED_INTO_BUILD_DIR = ["package.json", "tsconfig.json", "node_modules", "data-loaders", "tools"];

async function linkInto(dir: string, name: string, target: string): Promise<void> {
  const link = join(dir, name);
  const existing = await lstat(link).catch(() => undefined);
  if (existing?.isSymbolicLink() && (await readlink(link)) === target) return;
  if (existing) await rm(link, { recursive: true, force: true });
  await symlink(target, link);
}

/**
 * The folder Framework builds from. Unset `SI_BUILD_DIR`: the project itself
 * (`src/`, cache in `src/.observablehq/cache/`). Set: a fresh copy of `src/` at
 * `<SI_BUILD_DIR>/src/`, beside links to the config, node_modules and data-loaders/
 * (the loaders import the lake code by relative path), with the cache under it.
 * `SI_SITE_SOURCE` (with `SI_BUILD_DIR` only) names another Framework project to
 * build the same way: a folder with its own `observablehq.config.ts` and `src/`.
 */
export async function prepareSiteRoot(env: NodeJS.ProcessEnv = process.env): Promise<SiteRoot> {
  const buildDir = env.SI_BUILD_DIR?.trim();
  const sourceSetting = env.SI_SITE_SOURCE?.trim();
  if (!buildDir) {
    if (sourceSetting) throw new BuildSettingError("SI_SITE_SOURCE is set but SI_BUILD_DIR is not: the project is copied into SI_BUILD_DIR to be built");
    const root = join(projectRoot, "src");
    return { cwd: projectRoot, root, cacheRoot: join(root, ".observablehq", "cache") };
  }
  const cwd = resolve(projectRoot, buildDir);
  const source = sourceSetting ? resolve(projectRoot, sourceSetting) : projectRoot;
  if (cwd === projectRoot || cwd === source || cwd.startsWith(join(source, "src"))) {
    throw new BuildSettingError(`SI_BUILD_DIR=${buildDir}: pick a folder outside the project and its src/ (e.g. a temporary folder)`);
  }
  for (const needed of ["observablehq.config.ts", "src"]) {
    if (!existsSync(join(source, needed))) throw new BuildSettingError(`SI_SITE_SOURCE=${sourceSetting}: no ${needed} in ${source}`);
  }
  const root = join(cwd, "src");
  await mkdir(cwd, { recursive: true });
  await linkInto(cwd, "observablehq.config.ts", join(source, "observablehq.config.ts"));
  for (const name of LINKED_INTO_BUILD_DIR) await linkInto(cwd, name, join(projectRoot, name));
  // Keep the vendored bundles between builds; everything else is copied afresh.
  for (const entry of await readdir(root).catch(() => [] as string[])) {
    if (entry !== ".observablehq") await rm(join(root, entry), { recursive: true, force: true });
  }
  const from = join(source, "src");
  await cp(from, root, { recursive: true, filter: (path) => !path.slice(from.length).split(/[\\/]/).includes(".observablehq") });
  return { cwd, root, cacheRoot: join(root, ".observablehq", "cache") };
}

export async function dropStaleLoaderOutputs(root: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(root);
  } catch {
    return [];
  }
  const dropped = entries.filter((entry) => !KEEP_IN_CACHE.has(entry));
  await Promise.all(dropped.map((entry) => rm(join(root, entry), { recursive: true, force: true })));
  return dropped;
}

export function runFramework(
  command: "build" | "preview",
  args: string[] = [],
  env: Record<string, string> = {},
  cwd = projectRoot,
): Promise<number> {
  const bin = join(projectRoot, "node_modules", ".bin", "observable");
  return new Promise((resolve, reject) => {
    const child = spawn(bin, [command, ...args], {
      cwd,
      stdio: "inherit",
      env: { ...process.env, ...env, OBSERVABLE_TELEMETRY_DISABLE: "true" },
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/**
 * Builds the site into `output` (an absolute path): vendors the libraries, drops
 * stale loader outputs, runs `observable build`, corrects the page shell and adds
 * each page's CSP (the nightly builds through here too, so it gets both). Returns
 * Framework's exit code (0: built).
 */
export async function buildSite(output: string, log: (line: string) => void = (line) => console.error(line)): Promise<number> {
  const site = await prepareSiteRoot();
  if (`${resolve(projectRoot)}/`.startsWith(`${resolve(output)}/`) || `${resolve(output)}/`.startsWith(`${site.root}/`)) {
    throw new BuildSettingError(`SI_BUILD_OUTPUT=${output}: the site cannot be built into the project or its source folder`);
  }
  await dropStaleLoaderOutputs(site.cacheRoot);
  const vendored = await vendorNpm({ projectRoot, cacheRoot: site.cacheRoot });
  log(`vendored ${vendored.modules.length} modules and ${vendored.files.length} files from node_modules`);
  // Framework clears its output only inside its working directory; a link (a published site) goes, not its build.
  await rm(output, { recursive: true, force: true });
  const code = await runFramework("build", [], { SI_BUILD_OUTPUT: output }, site.cwd);
  if (code !== 0) return code;
  // Before the CSP: it hashes the pages' inline scripts as they are then (this step touches no script text).
  const shell = await applyAccessibleShell(output);
  log(`page shell corrected for accessibility on ${shell.changed} of ${shell.pages} pages`);
  const csp = await applyCsp(output);
  log(`Content-Security-Policy added to ${csp.pages} pages (WebAssembly allowed on ${csp.wasmPages.length}: ${csp.wasmPages.join(", ") || "none"})`);
  return 0;
}

export const BUILD_HELP = `Usage: npm run build [-- options]

Syncs every configured source into the lake (demo mode with no credentials),
rebuilds the marts, then builds the static site into dist/.

Options:
  --skip-sync   build from the lake as it is (no fetching, no model rebuild)
  -h, --help    this text

Settings: SI_BUILD_OUTPUT (where the site goes, default dist/), SI_BUILD_DIR
(build from a copy of src/ in this folder, so Framework's cache is kept there and
not in src/.observablehq/cache), SI_SITE_SOURCE (with SI_BUILD_DIR: another
Framework project to build, a folder with observablehq.config.ts and src/).

Any other option is passed to the sync (see npm run sync -- --help).
The lake is locked from the sync to the end of the site build (another sync,
build or nightly on the same lake is refused, naming the holder).
Exit codes: 0 built; 1 the sync or the site build failed (dist/ is then not
trustworthy: do not publish it), or another run holds the lake; 2 bad arguments
or configuration (a .env line that cannot be read included).`;

/** Checks every setting before any work (with --skip-sync too): a bad one exits 2 with its variable named. */
export function exitOnBadConfig(command: string): void {
  try {
    loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`${command}: ${error.message}`);
    process.exit(2);
  }
}

/**
 * Runs the sync CLI in its own process (its memory is gone before Framework starts).
 * `env` adds to the environment, e.g. a held lake lock's `childEnv`, which the sync joins.
 */
export function runSyncCli(args: string[], env: Record<string, string> = {}): Promise<number> {
  const bin = join(projectRoot, "node_modules", ".bin", "tsx");
  return new Promise((resolve, reject) => {
    const child = spawn(bin, [join(projectRoot, "data-loaders", "sync", "cli.ts"), ...args], { cwd: projectRoot, stdio: "inherit", env: { ...process.env, ...env } });
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(BUILD_HELP);
    return 0;
  }
  const started = Date.now();
  let lock: LakeLock;
  try {
    // Before anything reads the environment: the loaders Framework spawns inherit it.
    loadDotEnv(projectRoot);
    // The lake is held from the sync to the end of the site build, so no other run
    // rewrites the marts while the pages are built from them; the sync joins this lock.
    loadConfig(); // a bad setting (SI_LAKE_DIR an s3:// URL, say) exits 2 here, before the lock folder is made
    lock = await acquireLakeLock(siteLakeRoot(), { purpose: "build" });
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`build: ${error.message}`);
      return 2;
    }
    if (error instanceof LakeLockedError) {
      console.error(`build: ${error.message}`);
      return 1;
    }
    throw error;
  }
  try {
    if (!argv.includes("--skip-sync")) {
      const code = await runSyncCli(argv, lock.childEnv);
      if (code !== 0) {
        console.error(`build stopped: the sync exited with ${code}, so the site would show incomplete data (see the lines above)`);
        return code;
      }
    }
    const output = resolve(projectRoot, process.env.SI_BUILD_OUTPUT?.trim() || "dist");
    let code: number;
    try {
      code = await buildSite(output);
    } catch (error) {
      if (!(error instanceof BuildSettingError)) throw error;
      console.error(`build: ${error.message}`);
      return 2;
    }
    if (code !== 0) {
      console.error(`build failed: observable build exited with ${code}`);
      return code;
    }
  } finally {
    await lock.release();
  }
  console.error(`build finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await main(process.argv.slice(2));
}
