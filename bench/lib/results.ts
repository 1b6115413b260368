/** Shapes of what the benchmark's child processes print, checked where they are read. */
import { z } from "zod";
import type { IngestResult } from "../ingest.js";
import type { PagesResult } from "../pages.js";
import type { ScaleResult } from "../scale.js";
import type { ThroughputResult } from "../throughput.js";
import type { TargetResult } from "./bound.js";
import type { Profile } from "./context.js";

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
