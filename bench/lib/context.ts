/** What every measurement receives from the runner, and the sizes of a quick and a full run. */
import { join } from "node:path";

export type ProfileName = "quick" | "full";

export interface ThroughputSettings {
  /** Latency the simulator adds to every response (the L). */
  latencyMs: number;
  /** LivePerson requests in flight (the C); each value is one run. */
  concurrency: number[];
  /**
   * Shares of LivePerson records served `isPartial` (each fetched again by id, one per
   * request); each value is one simulator. 0.04 is the simulator's default, 0 is the
   * issue's bound's own assumption (every request returns a full page of 100).
   */
  partialShares: number[];
  scale: number;
  days: number;
}

export interface IngestSettings {
  /**
   * Size of the LivePerson history whose archived pages are ingested both ways, when the
   * throughput measurement did not run (otherwise its sync's archive is used).
   */
  scale: number;
  days: number;
}

export interface ScaleSettings {
  scale: number;
  /** History, in days: 395 is the issue's thirteen months (SI_HISTORY_DAYS' default). */
  days: number;
  /** Upper bound on the full sync's wall time; past it the run is stopped and reported as cut off. */
  fullSyncTimeoutMinutes: number;
  /**
   * When the machine cannot sync the enterprise volume within the hour: the scale of a
   * second, smaller full sync, so that the cost's growth with volume can be fitted and
   * the enterprise figures estimated from two measured points rather than one.
   */
  calibrationScale: number | null;
}

export interface Profile {
  name: ProfileName;
  seed: number;
  /** The simulator's and the syncs' fixed clock, so two runs read the same data. */
  now: string;
  throughput: ThroughputSettings;
  ingest: IngestSettings;
  scale: ScaleSettings;
}

/**
 * Enterprise volume: about 1,000,000 LivePerson engagements in 13 months. At scale 1 the
 * simulator makes about 79 engagements a day on average (90 a weekday, fewer at
 * weekends), so 395 days × 79 × 32 ≈ 1.0 M. One scale moves all three sources together, and
 * their ratio is the simulator's (90 : 24 : 30 a weekday), so at 1 M engagements the lake
 * holds about 267 k co-browse sessions and 334 k Agendize chats, not 200 k and 300 k.
 */
export const ENTERPRISE_ENGAGEMENTS = 1_000_000;
export const ENTERPRISE_COBROWSE_SESSIONS = 200_000;
export const ENTERPRISE_AGENDIZE_CHATS = 300_000;

export const PROFILES: Record<ProfileName, Profile> = {
  quick: {
    name: "quick",
    seed: 1,
    now: "2026-06-01T00:00:00Z",
    throughput: { latencyMs: 50, concurrency: [4], partialShares: [0.04, 0], scale: 4, days: 12 },
    ingest: { scale: 4, days: 12 },
    scale: { scale: 0.25, days: 395, fullSyncTimeoutMinutes: 4, calibrationScale: null },
  },
  full: {
    name: "full",
    seed: 1,
    now: "2026-06-01T00:00:00Z",
    // Enterprise daily volume (scale 32) over two weeks: 14 day windows, enough for C = 8.
    throughput: { latencyMs: 50, concurrency: [4, 8], partialShares: [0.04, 0], scale: 32, days: 14 },
    ingest: { scale: 32, days: 14 },
    // Scale 32 (1 M engagements) does not fit the hour on this shared 2-core machine beside the
    // other measurements (see README, Performance); 12 (370 k) does, and is past the volume at
    // which the model build runs out of memory (between 6 and 12), so the run shows it.
    // Scale 3 gives the second point for the growth estimate.
    scale: { scale: 12, days: 395, fullSyncTimeoutMinutes: 40, calibrationScale: 3 },
  },
};

export interface BenchContext {
  profile: Profile;
  /** Scratch space for lakes, archives and the built site; removed after the run unless kept. */
  workDir: string;
  log(line: string): void;
}

export function workPath(ctx: BenchContext, ...parts: string[]): string {
  return join(ctx.workDir, ...parts);
}
