/**
 * Demo mode's wiring: the embedded simulator standing in for the vendors, handed to
 * the engine (which never imports it). Only the sync CLI (cli.ts) imports this module,
 * so the production path reaches the simulator through the command alone; the CLI and
 * the tests run the sync through `runSync` here, which with configured sources is the
 * engine's run unchanged.
 */
import type { SyncConfig } from "../settings.js";
import { demoSourcesConfig, type DemoSimulatorHost } from "../sources/definition.js";
import { SOURCE_DEFINITIONS } from "../sources/index.js";
import { runSync as runEngine, type SyncRunOptions, type SyncRunResult } from "./engine.js";
import { DEMO_CREDENTIALS, everyFaultAt, exportEmbeddedEventFiles, exportUpscopeSessionFiles, startSimulator, type SimulatorOptions } from "../../simulator/index.js";

/**
 * The demo lifts the simulator's Upscope `/list` cap (100 by default, to show the trap):
 * the documented list has no paging, so with a cap a visitor who never co-browsed and is
 * not among the latest cannot be reached at all. Lifted, the demo lake equals the
 * simulator's ground truth. Demo options can still set a cap.
 */
export const DEMO_UPSCOPE_LIST_CAP = 1_000_000;

/** The simulator settings from SI_DEMO_* (SI_DEMO_FAULT_RATE switches every fault on at that rate). */
export function demoSimulatorOptions(config: SyncConfig): SimulatorOptions {
  const { seed, days, scale, faultRate, servedShare, driftRate, driftKinds, shift } = config.demoSimulator;
  return {
    seed,
    days,
    scale,
    faults: faultRate > 0 ? everyFaultAt(faultRate) : {},
    servedShare,
    ...(driftRate > 0 ? { drift: { rate: driftRate, ...(driftKinds ? { kinds: driftKinds } : {}) } } : {}),
    ...(shift ? { shift } : {}),
  };
}

/** A demo credential by source and name, e.g. ("upscope", "apiKey"). */
function demoCredential(source: string, name: string): string {
  const credentials: Readonly<Record<string, Readonly<Record<string, unknown>>>> = DEMO_CREDENTIALS;
  const value = credentials[source]?.[name];
  if (typeof value !== "string") throw new Error(`the simulator has no demo credential ${source}.${name}`);
  return value;
}

/** The simulator as the engine takes it, with the SI_DEMO_* settings and `overrides` (tests pin the clock and switch faults on). */
export function demoSimulatorHost(config: SyncConfig, overrides: SimulatorOptions = {}): DemoSimulatorHost {
  return {
    credential: demoCredential,
    async start(now) {
      const options: SimulatorOptions = { now, upscopeListCap: DEMO_UPSCOPE_LIST_CAP, ...demoSimulatorOptions(config), ...overrides };
      const simulator = await startSimulator(options);
      return {
        url: simulator.url,
        stop: () => simulator.stop(),
        async exportFiles(source, dir, { startedBefore }) {
          if (source === "upscope" && startedBefore) await exportUpscopeSessionFiles(options, dir, { startedBefore });
          else if (source === "embedded") await exportEmbeddedEventFiles(options, dir);
          else throw new Error(`the simulator writes no files for ${source}${source === "upscope" ? " without a start cut-off" : ""}`);
        },
      };
    },
  };
}

/** Every registered source pointed at a simulator at `simulatorUrl` (tests replay demo lakes with it). */
export function demoConfig(config: SyncConfig, simulatorUrl: string): SyncConfig {
  return demoSourcesConfig(config, SOURCE_DEFINITIONS, { url: simulatorUrl, lakeDir: config.lakeDir, credential: demoCredential });
}

export interface DemoSyncOptions extends Omit<SyncRunOptions, "demoSimulator"> {
  /** Simulator settings for demo mode over SI_DEMO_* (tests pin the clock and switch faults on). */
  demo?: SimulatorOptions;
}

/** One sync run (see data-loaders/sync/engine.ts), with the simulator for demo mode. */
export function runSync(config: SyncConfig, options: DemoSyncOptions): Promise<SyncRunResult> {
  const { demo, ...engineOptions } = options;
  return runEngine(config, { ...engineOptions, demoSimulator: demoSimulatorHost(config, demo) });
}
