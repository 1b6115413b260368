/**
 * The benchmark's shapes: what its child processes print (checked where they are read),
 * what each measurement finds, and the run's results that gather them. They live here,
 * below the measurements, so the measurements, the report and the targets share them
 * without importing each other.
 */
import { z } from "zod";
import type { SourceName } from "../../data-loaders/config.js";
import type { TargetResult } from "./bound.js";
import type { Profile } from "./context.js";
import type { ProcessPeak } from "./measure.js";

/** A client run's counts: what the naive client and the fetch driver print. */
export const RateFigures = z.object({
  records: z.number().int().nonnegative(),
  requests: z.number().int().nonnegative(),
  seconds: z.number().positive(),
});

/** The last line of a child's stdout that parses as JSON, checked against `schema`. */
export function parseJsonLine<T>(stdout: string, schema: z.ZodType<T>): T {
  const lines = stdout.trim().split("\n").reverse();
  for (const line of lines) {
    if (!line.startsWith("{")) continue;
    return schema.parse(JSON.parse(line));
  }
  throw new Error(`no JSON result line in the child's output: ${stdout.slice(-500)}`);
}

/** What the ingest floor driver prints. */
export const FloorFigures = z.object({
  rows: z.number().int().nonnegative(),
  seconds: z.number().positive(),
  bytes: z.number().int().nonnegative(),
});

/** What the session-file export driver prints. */
export const ExportFigures = z.object({
  files: z.number().int().nonnegative(),
  sessions: z.number().int().nonnegative(),
});

// What each measurement finds.

// throughput.ts: our sync, our fetch path alone and the naive client against the bound.
export interface ClientRun {
  records: number;
  requests: number;
  seconds: number;
  recordsPerSecond: number;
  requestsPerSecond: number;
  peakRssBytes: number;
}

export interface ThroughputRun {
  concurrency: number;
  /** Share of records the simulator served `isPartial` in this run. */
  partialShare: number;
  boundRecordsPerSecond: number;
  boundRequestsPerSecond: number;
  sync: ClientRun;
  fetchOnly: ClientRun;
  /** The naive client against the same simulator. */
  naive: ClientRun;
  /** Our sync's records per second / the bound. */
  achievedOverBound: number | null;
  /** Our sync's requests per second / (C / L). */
  requestRateOverBound: number | null;
  fetchOnlyOverBound: number | null;
  /** Our sync's records per second / the naive client's. */
  syncOverNaive: number | null;
  fetchOnlyOverNaive: number | null;
}

export interface ThroughputResult {
  latencyMs: number;
  scale: number;
  days: number;
  runs: ThroughputRun[];
  /** The lake the first sync wrote (its raw archive feeds the ingest measurement). */
  lakeDir: string;
  simulatorPeakRssBytes: number;
}

// ingest.ts: our ingest of an archive against DuckDB's floor.
export interface IngestResult {
  /** Archived search responses (pages, partial re-fetches included) and their gzip size. */
  archiveBytes: number;
  records: number;
  ours: { seconds: number; rows: number; parquetBytes: number; peakRssBytes: number; cpuSeconds: number | null };
  floor: { seconds: number; rows: number; parquetBytes: number; peakRssBytes: number; cpuSeconds: number | null };
  /** ours.seconds / floor.seconds (target: at most 2). */
  oursOverFloor: number | null;
}

// scale.ts: a full and an incremental sync, the lake and the build at a volume.
export interface PhasePeak {
  /** `upscope`, `liveperson`, `agendize` or `models`. */
  phase: string;
  seconds: number;
  peakRssBytes: number;
}

export interface SourceFigures {
  source: SourceName;
  ok: boolean;
  error: string | null;
  seconds: number;
  recordsFetched: number;
  requests: number;
  /** Rows per lake table after the run. */
  tableRows: Record<string, number>;
}

export interface SyncRun {
  exitCode: number;
  /** The process from start to exit (sources, models, manifests). */
  wallSeconds: number;
  cpuSeconds: number | null;
  peakRssBytes: number;
  phases: PhasePeak[];
  sources: SourceFigures[];
  modelsSeconds: number | null;
  /** Set when the run was stopped at the profile's time limit. */
  cutOff: boolean;
  /** What the sync said went wrong (its FAILED and "models failed" lines), null when nothing did. */
  failure: string | null;
}

export interface BuildRun {
  exitCode: number;
  wallSeconds: number;
  cpuSeconds: number | null;
  peakRssBytes: number;
  /** The largest processes of the build (Framework, each data loader). */
  processes: ProcessPeak[];
}

/** A full sync at a smaller scale, only to see how the cost grows with volume. */
export interface CalibrationRun {
  scale: number;
  engagements: number;
  full: SyncRun;
}

/** The enterprise volume's figures estimated from the measured runs (null when they cannot be). */
export interface EnterpriseEstimate {
  engagements: number;
  /** Full sync, fitted as a·n + b·n² through the two runs (a line through them when that fit fails). */
  fullSyncSeconds: number | null;
  fit: "quadratic" | "linear";
  /** Peak RSS of the sync, linear in volume through the two runs. */
  syncPeakRssBytes: number | null;
  /** Incremental night scaled linearly (the models it rebuilds grow with the lake). */
  incrementalSeconds: number | null;
}

export interface ScaleResult {
  scale: number;
  days: number;
  /** Records in the lake after the full sync, per source table of interest. */
  volume: { engagements: number; cobrowseSessions: number; agendizeChats: number };
  sessionFilesSeconds: number;
  full: SyncRun;
  incremental: SyncRun | null;
  /** incremental.wallSeconds / full.wallSeconds (target: under 5%). */
  incrementalShare: number | null;
  lake: { totalBytes: number; tablesBytes: number; rawBytes: number; martsBytes: number };
  build: BuildRun | null;
  /** The built site, for the pages measurement. */
  distDir: string | null;
  simulatorPeakRssBytes: number;
  calibration: CalibrationRun | null;
  /** Only when the main run was below the enterprise volume. */
  enterprise: EnterpriseEstimate | null;
}

// pages.ts: each built page's data and time to its charts.
export interface PageFigures {
  path: string;
  dataBytes: number;
  dataFiles: number;
  /** Bytes per data file, largest first (kept for the main pages; agent pages share theirs). */
  files: Array<{ path: string; bytes: number }>;
  /** Every response of the page (HTML, scripts, styles, data). */
  totalBytes: number;
  /** Navigation start to the first chart; null when no chart rendered within the timeout. */
  firstChartMs: number | null;
  /** Navigation start to every chart rendered. */
  allChartsMs: number | null;
  charts: number;
  problems: string[];
}

export interface PagesResult {
  pages: PageFigures[];
  /** Agent pages share one layout: summarized rather than listed (all are measured). */
  agentPages: { count: number; maxDataBytes: number; maxFirstChartMs: number | null; medianFirstChartMs: number | null } | null;
  maxDataBytes: number;
  maxFirstChartMs: number | null;
  /** The page with the latest first chart (agent pages included); a page with no chart counts as slowest. */
  slowest: { path: string; firstChartMs: number | null } | null;
}

// The run.

export interface MachineFacts {
  cpuModel: string;
  cores: number;
  memoryBytes: number;
  node: string;
  os: string;
  /** 1-minute load average when the run started and ended: the machine is shared, so timings carry its noise. */
  loadAverageStart: number;
  loadAverageEnd: number;
}

export const MEASUREMENTS = ["throughput", "ingest", "scale", "pages"] as const;
export type MeasurementName = (typeof MEASUREMENTS)[number];

/** Everything one run writes to bench-results/latest.json. */
export interface BenchResults {
  schemaVersion: 1;
  profile: Profile;
  startedAt: string;
  finishedAt: string;
  durationSeconds: number;
  /** What `--only` selected (every measurement when empty). */
  only: MeasurementName[];
  machine: MachineFacts;
  throughput?: ThroughputResult;
  ingest?: IngestResult;
  scale?: ScaleResult;
  pages?: PagesResult;
  /** A measurement that threw: its message (the others still ran). */
  errors: Partial<Record<MeasurementName, string>>;
  targets: TargetResult[];
}
