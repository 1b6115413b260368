/**
 * One sync run: every configured source in turn, each isolated (one failing
 * source does not stop the others), then the quarantine check. In demo mode the
 * embedded simulator is started on a free loopback port and stands in for all
 * three vendors, with its demo credentials.
 */
import { randomUUID } from "node:crypto";
import { DEMO_CREDENTIALS, startSimulator, type SimulatorOptions } from "../../simulator/index.js";
import { SOURCES, type SourceName, type SyncConfig } from "../config.js";
import { openLake } from "../lake/index.js";
import { syncLivePerson } from "../liveperson/sync.js";
import { createPseudonymizer } from "../privacy.js";
import { EXIT, type SyncArgs } from "./cli-args.js";
import type { SourceRunContext, SourceRunResult } from "./context.js";
import { SyncProgress } from "./progress.js";

type SourceSync = (ctx: SourceRunContext) => Promise<SourceRunResult>;

/** The sources this build can sync; the others are reported as not yet available. */
export const SOURCE_SYNCS: Partial<Record<SourceName, SourceSync>> = {
  liveperson: syncLivePerson,
};

export interface SyncRunOptions {
  args: SyncArgs;
  progress?: SyncProgress;
  /** Simulator settings for demo mode (tests pin the clock and switch faults on). */
  demo?: SimulatorOptions;
  http?: SourceRunContext["http"];
}

export interface SyncRunResult {
  exitCode: number;
  demo: boolean;
  results: Partial<Record<SourceName, SourceRunResult | { error: string }>>;
  progress: SyncProgress;
}

/** Points every source at the simulator with its demo credentials. */
export function demoConfig(config: SyncConfig, simulatorUrl: string): SyncConfig {
  return {
    ...config,
    sources: {
      upscope: {
        baseUrl: `${simulatorUrl}/upscope/v1.3`,
        onPremise: false,
        auth: { kind: "api-key", apiKey: DEMO_CREDENTIALS.upscope.apiKey },
        sessionFiles: undefined,
        concurrency: 4,
      },
      liveperson: {
        accountId: DEMO_CREDENTIALS.liveperson.accountId,
        csdsUrl: `${simulatorUrl}/liveperson/csds`,
        auth: { kind: "bearer", token: DEMO_CREDENTIALS.liveperson.bearerToken },
        source: "SupportInsights",
        concurrency: 4,
      },
      agendize: {
        baseUrl: `${simulatorUrl}/agendize/api/2.0`,
        listPath: "/chat/history",
        auth: { kind: "api-key", apiKey: DEMO_CREDENTIALS.agendize.apiKey, token: DEMO_CREDENTIALS.agendize.token },
        companyTimeZone: "Europe/Paris",
        windowDays: 7,
        concurrency: 2,
      },
    },
  };
}

export async function runSync(baseConfig: SyncConfig, options: SyncRunOptions): Promise<SyncRunResult> {
  const { args } = options;
  const progress = options.progress ?? new SyncProgress(undefined, undefined, args.quiet);
  const now = args.now ?? new Date();
  const simulator = baseConfig.demo ? await startSimulator({ now, ...options.demo }) : undefined;
  const config = simulator ? demoConfig(baseConfig, simulator.url) : baseConfig;
  if (simulator) progress.note(`demo mode: no source configured, using the embedded simulator at ${simulator.url}`);
  const lake = await openLake(config.lakeDir);
  const results: SyncRunResult["results"] = {};
  let failed = false;
  let records = 0;
  let quarantined = 0;
  try {
    const wanted = args.sources.length > 0 ? args.sources : SOURCES.filter((source) => config.sources[source] !== undefined);
    for (const source of wanted) {
      const sync = SOURCE_SYNCS[source];
      if (config.sources[source] === undefined) {
        progress.skip(source, "not configured");
        continue;
      }
      if (!sync) {
        progress.skip(source, "sync not available in this build yet");
        continue;
      }
      progress.start(source);
      try {
        const result = await sync({
          config,
          lake,
          progress,
          runId: `${now.toISOString().replace(/[:.]/g, "-")}-${randomUUID().slice(0, 8)}`,
          now,
          since: args.since,
          full: args.full,
          pseudonym: createPseudonymizer(config.pseudonymKey),
          http: options.http ?? {},
        });
        results[source] = result;
        records += result.records;
        quarantined += result.quarantined;
        progress.finish(source, { ok: true });
      } catch (error) {
        failed = true;
        const message = error instanceof Error ? error.message : String(error);
        results[source] = { error: message };
        progress.finish(source, { ok: false, error: message });
      }
    }
  } finally {
    lake.close();
    await simulator?.stop();
  }
  const share = records === 0 ? 0 : quarantined / records;
  const overQuarantine = share > config.quarantineMaxShare;
  if (overQuarantine) {
    progress.note(
      `quarantine over threshold: ${quarantined} of ${records} records (${(share * 100).toFixed(2)}%) > SI_QUARANTINE_MAX_SHARE ${(config.quarantineMaxShare * 100).toFixed(2)}%`,
    );
  }
  return { exitCode: failed || overQuarantine ? EXIT.SYNC_FAILED : EXIT.OK, demo: config !== baseConfig, results, progress };
}
