/**
 * `npm run sync` as real processes on one lake: a second sync while one runs is
 * refused, naming the first; a lake filled from configured sources refuses a demo
 * run (credentials gone) and writes nothing, also when it predates the provenance
 * record; a demo lake refuses configured sources.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acquireLakeLock } from "../../data-loaders/lake/lock.js";
import { listTree } from "../lake/helpers.js";
import { DEMO_CREDENTIALS, startSimulator } from "../../simulator/index.js";

const NOW = "2026-04-04T06:00:00.000Z";
const CLI = join(process.cwd(), "data-loaders", "sync", "cli.ts");
/** Variables that would configure a source: none may leak in from the test's own environment. */
const SOURCE_VARIABLES = /^(UPSCOPE|LIVEPERSON|AGENDIZE|EMBEDDED)_/;

let dir: string;
let simulator: { url: string; stop(): Promise<void> };

interface Run {
  pid: number;
  code: number | null;
  stderr: string;
}

function startSync(lake: string, env: Record<string, string> = {}, argv: string[] = ["--source", "liveperson"]): { pid: number; done: Promise<Run> } {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !SOURCE_VARIABLES.test(name) && name !== "SI_LAKE_LOCK_TOKEN"));
  const child = spawn(process.execPath, ["--import", "tsx", CLI, "--now", NOW, "--quiet", ...argv], {
    env: { ...base, SI_LAKE_DIR: lake, SI_HISTORY_DAYS: "6", SI_DEMO_DAYS: "6", SI_DEMO_SEED: "4", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<Run>((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => resolve({ pid: child.pid ?? 0, code, stderr }));
  });
  return { pid: child.pid ?? 0, done };
}

const sync = (lake: string, env?: Record<string, string>, argv?: string[]) => startSync(lake, env, argv).done;

function configured(): Record<string, string> {
  return {
    SI_PSEUDONYM_KEY: "a-real-deployment-key-0123456789abcdef",
    LIVEPERSON_ACCOUNT_ID: DEMO_CREDENTIALS.liveperson.accountId,
    LIVEPERSON_BEARER_TOKEN: DEMO_CREDENTIALS.liveperson.bearerToken,
    LIVEPERSON_CSDS_URL: `${simulator.url}/liveperson/csds`,
  };
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "si-lake-guard-"));
  simulator = await startSimulator({ seed: 4, days: 6, now: NOW });
});

afterAll(async () => {
  await simulator.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("one writer per lake", () => {
  it("refuses a second sync while one runs, naming its pid, command, start and the lock file; the first one finishes", async () => {
    const lake = join(dir, "two-writers");
    const first = startSync(lake);
    const lockFile = join(lake, "_lake.lock");
    for (let waited = 0; !(await exists(lockFile)); waited += 50) {
      if (waited > 60_000) throw new Error("the first sync never took the lock");
      await new Promise((done) => setTimeout(done, 50));
    }
    const second = await sync(lake);
    expect(second.code, second.stderr).toBe(1);
    for (const text of [`pid ${first.pid}`, "data-loaders/sync/cli.ts --now", "(sync)", "since 20", lockFile, "This run changed nothing"]) expect(second.stderr).toContain(text);
    const done = await first.done;
    expect(done.code, done.stderr).toBe(0);
    expect(await exists(lockFile)).toBe(false);
    // The lock is gone with its run, so the next one goes ahead.
    expect((await sync(lake)).code).toBe(0);
  }, 120_000);
});

describe("the nightly and the build take the same lock", () => {
  // An option the sync refuses: a nightly or build that did not take the lock would stop
  // at its sync (exit 2) instead of building into the working tree.
  it.each([
    ["nightly", join("tools", "nightly.ts"), ["--quiet", "--no-such-option"]],
    ["build", join("tools", "build.ts"), ["--no-such-option"]],
  ])("npm run %s is refused while another run holds the lake, before it syncs or builds anything", async (_, script, argv) => {
    const lake = join(dir, `held-${script.replace(/\W/g, "-")}`);
    const lock = await acquireLakeLock(lake, { purpose: "test", env: {} });
    try {
      const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !SOURCE_VARIABLES.test(name) && name !== "SI_LAKE_LOCK_TOKEN"));
      const run = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
        const child = spawn(process.execPath, ["--import", "tsx", join(process.cwd(), script), ...argv], {
          env: { ...base, SI_LAKE_DIR: lake, SI_SITE_DIR: join(dir, "site-never-built") },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let output = "";
        child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
        child.on("error", reject);
        child.on("exit", (code) => resolve({ code, output }));
      });
      expect(run.code, run.output).toBe(1);
      expect(run.output).toContain(`pid ${process.pid}`);
      expect(run.output).toContain(join(lake, "_lake.lock"));
      expect(await readdir(lake)).toEqual(["_lake.lock"]);
    } finally {
      await lock.release();
    }
  }, 60_000);
});

describe("a lake knows what filled it", () => {
  it("refuses a demo run (credentials gone) on a lake filled from configured sources, naming the lake and the ways out, and writes nothing", async () => {
    const lake = join(dir, "real");
    const real = await sync(lake, configured());
    expect(real.code, real.stderr).toBe(0);
    const before = await listTree(lake);

    const demo = await sync(lake);
    expect(demo.code, demo.stderr).toBe(2);
    expect(demo.stderr).toContain(`the lake ${lake} was filled from configured sources (liveperson)`);
    for (const wayOut of ["restore them", "point SI_LAKE_DIR at another folder", `rm -r ${lake}`]) expect(demo.stderr).toContain(wayOut);
    expect(await listTree(lake)).toEqual(before);
    expect(await exists(join(lake, "_demo"))).toBe(false);
  }, 120_000);

  it("refuses it too on a real lake from before the provenance record, told from its marts manifest", async () => {
    const lake = join(dir, "real");
    await rm(join(lake, "_provenance.json"));
    const demo = await sync(lake);
    expect(demo.code, demo.stderr).toBe(2);
    expect(demo.stderr).toContain("told from the marts manifest (demo: false)");
    expect(await readdir(join(lake, "_manifests", "source=liveperson"))).toHaveLength(1);
  }, 60_000);

  it("refuses configured sources on a demo lake", async () => {
    const lake = join(dir, "two-writers"); // filled by the demo above
    const real = await sync(lake, configured());
    expect(real.code, real.stderr).toBe(2);
    expect(real.stderr).toContain("was filled by the demo");
  }, 60_000);
});
