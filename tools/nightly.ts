/**
 * `npm run nightly`: the one command a scheduler runs. Sync (and rebuild the
 * marts), check the data contracts, build the site into a fresh folder, and only
 * then swap it in for `dist/`. Any failure stops before the swap, so a failed night
 * leaves the previous site as it was; the lake only ever holds complete records
 * (see data-loaders/lake/upsert.ts), so the previous data stays readable too.
 */
import { rename, rm, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { checkContracts } from "../data-loaders/contracts.js";
import { ConfigError, loadConfig, loadDotEnv, SOURCES, type SourceName, type SyncConfig } from "../data-loaders/config.js";
import { acquireLakeLock, LakeLockedError, type LakeLock } from "../data-loaders/lake/lock.js";
import { dropStaleLoaderOutputs, runFramework, runSyncCli } from "./build.js";
import { vendorNpm } from "./vendor-npm.js";

const projectRoot = fileURLToPath(new URL("..", import.meta.url));

export const NIGHTLY_HELP = `Usage: npm run nightly [-- options]

Sync every configured source (demo mode with no credentials), rebuild the marts,
check the data contracts, build the site into dist.next/ and swap it in for dist/
(the previous site is kept as dist.previous/). Nothing is swapped unless every step
succeeded, so a failed night leaves yesterday's site in place.

Options:
  --now ISO    the clock to sync up to (default: now)
  -h, --help   this text
Other options are passed to the sync (npm run sync -- --help), e.g. --quiet.

Contracts (settings, see README "Data contracts"): a source last synced longer
ago than SI_CONTRACT_MAX_STALE_HOURS, a vendor returning more than
SI_CONTRACT_MAX_ROW_DROP fewer records for the same hours than the night before,
or quarantine above SI_QUARANTINE_MAX_SHARE stops the night.

Exit codes: 0 published; 1 sync, contract or build failed (dist/ untouched);
2 bad arguments or configuration.`;

export const EXIT_NIGHTLY = { OK: 0, FAILED: 1, USAGE: 2 } as const;

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Replaces the site with the new build: dist -> dist.previous, dist.next -> dist. */
export async function swapInBuild(current: string): Promise<void> {
  const next = `${current}.next`;
  const previous = `${current}.previous`;
  await rm(previous, { recursive: true, force: true });
  if (await exists(current)) await rename(current, previous);
  await rename(next, current);
}

export async function nightly(argv: string[], log: (line: string) => void = (line) => console.error(line)): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(NIGHTLY_HELP);
    return EXIT_NIGHTLY.OK;
  }
  let config;
  try {
    loadDotEnv(projectRoot);
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      log(`nightly: ${error.message}`);
      return EXIT_NIGHTLY.USAGE;
    }
    throw error;
  }
  const nowIndex = argv.indexOf("--now");
  const now = nowIndex >= 0 && argv[nowIndex + 1] ? new Date(argv[nowIndex + 1] as string) : new Date();
  if (Number.isNaN(now.getTime())) {
    log(`nightly: --now expects an ISO date, not "${argv[nowIndex + 1]}"`);
    return EXIT_NIGHTLY.USAGE;
  }

  // One writer per lake (data-loaders/lake/lock.ts), held from the sync to the end of the
  // build: the sync this spawns joins it, another nightly or sync is refused.
  let lakeLock: LakeLock;
  try {
    lakeLock = await acquireLakeLock(config.lakeDir, { purpose: "nightly" });
  } catch (error) {
    if (!(error instanceof LakeLockedError)) throw error;
    log(`nightly: ${error.message}`);
    return EXIT_NIGHTLY.FAILED;
  }
  try {
    return await nightlySteps(argv, config, lakeLock, log);
  } finally {
    await lakeLock.release();
  }
}

/** The night's steps, run holding the lake lock. */
async function nightlySteps(argv: string[], config: SyncConfig, lakeLock: LakeLock, log: (line: string) => void): Promise<number> {
  log("nightly: 1/3 sync");
  const syncCode = await runSyncCli(argv, lakeLock.childEnv);
  if (syncCode !== 0) {
    log(`nightly: stopped: the sync exited with ${syncCode}; the published site is yesterday's and was not touched`);
    return syncCode === 2 ? EXIT_NIGHTLY.USAGE : EXIT_NIGHTLY.FAILED;
  }

  log("nightly: 2/3 data contracts");
  const sources: SourceName[] = config.demo ? [...SOURCES] : SOURCES.filter((source) => config.sources[source] !== undefined);
  // Freshness is about the wall clock, whatever --now the data was synced up to.
  const breaches = await checkContracts(config.lakeDir, sources, { ...config.contracts, quarantineMaxShare: config.quarantineMaxShare }, new Date());
  if (breaches.length > 0) {
    for (const breach of breaches) log(`nightly: contract broken (${breach.contract}): ${breach.message}`);
    log("nightly: stopped before building; the published site is yesterday's and was not touched");
    return EXIT_NIGHTLY.FAILED;
  }
  log(`nightly: contracts hold for ${sources.join(", ")}`);

  log("nightly: 3/3 build");
  const cacheRoot = join(projectRoot, "src", ".observablehq", "cache");
  await dropStaleLoaderOutputs(cacheRoot);
  await vendorNpm({ projectRoot, cacheRoot });
  // SI_SITE_DIR: where the published site lives (default dist/, what a web server serves).
  const siteDir = resolve(projectRoot, process.env.SI_SITE_DIR ?? "dist");
  await rm(`${siteDir}.next`, { recursive: true, force: true });
  const buildCode = await runFramework("build", [], { SI_BUILD_OUTPUT: `${siteDir}.next` });
  if (buildCode !== 0) {
    log(`nightly: stopped: observable build exited with ${buildCode}; the published site is yesterday's and was not touched`);
    return EXIT_NIGHTLY.FAILED;
  }
  await swapInBuild(siteDir);
  log(`nightly: published: ${siteDir} is the new site, ${siteDir}.previous the one before`);
  return EXIT_NIGHTLY.OK;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await nightly(process.argv.slice(2));
}
