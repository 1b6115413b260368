/**
 * Where the collector keeps events: NDJSON, one file per UTC day of arrival
 * (`events-YYYY-MM-DD.ndjson`), only ever appended to, one event per line. A batch is
 * acknowledged only after its lines are written and fsync'ed, so an answered event
 * survives a crash or a power cut. Concurrent batches share one write and one fsync
 * (group commit): many senders cost a few fsyncs a second, not one each.
 *
 * De-duplication: the ids stored in the last `dedupeDays` days of files are kept in
 * memory (read back from the files at start), and an event whose id is among them, or
 * is being written by another request right now, is not written again. The sync merges
 * by event id as well, so an event re-sent after that window (a browser that stayed
 * offline for weeks) is still stored once in the lake.
 *
 * A line cut short by a crash (or a failed write) is closed with a newline before the
 * next write, so it stays one bad line (the sync quarantines it), never glued to a good
 * one; its events were never acknowledged, so their senders send them again. Lines of a
 * failed write that did reach the disk whole are written again with the retry: the file
 * then holds them twice, and the sync, which merges by event id, stores them once.
 */
import { open, mkdir, readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { FileHandle } from "node:fs/promises";
import { fsyncDirectory } from "../../data-loaders/lake/fs-atomic.js";

export const EVENT_FILE_PATTERN = /^events-(\d{4}-\d{2}-\d{2})\.ndjson$/;

export function eventFileName(day: string): string {
  return `events-${day}.ndjson`;
}

/** The few file operations the store needs; tests wrap them to watch the order of write, fsync and answer. */
export interface AppendFile {
  write(text: string): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

export interface CollectorFileSystem {
  /** Opens a file for appending, creating it if needed; says whether it is new and whether its last byte is a newline. */
  openAppend(path: string): Promise<{ file: AppendFile; created: boolean; endsWithNewline: boolean }>;
  /** fsync of a directory, so a new file's name survives a power cut too. */
  syncDirectory(path: string): Promise<void>;
}

export const nodeFileSystem: CollectorFileSystem = {
  async openAppend(path) {
    const before = await stat(path).catch(() => undefined);
    const handle: FileHandle = await open(path, "a+");
    let endsWithNewline = true;
    if (before && before.size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, before.size - 1);
      endsWithNewline = last[0] === 0x0a;
    }
    return {
      created: before === undefined,
      endsWithNewline,
      file: {
        write: async (text) => {
          await handle.appendFile(text, "utf8");
        },
        sync: () => handle.datasync(),
        close: () => handle.close(),
      },
    };
  },
  syncDirectory: fsyncDirectory,
};

interface Pending {
  text: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Appends to one file; requests that arrive while a write is under way go together in the next write. */
class GroupAppender {
  private queue: Pending[] = [];
  private running = false;
  private file: AppendFile | undefined;
  private idle: Promise<void> = Promise.resolve();
  private markIdle: () => void = () => {};
  writes = 0;

  constructor(
    private readonly directory: string,
    private readonly name: string,
    private readonly fs: CollectorFileSystem,
  ) {}

  append(text: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ text, resolve, reject });
      if (!this.running) void this.run();
    });
  }

  private async run(): Promise<void> {
    this.running = true;
    this.idle = new Promise<void>((resolve) => (this.markIdle = resolve));
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0);
        try {
          if (!this.file) {
            const opened = await this.fs.openAppend(join(this.directory, this.name));
            this.file = opened.file;
            if (opened.created) await this.fs.syncDirectory(this.directory);
            if (!opened.endsWithNewline) await this.file.write("\n"); // close a line a crash cut short
          }
          await this.file.write(group.map((pending) => pending.text).join(""));
          await this.file.sync();
          this.writes += 1;
          for (const pending of group) pending.resolve();
        } catch (error) {
          for (const pending of group) pending.reject(error);
          // Reopen on the next write: the handle may be broken, and a partial write must be closed with a newline.
          await this.file?.close().catch(() => undefined);
          this.file = undefined;
        }
      }
    } finally {
      this.running = false;
      this.markIdle();
    }
  }

  async close(): Promise<void> {
    while (this.running || this.queue.length > 0) await this.idle;
    await this.file?.close().catch(() => undefined);
    this.file = undefined;
  }
}

export interface StoreOptions {
  fileSystem?: CollectorFileSystem;
  /** Days of files whose ids are remembered for de-duplication (default 14). */
  dedupeDays?: number;
  now?: () => Date;
}

export interface StoredLine {
  id: string;
  /** The complete NDJSON line, newline included. */
  line: string;
}

export interface AppendResult {
  accepted: number;
  duplicates: number;
}

const DAY_MS = 86_400_000;

export class EventStore {
  private readonly fs: CollectorFileSystem;
  private readonly dedupeDays: number;
  private readonly now: () => Date;
  /** Ids stored, per day file, for the de-duplication window. */
  private readonly idsByDay = new Map<string, Set<string>>();
  /** Ids being written right now, with the write that holds them. */
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly appenders = new Map<string, GroupAppender>();

  constructor(
    readonly directory: string,
    options: StoreOptions = {},
  ) {
    this.fs = options.fileSystem ?? nodeFileSystem;
    this.dedupeDays = Math.max(1, options.dedupeDays ?? 14);
    this.now = options.now ?? (() => new Date());
  }

  /** Creates the folder and reads back the ids of the de-duplication window. Returns how many ids it knows. */
  async open(): Promise<number> {
    await mkdir(this.directory, { recursive: true });
    const oldest = this.oldestRememberedDay();
    let known = 0;
    for (const name of (await readdir(this.directory)).sort()) {
      const day = EVENT_FILE_PATTERN.exec(name)?.[1];
      if (!day || day < oldest) continue;
      const ids = this.idsOf(day);
      for (const line of (await readFile(join(this.directory, name), "utf8")).split("\n")) {
        const id = idOfLine(line);
        if (id !== undefined && !ids.has(id)) {
          ids.add(id);
          known += 1;
        }
      }
    }
    return known;
  }

  private oldestRememberedDay(): string {
    return new Date(this.now().getTime() - (this.dedupeDays - 1) * DAY_MS).toISOString().slice(0, 10);
  }

  private idsOf(day: string): Set<string> {
    let ids = this.idsByDay.get(day);
    if (!ids) this.idsByDay.set(day, (ids = new Set()));
    return ids;
  }

  private isStored(id: string): boolean {
    for (const ids of this.idsByDay.values()) if (ids.has(id)) return true;
    return false;
  }

  /** Forgets the ids of days that left the window, and closes those days' files. */
  private expire(today: string): void {
    const oldest = this.oldestRememberedDay();
    for (const day of [...this.idsByDay.keys()]) if (day < oldest) this.idsByDay.delete(day);
    for (const [day, appender] of this.appenders) {
      if (day !== today) {
        this.appenders.delete(day);
        void appender.close();
      }
    }
  }

  /**
   * Stores the lines whose ids are neither stored nor being stored, and resolves once
   * they are on disk (fsync'ed) and every duplicate that was in flight is on disk too,
   * so an answer never acknowledges an event that is not durable. Rejects if a write
   * failed: the sender must send again (nothing of it counts as stored).
   */
  async append(lines: readonly StoredLine[]): Promise<AppendResult> {
    const today = this.now().toISOString().slice(0, 10);
    if (!this.appenders.has(today)) this.expire(today);
    const fresh: StoredLine[] = [];
    const waits: Promise<void>[] = [];
    const inBatch = new Set<string>();
    let duplicates = 0;
    for (const entry of lines) {
      const writing = this.inFlight.get(entry.id);
      if (inBatch.has(entry.id) || this.isStored(entry.id)) duplicates += 1;
      else if (writing) {
        duplicates += 1;
        waits.push(writing);
      } else {
        fresh.push(entry);
        inBatch.add(entry.id);
      }
    }
    if (fresh.length > 0) {
      let appender = this.appenders.get(today);
      if (!appender) this.appenders.set(today, (appender = new GroupAppender(this.directory, eventFileName(today), this.fs)));
      const write = appender.append(fresh.map((entry) => entry.line).join(""));
      for (const entry of fresh) this.inFlight.set(entry.id, write);
      try {
        await write;
        const ids = this.idsOf(today);
        for (const entry of fresh) ids.add(entry.id);
      } finally {
        for (const entry of fresh) if (this.inFlight.get(entry.id) === write) this.inFlight.delete(entry.id);
      }
    }
    await Promise.all(waits);
    return { accepted: fresh.length, duplicates };
  }

  /** Waits for every write under way, then closes the files. */
  async close(): Promise<void> {
    await Promise.all([...this.appenders.values()].map((appender) => appender.close()));
    this.appenders.clear();
  }

  /** Distinct ids remembered (the de-duplication window). */
  get rememberedIds(): number {
    let count = 0;
    for (const ids of this.idsByDay.values()) count += ids.size;
    return count;
  }
}

/** The `id` of a stored line, or undefined for a blank or broken one. */
function idOfLine(line: string): string | undefined {
  if (line.trim() === "") return undefined;
  try {
    const value: unknown = JSON.parse(line);
    const id = value !== null && typeof value === "object" ? (value as { id?: unknown }).id : undefined;
    return typeof id === "string" ? id : undefined;
  } catch {
    return undefined;
  }
}
