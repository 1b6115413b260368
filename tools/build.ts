/**
 * `npm run build`: sync the lake and rebuild the marts (`npm run sync`), vendor the
 * browser libraries from node_modules into Framework's cache, drop stale loader
 * outputs, then run `observable build`.
 *
 * Framework reuses a cached loader output whatever its age, so every build deletes
 * the cached outputs (never the vendored `_npm` bundles) to make the loaders run
 * against the lake as it is now.
 */
import { spawn } from "node:child_process";
import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError, loadConfig, loadDotEnv } from "../data-loaders/config.js";
import { acquireLakeLock, LakeLockedError, type LakeLock } from "../data-loaders/lake/lock.js";
import { siteLakeRoot } from "../data-loaders/site.js";
import { vendorNpm } from "./vendor-npm.js";

const projectRoot = fileURLToPath(new URL("..", import.meta.url));
const cacheRoot = join(projectRoot, "src", ".observablehq", "cache");
const KEEP_IN_CACHE = new Set(["_npm"]);

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

export function runFramework(command: "build" | "preview", args: string[] = [], env: Record<string, string> = {}): Promise<number> {
  const bin = join(projectRoot, "node_modules", ".bin", "observable");
  return new Promise((resolve, reject) => {
    const child = spawn(bin, [command, ...args], {
      cwd: projectRoot,
      stdio: "inherit",
      env: { ...process.env, ...env, OBSERVABLE_TELEMETRY_DISABLE: "true" },
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

export const BUILD_HELP = `Usage: npm run build [-- options]

Syncs every configured source into the lake (demo mode with no credentials),
rebuilds the marts, then builds the static site into dist/.

Options:
  --skip-sync   build from the lake as it is (no fetching, no model rebuild)
  -h, --help    this text

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
    await dropStaleLoaderOutputs(cacheRoot);
    const vendored = await vendorNpm({ projectRoot, cacheRoot });
    console.error(`vendored ${vendored.modules.length} modules and ${vendored.files.length} files from node_modules`);
    const code = await runFramework("build");
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
