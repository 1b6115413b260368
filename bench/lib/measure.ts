/**
 * Runs a command as a child process and measures it from outside: wall time, the peak
 * RSS of every process in its tree, and an RSS timeline of the main process that can
 * be cut into phases by its stderr lines. The runner's own memory never enters a figure.
 *
 * Two independent readings of memory:
 * - GNU time (`/usr/bin/time -f`), whose `%M` is the kernel's ru_maxrss over the whole
 *   waited-for tree (the largest single process, not a sum); it sees every process,
 *   even one that lived a few milliseconds;
 * - a sampler reading /proc/<pid>/status (VmHWM, VmRSS) of every descendant every
 *   `sampleMs`; it names the processes (sync, observable build, each data loader).
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

const GNU_TIME = "/usr/bin/time";

export interface ProcessPeak {
  pid: number;
  /** What the process is, from its command line (script path, `observable build`, …). */
  label: string;
  peakRssBytes: number;
}

export interface RssSample {
  /** Milliseconds since the child started. */
  atMs: number;
  rssBytes: number;
}

export interface TimedLine {
  atMs: number;
  line: string;
}

export interface MeasuredRun {
  command: string;
  exitCode: number;
  wallSeconds: number;
  /** ru_maxrss of the tree from GNU time (largest process), or the sampler's maximum without it. */
  peakRssBytes: number;
  /** User + system CPU seconds of the whole tree (GNU time), null without it. */
  cpuSeconds: number | null;
  /** Per process, largest first. */
  processes: ProcessPeak[];
  /** VmRSS of the main process over time. */
  mainRss: RssSample[];
  stdout: string;
  stderrLines: TimedLine[];
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Killed (SIGTERM, then SIGKILL) after this long; the run then reports exit code 124. */
  timeoutMs?: number;
  sampleMs?: number;
  /** Called with each stderr line as it arrives (progress in the runner's log). */
  onStderrLine?: (line: string) => void;
}

interface ProcEntry {
  pid: number;
  ppid: number;
}

async function readProcTable(): Promise<ProcEntry[]> {
  const entries: ProcEntry[] = [];
  for (const name of await readdir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = await readFile(`/proc/${name}/stat`, "utf8");
      // The command name is in parentheses and may contain spaces: fields start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      entries.push({ pid: Number(name), ppid: Number(fields[1]) });
    } catch {
      // The process exited between readdir and read.
    }
  }
  return entries;
}

export function descendantsOf(root: number, table: readonly ProcEntry[]): number[] {
  const children = new Map<number, number[]>();
  for (const entry of table) {
    const list = children.get(entry.ppid) ?? [];
    list.push(entry.pid);
    children.set(entry.ppid, list);
  }
  const found: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    found.push(pid);
    for (const child of children.get(pid) ?? []) stack.push(child);
  }
  return found;
}

/** `VmHWM` and `VmRSS` of a process in bytes, or undefined once it is gone. */
async function memoryOf(pid: number): Promise<{ hwm: number; rss: number } | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0) * 1024;
    return { hwm: kb("VmHWM"), rss: kb("VmRSS") };
  } catch {
    return undefined;
  }
}

/** A short, stable name for a process from its argv: the script it runs, or the tool and subcommand. */
export function labelFromArgv(argv: readonly string[], projectRoot: string): string {
  const shorten = (value: string) => (value.startsWith(`${projectRoot}/`) ? value.slice(projectRoot.length + 1) : value);
  const script = argv.find((arg, index) => index > 0 && /\.(ts|js|mjs|cjs)$/.test(arg) && !arg.includes("node_modules/tsx/"));
  const observable = argv.findIndex((arg) => arg.endsWith("/observable") || arg.endsWith("/observable.js"));
  if (observable >= 0) return `observable ${argv[observable + 1] ?? ""}`.trim();
  if (script) return shorten(script).replace(/^.*\/node_modules\/\.bin\//, "");
  const first = argv[0] ?? "?";
  return first.split("/").pop() ?? first;
}

async function argvOf(pid: number): Promise<string[]> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, "utf8")).split("\0").filter((part) => part !== "");
  } catch {
    return [];
  }
}

export async function runMeasured(command: string, args: readonly string[], options: RunOptions = {}): Promise<MeasuredRun> {
  const sampleMs = options.sampleMs ?? 200;
  const scratch = await mkdtemp(join(tmpdir(), "bench-time-"));
  const timeFile = join(scratch, "time.txt");
  const useGnuTime = existsSync(GNU_TIME);
  const [file, argv] = useGnuTime ? [GNU_TIME, ["-f", "%e %M %U %S", "-o", timeFile, command, ...args]] : [command, [...args]];
  const started = performance.now();
  const child = spawn(file, argv, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
  const rootPid = child.pid;
  if (rootPid === undefined) throw new Error(`could not start ${command}`);

  let stdout = "";
  const stderrLines: TimedLine[] = [];
  let partial = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    const lines = (partial + chunk).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      stderrLines.push({ atMs: performance.now() - started, line });
      options.onStderrLine?.(line);
    }
  });

  const peaks = new Map<number, ProcessPeak>();
  const mainRss: RssSample[] = [];
  let mainPid: number | undefined = useGnuTime ? undefined : rootPid;
  let sampling = false;
  const sample = async () => {
    if (sampling) return;
    sampling = true;
    try {
      const tree = descendantsOf(rootPid, await readProcTable());
      for (const pid of tree) {
        if (useGnuTime && pid === rootPid) continue; // GNU time itself
        const memory = await memoryOf(pid);
        if (!memory) continue;
        let peak = peaks.get(pid);
        if (!peak) {
          peak = { pid, label: labelFromArgv(await argvOf(pid), process.cwd()), peakRssBytes: 0 };
          peaks.set(pid, peak);
        }
        peak.peakRssBytes = Math.max(peak.peakRssBytes, memory.hwm);
        // The main process is the one GNU time started (the first process under it).
        mainPid ??= pid;
        if (pid === mainPid) mainRss.push({ atMs: performance.now() - started, rssBytes: memory.rss });
      }
    } finally {
      sampling = false;
    }
  };
  const timer = setInterval(() => void sample(), sampleMs);
  void sample();

  let timedOut = false;
  const killer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          for (const pid of descendantsOfSync(rootPid).reverse()) {
            try {
              process.kill(pid, "SIGTERM");
            } catch {
              // Already gone.
            }
          }
          setTimeout(() => child.kill("SIGKILL"), 5000).unref();
        }, options.timeoutMs);

  const exitCode = await new Promise<number>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
  clearInterval(timer);
  if (killer) clearTimeout(killer);
  if (partial !== "") stderrLines.push({ atMs: performance.now() - started, line: partial });
  const wallSeconds = (performance.now() - started) / 1000;

  let gnuPeak: number | undefined;
  let gnuWall: number | undefined;
  let cpuSeconds: number | null = null;
  if (useGnuTime) {
    const text = await readFile(timeFile, "utf8").catch(() => "");
    // GNU time writes "Command exited with non-zero status N" before the format line.
    const match = /(\d+(?:\.\d+)?) (\d+) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)\s*$/.exec(text.trim());
    if (match) {
      gnuWall = Number(match[1]);
      gnuPeak = Number(match[2]) * 1024;
      cpuSeconds = Number(match[3]) + Number(match[4]);
    }
  }
  await rm(scratch, { recursive: true, force: true });
  const processes = [...peaks.values()].sort((a, b) => b.peakRssBytes - a.peakRssBytes);
  const sampledPeak = processes[0]?.peakRssBytes ?? 0;
  return {
    command: [command, ...args].join(" "),
    exitCode: timedOut ? 124 : exitCode,
    wallSeconds: gnuWall ?? wallSeconds,
    peakRssBytes: Math.max(gnuPeak ?? 0, sampledPeak),
    cpuSeconds,
    processes,
    mainRss,
    stdout,
    stderrLines,
  };
}

/** Synchronous variant for the timeout path (it runs once, when a run is cut off). */
function descendantsOfSync(root: number): number[] {
  const table: ProcEntry[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      table.push({ pid: Number(name), ppid: Number(fields[1]) });
    } catch {
      // The process exited meanwhile.
    }
  }
  return descendantsOf(root, table);
}

/** The largest main-process RSS between two instants (ms since start), e.g. one phase of a sync. */
export function peakBetween(samples: readonly RssSample[], fromMs: number, toMs: number): number {
  let peak = 0;
  for (const sample of samples) if (sample.atMs >= fromMs && sample.atMs <= toMs) peak = Math.max(peak, sample.rssBytes);
  return peak;
}

/** `node --import tsx <script>`: one process per TypeScript script (the `tsx` CLI would add a wrapper process). */
export function nodeTs(script: string, args: readonly string[] = []): [string, string[]] {
  return [process.execPath, ["--import", "tsx", script, ...args]];
}
