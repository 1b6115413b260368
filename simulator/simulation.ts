/** Options, their defaults, and the data sources they configure (shared by the server and the export). */
import { AgendizeData } from "./generate/agendize.js";
import { LivePersonData } from "./generate/liveperson.js";
import { UpscopeData } from "./generate/upscope.js";
import { DEMO_CREDENTIALS } from "./credentials.js";
import { resolveDrift, type DriftSettings, type SimulatedDriftKind } from "./drift.js";
import { NO_FAULTS } from "./faults.js";
import type { FaultRates } from "./faults.js";
import type { MetricShift } from "./shift.js";
import { World } from "./world.js";

export interface SimulatorOptions {
  /** TCP port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Data seed (default 1). */
  seed?: number;
  /** History length in days before now (default 180). */
  days?: number;
  /** Volume multiplier (default 1). */
  scale?: number;
  /** Fixed clock (ISO string, epoch ms or Date); default: the real clock. */
  now?: string | number | Date;
  /** Latency added to every response, in ms (default 0). */
  latencyMs?: number;
  /** How many visitors Upscope /list returns at most (default 100). */
  upscopeListCap?: number;
  /** Fault rates (0..1 each, default 0). */
  faults?: Partial<FaultRates>;
  /** Only the first N attempts of the same request can be faulted (default 2), so retries succeed. */
  faultedAttempts?: number;
  /** Extra latency of a `latency` fault, in ms (default 250). */
  faultLatencyMs?: number;
  /** Total duration of a `slow_body` fault, in ms (default 400). */
  slowBodyMs?: number;
  /** Generated days kept in memory per source (default 48). */
  dayCacheSize?: number;
  /** Share of records list and search responses serve (default 1); less simulates a vendor losing data. */
  servedShare?: number;
  /** Share of LivePerson records marked `isPartial` (default 0.04), each to be fetched again by id. */
  livePersonPartialShare?: number;
  /**
   * Vendor drift (drift.ts): a share of records (`rate`, default 0) served drifted from the
   * docs in one of `kinds` (default all), the same in every response and in the export.
   */
  drift?: { rate?: number; kinds?: readonly SimulatedDriftKind[] };
  /** A real change on purpose (shift.ts): one metric moves by a factor from a day on. */
  shift?: MetricShift;
}

export interface ResolvedOptions {
  port: number;
  host: string;
  seed: number;
  days: number;
  scale: number;
  fixedNowMs: number | null;
  latencyMs: number;
  upscopeListCap: number;
  faults: FaultRates;
  faultedAttempts: number;
  faultLatencyMs: number;
  slowBodyMs: number;
  dayCacheSize: number;
  servedShare: number;
  livePersonPartialShare: number;
  drift: DriftSettings;
  shift: MetricShift | undefined;
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a non-negative number, got ${value}`);
  return value;
}

export function resolveOptions(options: SimulatorOptions): ResolvedOptions {
  let fixedNowMs: number | null = null;
  if (options.now !== undefined) {
    fixedNowMs = options.now instanceof Date ? options.now.getTime() : typeof options.now === "number" ? options.now : Date.parse(options.now);
    if (Number.isNaN(fixedNowMs)) throw new RangeError(`now is not a valid date: ${String(options.now)}`);
  }
  const faults: FaultRates = { ...NO_FAULTS, ...options.faults };
  for (const [name, rate] of Object.entries(faults)) {
    if (!(rate >= 0 && rate <= 1)) throw new RangeError(`fault rate ${name} must be within 0..1, got ${rate}`);
  }
  const scale = options.scale ?? 1;
  if (!(scale > 0)) throw new RangeError(`scale must be positive, got ${scale}`);
  return {
    port: nonNegative("port", options.port ?? 0),
    host: options.host ?? "127.0.0.1",
    seed: Math.trunc(options.seed ?? 1),
    days: nonNegative("days", options.days ?? 180),
    scale,
    fixedNowMs,
    latencyMs: nonNegative("latencyMs", options.latencyMs ?? 0),
    upscopeListCap: Math.trunc(nonNegative("upscopeListCap", options.upscopeListCap ?? 100)),
    faults,
    faultedAttempts: Math.trunc(nonNegative("faultedAttempts", options.faultedAttempts ?? 2)),
    faultLatencyMs: nonNegative("faultLatencyMs", options.faultLatencyMs ?? 250),
    slowBodyMs: nonNegative("slowBodyMs", options.slowBodyMs ?? 400),
    dayCacheSize: Math.max(1, Math.trunc(options.dayCacheSize ?? 48)),
    servedShare: Math.min(1, nonNegative("servedShare", options.servedShare ?? 1)),
    livePersonPartialShare: Math.min(1, nonNegative("livePersonPartialShare", options.livePersonPartialShare ?? 0.04)),
    drift: resolveDrift(options.drift),
    shift: options.shift,
  };
}

export interface Simulation {
  options: ResolvedOptions;
  world: World;
  upscope: UpscopeData;
  liveperson: LivePersonData;
  agendize: AgendizeData;
  nowMs: () => number;
}

export function createSimulation(options: ResolvedOptions): Simulation {
  const fixed = options.fixedNowMs;
  const nowMs = fixed === null ? () => Date.now() : () => fixed;
  const world = new World({
    seed: options.seed,
    scale: options.scale,
    days: options.days,
    nowMs,
    accountId: DEMO_CREDENTIALS.liveperson.accountId,
    invalidRecordRate: options.faults.invalidRecord,
    dayCacheSize: options.dayCacheSize,
    servedShare: options.servedShare,
    livePersonPartialShare: options.livePersonPartialShare,
    drift: options.drift,
    ...(options.shift ? { shift: options.shift } : {}),
  });
  return {
    options,
    world,
    upscope: new UpscopeData(world),
    liveperson: new LivePersonData(world),
    agendize: new AgendizeData(world),
    nowMs,
  };
}
