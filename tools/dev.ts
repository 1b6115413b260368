/**
 * `npm run dev`: Framework's live-reloading preview, with the browser libraries
 * vendored from node_modules first so the preview needs no network either.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runFramework } from "./build.js";
import { vendorNpm } from "./vendor-npm.js";

const projectRoot = fileURLToPath(new URL("..", import.meta.url));
await vendorNpm({ projectRoot, cacheRoot: join(projectRoot, "src", ".observablehq", "cache") });
process.exit(await runFramework("preview", ["--host", "127.0.0.1", ...process.argv.slice(2)]));
