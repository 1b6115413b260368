/**
 * `npm run nightly`: the one command a scheduler runs. Sync (and rebuild the
 * marts), check the data contracts, build the site into a fresh version folder,
 * and only then publish it with one atomic switch of the site link (tools/publish.ts).
 * Any failure stops before the switch, so a failed or killed night leaves the
 * previous site as it was; the lake only ever holds complete records (see
 * data-loaders/lake/upsert.ts), so the previous data stays readable too.
 */
import { rm } from "node:fs/promises";
import { relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { checkContracts, readRunManifests } from "../data-loaders/contracts.js";
import { ConfigError, loadConfig, loadDotEnv, SOURCES, type SourceName, type SyncConfig } from "../data-loaders/config.js";
import { acquireLakeLock, LakeLockedError, type LakeLock } from "../data-loaders/lake/lock.js";
import { BuildSettingError, buildSite, runSyncCli } from "./build.js";
import { prepareVersion, publishVersion, repairSite, rollback, siteLayout, type SiteLayout } from "./publish.js";

const projectRoot = fileURLToPath(new URL("..", import.meta.url));

export const NIGHTLY_HELP = `Usage: npm run nightly [-- options]

Sync every configured source (demo mode with no credentials), rebuild the marts,
check the data contracts, build the site into dist.versions/<build-id>/ and
publish it: dist is a symbolic link, switched to the new build in one atomic
rename; the previous build is kept for --rollback, older ones are deleted.
Nothing is switched unless every step succeeded, so a failed or killed night
leaves yesterday's site in place.

Options:
  --now ISO    the clock to sync up to (default: now)
  --rollback   point dist back at the previous build, then stop (no sync, no build)
  -h, --help   this text
Other options are passed to the sync (npm run sync -- --help), e.g. --quiet.

Settings: SI_SITE_DIR (the site link a web server serves, default dist),
SI_BUILD_DIR and SI_SITE_SOURCE (see npm run build -- --help).

Contracts (settings, see README "Data contracts"): a source last synced longer
ago than SI_CONTRACT_MAX_STALE_HOURS, a vendor returning more than
SI_CONTRACT_MAX_ROW_DROP fewer records for the same hours than the night before,
or quarantine above SI_QUARANTINE_MAX_SHARE stops the night. Vendor drift (records
off the vendor's docs but usable) is kept and logged as a warning, never a stop.

The lake is locked from the sync to the publish (another sync, build or nightly
on the same lake is refused, naming the holder).

Exit codes: 0 published (or rolled back); 1 sync, contract or build failed
(dist untouched), or another run holds the lake; 2 bad arguments or configuration.`;

export const EXIT_NIGHTLY = { OK: 0, FAILED: 1, USAGE: 2 } as const;

function siteLayoutFromEnv(): SiteLayout {
  // SI_SITE_DIR: where the published site lives (default dist, what a web server serves).
  return siteLayout(resolve(projectRoot, process.env.SI_SITE_DIR?.trim() || "dist"));
}

export async function nightly(argv: string[], log: (line: string) => void = (line) => console.error(line)): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(NIGHTLY_HELP);
    return EXIT_NIGHTLY.OK;
  }
  if (argv.includes("--rollback")) {
    try {
      const { from, to } = await rollback(siteLayoutFromEnv());
      log(`nightly: rolled back: ${siteLayoutFromEnv().site} is build ${to} again (was ${from})`);
      return EXIT_NIGHTLY.OK;
    } catch (error) {
      log(`nightly: ${(error as Error).message}`);
      return EXIT_NIGHTLY.FAILED;
    }
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

  // One writer per lake (data-loaders/lake/lock.ts), held from the sync to the publish:
  // the sync this spawns joins it, another nightly or sync is refused.
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
  const layout = siteLayoutFromEnv();
  // A run killed during the one-time move to versioned folders left no site link: put it back first.
  const repaired = await repairSite(layout);
  if (repaired) log(`nightly: repaired: ${repaired}`);

  log("nightly: 1/4 sync");
  const syncCode = await runSyncCli(argv, lakeLock.childEnv);
  if (syncCode !== 0) {
    log(`nightly: stopped: the sync exited with ${syncCode}; the published site is yesterday's and was not touched`);
    return syncCode === 2 ? EXIT_NIGHTLY.USAGE : EXIT_NIGHTLY.FAILED;
  }

  log("nightly: 2/4 data contracts");
  const sources: SourceName[] = config.demo ? [...SOURCES] : SOURCES.filter((source) => config.sources[source] !== undefined);
  // Vendor drift never stops a night, but the log says how much was kept (the Data page lists it).
  const drifted: string[] = [];
  for (const source of sources) {
    const last = (await readRunManifests(config.lakeDir, source)).at(-1);
    if (last?.driftedRecords) drifted.push(`${source} ${last.driftedRecords}`);
  }
  if (drifted.length > 0) log(`nightly: warning: vendor drift kept, not quarantined, in the last runs: ${drifted.join(", ")} records (see the Data page)`);
  // Freshness is about the wall clock, whatever --now the data was synced up to.
  const breaches = await checkContracts(config.lakeDir, sources, { ...config.contracts, quarantineMaxShare: config.quarantineMaxShare }, new Date());
  if (breaches.length > 0) {
    for (const breach of breaches) log(`nightly: contract broken (${breach.contract}): ${breach.message}`);
    log("nightly: stopped before building; the published site is yesterday's and was not touched");
    return EXIT_NIGHTLY.FAILED;
  }
  log(`nightly: contracts hold for ${sources.join(", ")}`);

  const version = await prepareVersion(layout);
  const shown = relative(projectRoot, version.dir);
  log(`nightly: 3/4 build into ${shown.startsWith("..") ? version.dir : shown}`);
  let buildCode: number;
  try {
    buildCode = await buildSite(version.dir, log);
  } catch (error) {
    if (!(error instanceof BuildSettingError)) throw error;
    log(`nightly: ${error.message}`);
    return EXIT_NIGHTLY.USAGE;
  }
  if (buildCode !== 0) {
    await rm(version.dir, { recursive: true, force: true });
    log(`nightly: stopped: observable build exited with ${buildCode}; the published site is yesterday's and was not touched`);
    return EXIT_NIGHTLY.FAILED;
  }
  log(`nightly: 4/4 publish build ${version.id}`);
  const published = await publishVersion(layout, version.id);
  log(
    `nightly: published: ${layout.site} is build ${published.id}` +
      (published.previous ? ` (the previous, ${published.previous}, is kept for --rollback)` : "") +
      (published.removed.length ? `; removed ${published.removed.join(", ")}` : ""),
  );
  return EXIT_NIGHTLY.OK;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await nightly(process.argv.slice(2));
}
