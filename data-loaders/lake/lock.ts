/**
 * One writer per lake: a lock file `<root>/_lake.lock` held for a whole run (a sync,
 * a replay, a models build, a nightly from its sync to the end of its build). Two
 * writers at once would delete each other's temporary files and interleave month
 * rewrites; the second one now stops before it touches anything, naming the holder.
 *
 * The file is created complete or not at all: its JSON is written to a temporary
 * file which is then hard-linked to the lock's name (link(2) fails if the name
 * exists, so exactly one contender wins, and nobody ever reads a half-written lock).
 *
 * A killed run cannot leave it stuck: each holder is recorded with its pid, host,
 * boot id and the process's start time (field 22 of /proc/<pid>/stat), and a holder
 * is dead when, on this host, the pid is gone (`process.kill(pid, 0)` fails with
 * ESRCH), is a zombie, belongs to a process that started at another time (the pid
 * was reused), or the machine has rebooted since. A lock whose holders are all dead
 * is taken over. A holder on another host (a lake on a shared disk, or a lock file
 * restored with a mirrored lake) cannot be asked, so there the lock's heartbeat
 * decides: holders touch the file every HEARTBEAT_MS, and one untouched for
 * FOREIGN_STALE_MS is dead.
 *
 * Re-entrant for a child process: a holder that spawns a child which takes the lock
 * itself (the nightly spawns the sync CLI) passes `lock.childEnv` to it; the child
 * then joins the lock as a second holder instead of being refused, and the lock
 * stays held while either lives (a child left running by a killed parent still
 * keeps other runs out). A second acquisition in the same process is refused like
 * any other: two writers in one process are two writers.
 *
 * Every change to an existing lock file (takeover, joining, leaving) happens under a
 * short guard file (`_lake.lock.guard`, held for a few system calls), so two runs
 * that find the same dead holder cannot both take over.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { link, mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { z } from "zod";
import { assertLakeRoot } from "./layout.js";

export const LAKE_LOCK_FILE = "_lake.lock";
/** The variable through which a holder lets its child processes join its lock. */
export const LAKE_LOCK_ENV = "SI_LAKE_LOCK_TOKEN";
/** How often a holder touches the lock file, so a holder on another host can be judged alive. */
const HEARTBEAT_MS = 30_000;
/** A lock of another host whose file nobody touched for this long is dead. */
const FOREIGN_STALE_MS = 10 * 60_000;
/** The guard is held for a few system calls; one older than this, of a dead process, is left over. */
const GUARD_WAIT_MS = 10_000;

const holderSchema = z.object({
  pid: z.number().int().positive(),
  host: z.string(),
  bootId: z.string().nullable(),
  /** Start time of the process, in clock ticks since boot (/proc/<pid>/stat field 22). */
  startTicks: z.string().nullable(),
  command: z.string(),
  purpose: z.string(),
  since: z.iso.datetime({ offset: true }),
});
export type LakeLockHolder = z.infer<typeof holderSchema>;

const lockFileSchema = z.object({ format: z.literal(1), token: z.string().min(16), holders: z.array(holderSchema).min(1) });
type LockFile = z.infer<typeof lockFileSchema>;

export interface LakeLock {
  readonly path: string;
  readonly token: string;
  /** True when this process joined a lock its parent holds. */
  readonly joined: boolean;
  /** Environment a child process needs to join this lock (pass it to spawn). */
  readonly childEnv: Record<string, string>;
  release(): Promise<void>;
}

export class LakeLockedError extends Error {
  constructor(
    readonly lockPath: string,
    readonly holder: LakeLockHolder,
    readonly lakeRoot: string,
  ) {
    const minutes = Math.max(0, Math.round((Date.now() - Date.parse(holder.since)) / 60_000));
    const self = holder.pid === process.pid && holder.host === hostname() ? " (this very process)" : "";
    super(
      `the lake ${lakeRoot} is in use by another run: pid ${holder.pid}${self} on ${holder.host}, \`${holder.command}\` (${holder.purpose}), ` +
        `since ${holder.since} (${minutes} min ago); lock file ${lockPath}. This run changed nothing: run it again once that one has finished ` +
        `(a holder that has died is detected and its lock taken over by the next run).`,
    );
    this.name = "LakeLockedError";
  }
}

export function lakeLockPath(root: string): string {
  return join(root, LAKE_LOCK_FILE);
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && "code" in error ? String(error.code) : undefined;
}

function readBootId(): string | null {
  try {
    return readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
  } catch {
    return null;
  }
}

/** State and start time of a process from /proc/<pid>/stat, or undefined where there is no /proc. */
function procStat(pid: number): { state: string; startTicks: string } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ")".
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const state = fields[0];
  const startTicks = fields[19];
  return state === undefined || startTicks === undefined ? undefined : { state, startTicks };
}

/** What the lock says about this process. */
function describeSelf(purpose: string): LakeLockHolder {
  const script = process.argv.slice(1).join(" ");
  const npmScript = process.env.npm_lifecycle_event;
  return {
    pid: process.pid,
    host: hostname(),
    bootId: readBootId(),
    startTicks: procStat(process.pid)?.startTicks ?? null,
    command: npmScript ? `npm run ${npmScript}: ${script}` : script,
    purpose,
    since: new Date().toISOString(),
  };
}

/** Whether a recorded holder still runs; `fileMtimeMs` (the heartbeat) judges holders of other hosts. */
export function isHolderAlive(holder: LakeLockHolder, fileMtimeMs: number, now = Date.now()): boolean {
  if (holder.host !== hostname()) return now - fileMtimeMs < FOREIGN_STALE_MS;
  const bootId = readBootId();
  if (holder.bootId !== null && bootId !== null && holder.bootId !== bootId) return false; // rebooted since
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if (errorCode(error) === "ESRCH") return false;
    // EPERM: the pid exists but belongs to another user; its start time still tells.
  }
  const current = procStat(holder.pid);
  if (current === undefined) return true; // no /proc: the pid answering is all we can know
  if (current.state === "Z" || current.state === "X") return false;
  return holder.startTicks === null || current.startTicks === holder.startTicks;
}

async function readLock(path: string): Promise<{ lock: LockFile | undefined; mtimeMs: number } | undefined> {
  let text: string;
  let mtimeMs: number;
  try {
    [text, mtimeMs] = await Promise.all([readFile(path, "utf8"), stat(path).then((s) => s.mtimeMs)]);
  } catch (error) {
    if (errorCode(error) === "ENOENT") return undefined;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const result = lockFileSchema.safeParse(parsed);
  return { lock: result.success ? result.data : undefined, mtimeMs };
}

/**
 * The temporary files of createExclusive and replaceLock live for a few system calls;
 * one a minute old was left by a killed process.
 */
async function removeTemporaryLeftovers(lakeRoot: string): Promise<void> {
  const names = await readdir(lakeRoot).catch(() => [] as string[]);
  for (const name of names.filter((entry) => entry.startsWith(`${LAKE_LOCK_FILE}.`) && entry.endsWith(".tmp"))) {
    const path = join(lakeRoot, name);
    const age = await stat(path).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    if (age > 60_000) await rm(path, { force: true });
  }
}

/** Creates `path` holding `content`, complete, only if it does not exist yet. */
async function createExclusive(path: string, content: string): Promise<boolean> {
  const temporary = `${path}.${randomUUID()}.tmp`;
  await writeFile(temporary, content, { flag: "wx" });
  try {
    await link(temporary, path);
    return true;
  } catch (error) {
    if (errorCode(error) === "EEXIST") return false;
    throw error;
  } finally {
    await rm(temporary, { force: true });
  }
}

async function replaceLock(path: string, lock: LockFile): Promise<void> {
  const temporary = `${path}.${randomUUID()}.tmp`;
  await writeFile(temporary, `${JSON.stringify(lock, null, 2)}\n`, { flag: "wx" });
  await rename(temporary, path);
}

/** Runs `task` holding the guard file beside the lock. */
async function underGuard<T>(lockPath: string, task: () => Promise<T>): Promise<T> {
  const guardPath = `${lockPath}.guard`;
  const me = describeSelf("guard");
  const started = Date.now();
  for (;;) {
    if (await createExclusive(guardPath, JSON.stringify(me))) break;
    const guard = await readFile(guardPath, "utf8").then(
      (text) => holderSchema.safeParse(JSON.parse(text)),
      () => undefined,
    );
    const guardMtime = await stat(guardPath).then(
      (s) => s.mtimeMs,
      () => 0,
    );
    // A guard whose holder died (within the few calls it is held) is left over: remove it.
    // Two runs doing this at the very same instant could both pass; the window is a few
    // system calls wide, after a crash inside another window of a few system calls.
    const leftOver = guard === undefined ? Date.now() - guardMtime > GUARD_WAIT_MS : guard.success && !isHolderAlive(guard.data, guardMtime);
    if (leftOver) await rm(guardPath, { force: true });
    else if (Date.now() - started > GUARD_WAIT_MS) throw new Error(`the lake lock's guard ${guardPath} has been held for more than ${GUARD_WAIT_MS / 1000} s`);
    else await new Promise((done) => setTimeout(done, 10));
  }
  try {
    return await task();
  } finally {
    await rm(guardPath, { force: true });
  }
}

function startHeartbeat(path: string): () => void {
  const timer = setInterval(() => {
    const now = new Date();
    utimes(path, now, now).catch(() => {});
  }, HEARTBEAT_MS);
  timer.unref();
  return () => clearInterval(timer);
}

function makeLock(path: string, token: string, me: LakeLockHolder, joined: boolean): LakeLock {
  const stopHeartbeat = startHeartbeat(path);
  let released = false;
  return {
    path,
    token,
    joined,
    childEnv: { [LAKE_LOCK_ENV]: token },
    async release() {
      if (released) return;
      released = true;
      stopHeartbeat();
      await underGuard(path, async () => {
        const current = await readLock(path);
        if (current?.lock?.token !== token) return; // taken over meanwhile: not ours to touch
        const others = current.lock.holders.filter((holder) => !(holder.pid === me.pid && holder.host === me.host));
        const living = others.filter((holder) => isHolderAlive(holder, current.mtimeMs));
        if (living.length === 0) await rm(path, { force: true });
        else await replaceLock(path, { ...current.lock, holders: living });
      });
    },
  };
}

/**
 * Takes the lake's lock for this process, or throws LakeLockedError naming who holds
 * it. `purpose` says what the run is ("sync", "nightly", "build").
 */
export async function acquireLakeLock(root: string, options: { purpose: string; env?: NodeJS.ProcessEnv }): Promise<LakeLock> {
  assertLakeRoot(root);
  const lakeRoot = resolve(root);
  await mkdir(lakeRoot, { recursive: true });
  const path = lakeLockPath(lakeRoot);
  const inherited = (options.env ?? process.env)[LAKE_LOCK_ENV];
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const me = describeSelf(options.purpose);
    const token = randomUUID();
    const fresh: LockFile = { format: 1, token, holders: [me] };
    if (await createExclusive(path, `${JSON.stringify(fresh, null, 2)}\n`)) {
      await removeTemporaryLeftovers(lakeRoot);
      return makeLock(path, token, me, false);
    }

    const outcome = await underGuard(path, async (): Promise<LakeLock | LakeLockedError | "retry"> => {
      const current = await readLock(path);
      if (current === undefined) return "retry"; // released meanwhile
      const { lock, mtimeMs } = current;
      if (lock === undefined) {
        // Not a lock this code wrote (it writes whole files): judge it by its age alone.
        if (Date.now() - mtimeMs < FOREIGN_STALE_MS) {
          return new LakeLockedError(path, { pid: 0, host: "unknown", bootId: null, startTicks: null, command: "unreadable lock file", purpose: "unknown", since: new Date(mtimeMs).toISOString() }, lakeRoot);
        }
        await rm(path, { force: true });
        return "retry";
      }
      const living = lock.holders.filter((holder) => isHolderAlive(holder, mtimeMs));
      const first = living[0];
      if (first === undefined) {
        await rm(path, { force: true }); // every holder is dead: take over
        return "retry";
      }
      const ownProcess = living.some((holder) => holder.pid === me.pid && holder.host === me.host);
      if (inherited === lock.token && !ownProcess) {
        await replaceLock(path, { ...lock, holders: [...living, me] });
        return makeLock(path, lock.token, me, true);
      }
      return new LakeLockedError(path, first, lakeRoot);
    });
    if (outcome instanceof LakeLockedError) throw outcome;
    if (outcome !== "retry") return outcome;
  }
  throw new Error(`could not take the lake lock ${path}: it kept changing hands`);
}

/** Who holds the lake's lock now (living holders only), for messages and tests. */
export async function readLakeLockHolders(root: string): Promise<LakeLockHolder[]> {
  const current = await readLock(lakeLockPath(resolve(root)));
  if (!current?.lock) return [];
  return current.lock.holders.filter((holder) => isHolderAlive(holder, current.mtimeMs));
}
