/** Upscope (co-browsing): the source as the registry lists it. */
import { join } from "node:path";
import { checkFolderVariable, defineSource } from "../sources/definition.js";
import { upscopePolicy } from "./client.js";
import { upscopeConfig, UpscopeEnv, type UpscopeConfig } from "./config.js";
import { SESSIONS_TABLE, VISITORS_TABLE } from "./stream.js";
import { replayUpscope, syncUpscope } from "./sync.js";

/**
 * Demo Upscope history: the simulator's sessions that started more than this many days
 * before now, written as a customer's weekly export files; the API brings the later ones
 * (its recent sessions reach 30 days back, so the two overlap and merge by id).
 */
export const DEMO_SESSION_FILES_LAG_DAYS = 7;

/** Where demo mode writes the simulator's Upscope session files: inside the lake, under a "_" folder readers skip. */
export function demoSessionFilesDir(lakeDir: string): string {
  return join(lakeDir, "_demo", "upscope-session-files");
}

export const upscopeSource = defineSource({
  name: "upscope",
  label: "Upscope (co-browsing)",
  env: UpscopeEnv,
  configuredBy: ["UPSCOPE_API_KEY", "UPSCOPE_ON_PREMISE_URL", "UPSCOPE_REST_KEY", "UPSCOPE_SESSION_FILES"],
  secretVariables: ["UPSCOPE_API_KEY", "UPSCOPE_REST_KEY"],
  configure: upscopeConfig,
  folders: (env) => checkFolderVariable("UPSCOPE_SESSION_FILES", env.UPSCOPE_SESSION_FILES, { fileToo: true }),
  secrets: (config) => [config.auth.kind === "api-key" ? config.auth.apiKey : config.auth.restKey],
  tables: [SESSIONS_TABLE, VISITORS_TABLE],
  cursor: "the newest visitor activity seen (re-read over SI_TRAILING_WINDOW_HOURS), and the size and hash of every session file read",
  retryPolicy: upscopePolicy,
  sync: syncUpscope,
  replay: replayUpscope,
  demo: {
    // The history older than the lag comes as weekly export files.
    files: { dir: demoSessionFilesDir, startedBefore: (now) => new Date(now.getTime() - DEMO_SESSION_FILES_LAG_DAYS * 24 * 3600 * 1000) },
    config: (simulator, sessionFiles): UpscopeConfig => ({
      baseUrl: `${simulator.url}/upscope/v1.3`,
      onPremise: false,
      auth: { kind: "api-key", apiKey: simulator.credential("upscope", "apiKey") },
      sessionFiles,
      concurrency: 4,
    }),
  },
});
