/**
 * `npm run bench`: the benchmarks (never part of `npm test`). Runs each measurement in
 * turn, every measured program as its own child process, and writes
 * `<out>/latest.json` and `<out>/latest.md` (plus `<out>/<profile>.json|md`, so the
 * last full run survives later quick runs). See BENCH_HELP.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { availableParallelism, cpus, loadavg, release, tmpdir, totalmem, type as osType } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { measureIngest } from "./ingest.js";
import { PROFILES, type BenchContext, type ProfileName } from "./lib/context.js";
import { PROJECT_ROOT } from "./lib/paths.js";
import { renderMarkdown } from "./lib/report.js";
import { MEASUREMENTS, type BenchResults, type MachineFacts, type MeasurementName } from "./lib/results.js";
import { computeTargets } from "./lib/targets.js";
import { measurePages } from "./pages.js";
import { estimateEnterprise, measureScale } from "./scale.js";
import { measureThroughput } from "./throughput.js";

export const BENCH_HELP = `Usage: npm run bench [-- options]

Benchmarks of the sync, the lake and the site, against the simulator on this machine.
Writes <out>/latest.json and <out>/latest.md (and <out>/quick.* or <out>/full.*).

Measurements (all by default):
  throughput   LivePerson sync against C x 100 / L records per second, and against a
               naive client (one request at a time, no keep-alive)
  ingest       archived raw pages to staging Parquet: our path against DuckDB's
               read_json + COPY
  scale        13 months of all sources: full sync, one more night, peak RSS, lake
               size, site build
  pages        per page of that site: data bytes and time to first chart (Chromium;
               runs scale first, since it measures the site scale builds)

Options:
  --quick            small sizes: finishes in a few minutes (the full run takes up to an hour)
  --only NAME        run only this measurement (repeatable)
  --scale X          the scale measurement's volume multiplier instead of the profile's
                     (1 = about 31,000 engagements in 13 months; 32 = the enterprise 1 M);
                     no second, smaller run for the growth estimate
  --out DIR          where results go (default bench-results/)
  --keep-work        keep the scratch lakes and the built site (their folder is printed)
  --render FILE      write the Markdown report of an earlier results JSON (next to it) and
                     print it; runs nothing
  -h, --help         this text

Needs /usr/bin/time (GNU time) for the peak RSS of each process tree, and Chromium
(/usr/bin/chromium or CHROMIUM_PATH) for the pages. Exit codes: 0 every measurement
ran (targets may be missed: see the report); 1 a measurement failed; 2 bad arguments.`;

export interface BenchArgs {
  help: boolean;
  profile: ProfileName;
  only: MeasurementName[];
  out: string;
  keepWork: boolean;
  scale: number | undefined;
  render: string | undefined;
}

export class BenchUsageError extends Error {}

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        help: { type: "boolean", short: "h", default: false },
        quick: { type: "boolean", default: false },
        only: { type: "string", multiple: true },
        out: { type: "string" },
        "keep-work": { type: "boolean", default: false },
        scale: { type: "string" },
        render: { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new BenchUsageError((error as Error).message);
  }
  const only = (values.only ?? []).map((name) => {
    if (!(MEASUREMENTS as readonly string[]).includes(name)) throw new BenchUsageError(`--only must be one of ${MEASUREMENTS.join(", ")}, not "${name}"`);
    return name as MeasurementName;
  });
  const scale = values.scale === undefined ? undefined : Number(values.scale);
  if (scale !== undefined && !(scale > 0)) throw new BenchUsageError(`--scale expects a positive number, not "${values.scale}"`);
  return {
    help: values.help ?? false,
    profile: values.quick ? "quick" : "full",
    only: [...new Set(only)],
    out: resolve(PROJECT_ROOT, values.out ?? "bench-results"),
    keepWork: values["keep-work"] ?? false,
    scale,
    render: values.render === undefined ? undefined : resolve(process.cwd(), values.render),
  };
}

async function machineFacts(loadAverageStart: number): Promise<MachineFacts> {
  const cpuinfo = await readFile("/proc/cpuinfo", "utf8").catch(() => "");
  return {
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? cpus()[0]?.model ?? "unknown",
    cores: availableParallelism(),
    memoryBytes: totalmem(),
    node: process.version,
    os: `${osType()} ${release()}`,
    loadAverageStart,
    loadAverageEnd: loadavg()[0] ?? 0,
  };
}

export async function runBench(args: BenchArgs, log: (line: string) => void): Promise<BenchResults> {
  const base = PROFILES[args.profile];
  const profile = args.scale === undefined ? base : { ...base, scale: { ...base.scale, scale: args.scale, calibrationScale: null } };
  const wanted = new Set<MeasurementName>(args.only.length > 0 ? args.only : MEASUREMENTS);
  if (wanted.has("pages") && !wanted.has("scale")) {
    log("pages measures the site built at scale, so scale runs too");
    wanted.add("scale");
  }
  const workDir = await mkdtemp(join(tmpdir(), "support-insights-bench-"));
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const loadAverageStart = loadavg()[0] ?? 0;
  const ctx: BenchContext = {
    profile,
    workDir,
    log: (line) => log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(5)} s] ${line}`),
  };
  const partial: Omit<BenchResults, "targets" | "finishedAt" | "durationSeconds" | "machine"> = {
    schemaVersion: 1,
    profile,
    startedAt,
    only: args.only,
    errors: {},
  };
  const attempt = async <T>(name: MeasurementName, task: () => Promise<T>): Promise<T | undefined> => {
    if (!wanted.has(name)) return undefined;
    ctx.log(`${name}: starting`);
    try {
      return await task();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      partial.errors[name] = message;
      ctx.log(`${name}: FAILED: ${message}`);
      return undefined;
    }
  };
  try {
    partial.throughput = await attempt("throughput", () => measureThroughput(ctx));
    partial.ingest = await attempt("ingest", () => measureIngest(ctx, partial.throughput?.lakeDir));
    partial.scale = await attempt("scale", () => measureScale(ctx));
    const distDir = partial.scale?.distDir;
    partial.pages = await attempt("pages", () => {
      if (!distDir) throw new Error("no site was built at scale (see the scale measurement)");
      return measurePages(ctx, distDir);
    });
  } finally {
    if (args.keepWork) log(`scratch kept in ${workDir}`);
    else await rm(workDir, { recursive: true, force: true });
  }
  const withoutTargets = {
    ...partial,
    finishedAt: new Date().toISOString(),
    durationSeconds: (performance.now() - started) / 1000,
    machine: await machineFacts(loadAverageStart),
  };
  return { ...withoutTargets, targets: computeTargets(withoutTargets) };
}

/** Recomputes what is derived (the estimate, the targets) with the current code, for --render. */
export function rejudge(results: BenchResults): BenchResults {
  const scale = results.scale
    ? { ...results.scale, enterprise: estimateEnterprise({ engagements: results.scale.volume.engagements, full: results.scale.full, incremental: results.scale.incremental }, results.scale.calibration) }
    : undefined;
  const withoutTargets = { ...results, scale };
  return { ...withoutTargets, targets: computeTargets(withoutTargets) };
}

export async function writeResults(results: BenchResults, outDir: string): Promise<{ json: string; markdown: string }> {
  await mkdir(outDir, { recursive: true });
  const json = `${JSON.stringify(results, null, 2)}\n`;
  const markdown = renderMarkdown(results);
  for (const name of ["latest", results.profile.name]) {
    await writeFile(join(outDir, `${name}.json`), json);
    await writeFile(join(outDir, `${name}.md`), markdown);
  }
  return { json: join(outDir, "latest.json"), markdown: join(outDir, "latest.md") };
}

async function main(): Promise<number> {
  let args: BenchArgs;
  try {
    args = parseBenchArgs(process.argv.slice(2));
  } catch (error) {
    if (error instanceof BenchUsageError) {
      console.error(`bench: ${error.message}\n(npm run bench -- --help)`);
      return 2;
    }
    throw error;
  }
  if (args.help) {
    console.log(BENCH_HELP);
    return 0;
  }
  if (args.render) {
    const results = rejudge(JSON.parse(await readFile(args.render, "utf8")) as BenchResults);
    const markdown = renderMarkdown(results);
    await writeFile(args.render.replace(/\.json$/, "") + ".md", markdown);
    console.log(markdown);
    return 0;
  }
  const results = await runBench(args, (line) => console.error(line));
  const written = await writeResults(results, args.out);
  console.log(renderMarkdown(results));
  console.error(`results: ${written.json} and ${written.markdown}`);
  return Object.keys(results.errors).length > 0 ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await main();
}
