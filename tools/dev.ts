/**
 * `npm run dev`: Framework's live-reloading preview, with the browser libraries
 * vendored from node_modules first so the preview needs no network either. With no
 * marts in the lake yet (a fresh clone), the sync runs first (the demo simulator
 * when no credentials are set), so the pages have data to show.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError, loadDotEnv } from "../data-loaders/config.js";
import { readMartsManifestSync, siteLakeRoot } from "../data-loaders/site.js";
import { exitOnBadConfig, runFramework, runSyncCli } from "./build.js";
import { vendorNpm } from "./vendor-npm.js";

const projectRoot = fileURLToPath(new URL("..", import.meta.url));
try {
  loadDotEnv(projectRoot);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`dev: ${error.message}`);
  process.exit(2);
}
exitOnBadConfig("dev");
if (!readMartsManifestSync()) {
  console.error(`dev: no marts in ${siteLakeRoot()} yet: syncing first (npm run sync)`);
  const code = await runSyncCli([]);
  if (code !== 0) process.exit(code);
}
await vendorNpm({ projectRoot, cacheRoot: join(projectRoot, "src", ".observablehq", "cache") });
process.exit(await runFramework("preview", ["--host", "127.0.0.1", ...process.argv.slice(2)]));
