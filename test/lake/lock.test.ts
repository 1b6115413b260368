/**
 * The lake lock between real processes: a second writer is refused with a message
 * naming the holder; a holder killed with SIGKILL, a reused pid, a reboot or a lock
 * of another host gone quiet do not keep the lake locked; a child process joins its
 * parent's lock and keeps it held while it runs.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { readFile, utimes, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { acquireLakeLock, isHolderAlive, LAKE_LOCK_ENV, lakeLockPath, LakeLockedError, readLakeLockHolders, type LakeLockHolder } from "../../data-loaders/lake/lock.js";
import { makeTempDir } from "./helpers.js";

const HOLDER = fileURLToPath(new URL("./fixtures/lock-holder.ts", import.meta.url));

let root: string;
let cleanup: () => Promise<void>;
const children: ChildProcessWithoutNullStreams[] = [];
const extraPids: number[] = [];

beforeEach(async () => {
  ({ path: root, cleanup } = await makeTempDir("lake-lock-"));
});
afterEach(async () => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
  for (const pid of extraPids.splice(0)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  await cleanup();
});

interface Holder {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  waitFor: (prefix: string) => Promise<string>;
  exited: Promise<number | null>;
}

function startHolder(flags: string[] = [], env: NodeJS.ProcessEnv = {}): Holder {
  const childEnv = { ...process.env, ...env };
  if (!(LAKE_LOCK_ENV in env)) delete childEnv[LAKE_LOCK_ENV];
  const child = spawn(process.execPath, ["--import", "tsx", HOLDER, root, ...flags], { env: childEnv, stdio: ["pipe", "pipe", "pipe"] });
  children.push(child);
  let stdout = "";
  let stderr = "";
  const waiters: Array<() => void> = [];
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const wake of waiters.splice(0)) wake();
  });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
  const waitFor = async (prefix: string): Promise<string> => {
    for (;;) {
      const line = stdout.split("\n").find((candidate) => candidate.startsWith(prefix));
      if (line !== undefined) return line;
      if (child.exitCode !== null) throw new Error(`holder exited (${child.exitCode}) before "${prefix}": ${stdout}${stderr}`);
      await Promise.race([new Promise<void>((wake) => waiters.push(wake)), exited, new Promise((wake) => setTimeout(wake, 200))]);
    }
  };
  return { child, output: () => stdout + stderr, waitFor, exited };
}

async function killAndReap(holder: Holder): Promise<void> {
  holder.child.kill("SIGKILL");
  await holder.exited;
}

async function refusal(): Promise<LakeLockedError> {
  try {
    const lock = await acquireLakeLock(root, { purpose: "test", env: {} });
    await lock.release();
  } catch (error) {
    if (error instanceof LakeLockedError) return error;
    throw error;
  }
  throw new Error("the lock was granted");
}

/** A lock file as another process wrote it, for the cases no live process can be made to show. */
async function writeLockFile(holder: Partial<LakeLockHolder>): Promise<void> {
  const full: LakeLockHolder = {
    pid: process.pid,
    host: hostname(),
    bootId: (await readFile("/proc/sys/kernel/random/boot_id", "utf8")).trim(),
    startTicks: null,
    command: "npm run sync: data-loaders/sync/cli.ts",
    purpose: "sync",
    since: "2026-01-01T03:17:00.000Z",
    ...holder,
  };
  await writeFile(lakeLockPath(root), JSON.stringify({ format: 1, token: "t".repeat(32), holders: [full] }));
}

function startTicksOf(pid: number): Promise<string> {
  return readFile(`/proc/${pid}/stat`, "utf8").then((text) => text.slice(text.lastIndexOf(")") + 2).split(" ")[19] ?? "");
}

describe("the lake lock", () => {
  it("refuses a second writer, naming the holder's pid, command, start and the lock file; free again once released", async () => {
    const first = startHolder();
    await first.waitFor("locked");
    const second = startHolder();
    expect(await second.exited).toBe(3);
    const message = await refusal().then((error) => error.message);
    for (const text of [`pid ${first.child.pid}`, "lock-holder.ts", "(test holder)", "since 20", lakeLockPath(root)]) {
      expect(second.output()).toContain(text);
      expect(message).toContain(text);
    }
    first.child.stdin.write("release\n");
    await first.waitFor("released");
    const lock = await acquireLakeLock(root, { purpose: "test", env: {} });
    await lock.release();
    await expect(readFile(lakeLockPath(root))).rejects.toThrow(/ENOENT/);
  });

  it("is taken over from a holder killed with SIGKILL", async () => {
    const killed = startHolder();
    await killed.waitFor("locked");
    await killAndReap(killed);
    expect(await readFile(lakeLockPath(root), "utf8")).toContain(`"pid": ${killed.child.pid}`); // left behind …
    const lock = await acquireLakeLock(root, { purpose: "test", env: {} }); // … and not in the way
    expect((await readLakeLockHolders(root)).map((holder) => holder.pid)).toEqual([process.pid]);
    await lock.release();
  });

  it("is not mistaken for held when the recorded pid now belongs to another process (its start time differs)", async () => {
    const other = spawn("sleep", ["30"]);
    extraPids.push(other.pid ?? 0);
    await writeLockFile({ pid: other.pid ?? 0, startTicks: "1" });
    const lock = await acquireLakeLock(root, { purpose: "test", env: {} });
    await lock.release();
    // The same pid with its real start time is a living holder.
    await writeLockFile({ pid: other.pid ?? 0, startTicks: await startTicksOf(other.pid ?? 0) });
    expect((await refusal()).message).toContain(`pid ${other.pid}`);
  });

  it("is taken over after a reboot, and from another host only once its heartbeat is older than ten minutes", async () => {
    const other = spawn("sleep", ["30"]);
    extraPids.push(other.pid ?? 0);
    await writeLockFile({ pid: other.pid ?? 0, startTicks: await startTicksOf(other.pid ?? 0), bootId: "a-boot-before-this-one" });
    await (await acquireLakeLock(root, { purpose: "test", env: {} })).release();

    await writeLockFile({ host: "runner-elsewhere", pid: 4242 });
    expect((await refusal()).message).toContain("pid 4242 on runner-elsewhere");
    const elevenMinutesAgo = new Date(Date.now() - 11 * 60_000);
    await utimes(lakeLockPath(root), elevenMinutesAgo, elevenMinutesAgo);
    await (await acquireLakeLock(root, { purpose: "test", env: {} })).release();
  });

  it("refuses this very process a second time: two writers in one process are two writers", async () => {
    const lock = await acquireLakeLock(root, { purpose: "test", env: {} });
    try {
      const error = await acquireLakeLock(root, { purpose: "test", env: lock.childEnv }).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(LakeLockedError);
      expect((error as Error).message).toContain("(this very process)");
    } finally {
      await lock.release();
    }
  });

  it("lets a child process join its parent's lock, and stays held while the child runs after the parent is killed", async () => {
    const parent = startHolder(["--spawn-child"]);
    await parent.waitFor("locked");
    const childPid = Number((await parent.waitFor("child ")).split(" ")[1]);
    extraPids.push(childPid);
    expect((await readLakeLockHolders(root)).map((holder) => holder.pid).sort()).toEqual([parent.child.pid, childPid].sort());
    // Without the token, a process is refused even while holders are parent and child.
    await expect(startHolder().exited).resolves.toBe(3);
    await killAndReap(parent);
    const refused = await refusal();
    expect(refused.message).toContain(`pid ${childPid}`);
    process.kill(childPid, "SIGKILL");
    await new Promise((done) => setTimeout(done, 300)); // reaped by init, not by us
    await (await acquireLakeLock(root, { purpose: "test", env: {} })).release();
  });

  it("judges holders on this host by pid, zombie state and start time", async () => {
    const me: LakeLockHolder = {
      pid: process.pid,
      host: hostname(),
      bootId: null,
      startTicks: await startTicksOf(process.pid),
      command: "x",
      purpose: "x",
      since: new Date().toISOString(),
    };
    expect(isHolderAlive(me, Date.now())).toBe(true);
    expect(isHolderAlive({ ...me, startTicks: "0" }, Date.now())).toBe(false);
    expect(isHolderAlive({ ...me, pid: 2 ** 22 + 17 }, Date.now())).toBe(false);
  });
});
