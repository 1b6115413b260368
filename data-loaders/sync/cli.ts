/** `npm run sync`: see SYNC_HELP in cli-args.ts. */
import { fileURLToPath } from "node:url";
import { ConfigError, loadConfig, loadDotEnv } from "../config.js";
import { LakeLockedError, LakeProvenanceError } from "../lake/index.js";
import { EXIT, parseSyncArgs, SYNC_HELP, UsageError } from "./cli-args.js";
// Demo mode is wired here, at the command: the engine below never imports the simulator.
import { runSync } from "./demo.js";

async function main(): Promise<number> {
  let args;
  let config;
  try {
    args = parseSyncArgs(process.argv.slice(2));
    if (args.help) {
      console.log(SYNC_HELP);
      return EXIT.OK;
    }
    loadDotEnv(fileURLToPath(new URL("../..", import.meta.url)));
    config = loadConfig();
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      console.error(`sync: ${error.message}\n(npm run sync -- --help)`);
      return EXIT.USAGE;
    }
    throw error;
  }
  let result;
  try {
    result = await runSync(config, { args });
  } catch (error) {
    // Both are raised before anything is written: nothing to sum up.
    if (error instanceof LakeLockedError) {
      console.error(`sync: ${error.message}`);
      return EXIT.SYNC_FAILED;
    }
    if (error instanceof LakeProvenanceError) {
      console.error(`sync: ${error.message}`);
      return EXIT.USAGE;
    }
    throw error;
  }
  console.error(`\n${result.progress.summaryTable()}`);
  return result.exitCode;
}

process.exitCode = await main();
