/**
 * The vendor simulator in its own process, as the vendors are in production: the
 * sync's memory and CPU figures then hold only the sync. Started through the
 * simulator's own CLI (`simulator/cli.ts`), stopped with SIGTERM.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { DEMO_CREDENTIALS } from "../../simulator/index.js";
import { nodeTs } from "./measure.js";
import { PROJECT_ROOT } from "./paths.js";

export interface SimulatorSettings {
  seed: number;
  days: number;
  scale: number;
  /** Fixed clock, ISO 8601. */
  now: string;
  latencyMs: number;
  /** Share of LivePerson records served `isPartial` (the simulator's default when absent). */
  livePersonPartialShare?: number;
}

export interface SimulatorProcess {
  url: string;
  pid: number;
  /** Stops it and returns its peak RSS (VmHWM) in bytes. */
  stop(): Promise<number>;
}

/** The demo mode's lifted Upscope `/list` cap (data-loaders/sync/demo.ts), so the lake can equal the ground truth. */
export const UPSCOPE_LIST_CAP = 1_000_000;

export async function startSimulatorProcess(settings: SimulatorSettings): Promise<SimulatorProcess> {
  const [node, args] = nodeTs(join(PROJECT_ROOT, "simulator", "cli.ts"), [
    "--port", "0",
    "--seed", String(settings.seed),
    "--days", String(settings.days),
    "--scale", String(settings.scale),
    "--now", settings.now,
    "--latency", String(settings.latencyMs),
    "--upscope-list-cap", String(UPSCOPE_LIST_CAP),
    ...(settings.livePersonPartialShare === undefined ? [] : ["--liveperson-partial-share", String(settings.livePersonPartialShare)]),
  ]);
  const child: ChildProcess = spawn(node, args, { cwd: PROJECT_ROOT, stdio: ["ignore", "pipe", "pipe"] });
  const pid = child.pid;
  if (pid === undefined) throw new Error("could not start the simulator");
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      const match = /listening on (http:\/\/[^\s]+)/.exec(stdout);
      if (match?.[1]) resolve(match[1]);
    });
    child.on("exit", (code) => reject(new Error(`simulator exited (${code}) before listening: ${stderr.slice(-2000)}`)));
    child.on("error", reject);
  });
  return {
    url,
    pid,
    async stop() {
      const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
      const peak = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) * 1024;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      await exited;
      return peak;
    },
  };
}

/** Every variable that could configure a source, so a bench child never picks up the caller's real credentials. */
const SOURCE_VARIABLE = /^(UPSCOPE|LIVEPERSON|AGENDIZE|EMBEDDED)_/;

/**
 * Environment for `npm run sync` against a simulator in another process: each wanted
 * source configured with the simulator's demo credentials (so not demo mode: no
 * embedded simulator in the sync's process), a fixed pseudonym key, the given lake.
 */
export function syncEnvironment(options: {
  simulatorUrl: string;
  lakeDir: string;
  historyDays: number;
  sources: ReadonlyArray<"upscope" | "liveperson" | "agendize">;
  upscopeSessionFiles?: string;
  livePersonConcurrency?: number;
}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!SOURCE_VARIABLE.test(name) && !name.startsWith("SI_")) env[name] = value;
  Object.assign(env, {
    SI_LAKE_DIR: options.lakeDir,
    SI_PSEUDONYM_KEY: "support-insights-benchmark-pseudonym-key",
    SI_HISTORY_DAYS: String(options.historyDays),
    OBSERVABLE_TELEMETRY_DISABLE: "true",
  });
  const url = options.simulatorUrl;
  if (options.sources.includes("upscope")) {
    Object.assign(env, {
      UPSCOPE_API_KEY: DEMO_CREDENTIALS.upscope.apiKey,
      UPSCOPE_BASE_URL: `${url}/upscope/v1.3`,
      ...(options.upscopeSessionFiles ? { UPSCOPE_SESSION_FILES: options.upscopeSessionFiles } : {}),
    });
  }
  if (options.sources.includes("liveperson")) {
    Object.assign(env, {
      LIVEPERSON_ACCOUNT_ID: DEMO_CREDENTIALS.liveperson.accountId,
      LIVEPERSON_BEARER_TOKEN: DEMO_CREDENTIALS.liveperson.bearerToken,
      LIVEPERSON_CSDS_URL: `${url}/liveperson/csds`,
      ...(options.livePersonConcurrency ? { LIVEPERSON_CONCURRENCY: String(options.livePersonConcurrency) } : {}),
    });
  }
  if (options.sources.includes("agendize")) {
    Object.assign(env, {
      AGENDIZE_API_KEY: DEMO_CREDENTIALS.agendize.apiKey,
      AGENDIZE_TOKEN: DEMO_CREDENTIALS.agendize.token,
      AGENDIZE_BASE_URL: `${url}/agendize/api/2.0`,
      // As in demo mode (the demo configuration in data-loaders/agendize/source.ts).
      AGENDIZE_COMPANY_TIME_ZONE: "Europe/Paris",
    });
  }
  return env;
}
