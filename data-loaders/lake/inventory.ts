/**
 * The lake's own record of what it holds: per table, `_inventory.json` beside
 * `_table.json` lists every live month file the writer committed, with its row
 * count, size, modification time and SHA-256. Without it, a month file deleted by
 * hand, a bad restore or a full disk simply vanishes from the lake, the marts and
 * the data contracts; a truncated one makes every reader throw. With it, the writer
 * checks the table before each write and refuses to merge into a table whose files
 * are not what it wrote, and the sync checks every table before it starts, then
 * stops naming the file and the command that restores it (`--replay`, which rebuilds
 * the partition from the raw archive and checks the recorded row count came back).
 *
 * Checksums. Hashing every file on every run would read the whole lake each night.
 * The SHA-256 of a file is computed once, when the writer has just written it (its
 * bytes are still in the page cache), and stored with the file's size and mtime (ns).
 * A check compares size and mtime first (a stat per file): a deleted file, a
 * truncated or grown one is caught by the stat alone; only a file whose mtime moved
 * with its size unchanged (a restore from a mirror, a copy, an edit in place) is
 * hashed again, and accepted, with its new mtime recorded, if the hash is the same.
 * A same-size rewrite that also puts the old mtime back is not detected: that takes
 * intent, not an accident.
 *
 * Crash safety of the record itself (the writer is killed at any instant): before a
 * month file is renamed into place, the inventory is rewritten (atomically) with the
 * change *pending* (the new file's fingerprint, the files it replaces); after the
 * rename and the removals, the change is committed. A check that finds a pending
 * change looks at the disk: the new file in place means the rename happened (adopt
 * it), the old one means it did not (drop the pending change); either way nothing is
 * reported as damage. A part file the inventory does not list (a file copied in, a
 * lake older than the inventory) is adopted after its footer has been read.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, readFile, rename, stat } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { z } from "zod";
import { createOfflineDuckDB, quoteLiteral } from "./duckdb.js";
import { isMissing, listDirectory, listLiveFiles } from "./files.js";
import { writeFileAtomic } from "./fs-atomic.js";
import { tableDirectory } from "./layout.js";

export const INVENTORY_FILE = "_inventory.json";
/** Where damaged files are moved when a replay restores their partition (nothing is deleted). */
export const DAMAGED_DIRECTORY = "_damaged";


const fileEntrySchema = z.object({
  month: z.string(),
  rows: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  /** Modification time in nanoseconds (a decimal string: too large for a JSON number). */
  mtimeNs: z.string(),
  sha256: z.string(),
  writtenAt: z.iso.datetime({ offset: true }),
});
export type InventoryFile = z.infer<typeof fileEntrySchema>;

const restoringSchema = z.object({
  month: z.string(),
  /** Rows the inventory recorded for the file; null when the file was never recorded. */
  rows: z.number().int().nonnegative().nullable(),
  problem: z.string(),
  detectedAt: z.iso.datetime({ offset: true }),
  setAsideTo: z.string().nullable(),
});

const inventorySchema = z.object({
  format: z.literal(1),
  /** Path relative to the table directory (`month=YYYY-MM/part-….parquet`) -> what was written there. */
  files: z.record(z.string(), fileEntrySchema),
  /** A replacement under way: written before the rename, cleared after it. */
  pending: z.object({ write: z.record(z.string(), fileEntrySchema), remove: z.array(z.string()) }).nullable(),
  /** Partitions being rebuilt from the raw archive by a replay, with what they held. */
  restoring: z.record(z.string(), restoringSchema),
});
export type TableInventory = z.infer<typeof inventorySchema>;

export type DamageProblem = "missing" | "truncated" | "changed" | "unreadable" | "restoring";

export interface PartitionDamage {
  source: string;
  table: string;
  month: string;
  /** Absolute path of the month file. */
  file: string;
  problem: DamageProblem;
  /** What the inventory recorded; null for a file it never recorded. */
  recordedRows: number | null;
  detail: string;
}

/** The command that rebuilds a source's tables, and so a lost partition, from the raw archive. */
export function restoreCommand(source: string): string {
  return `npm run sync -- --replay --source ${source}`;
}

export function describeDamage(damage: PartitionDamage): string {
  const rows = damage.recordedRows === null ? "" : ` (${damage.recordedRows} rows recorded)`;
  return `${damage.source}.${damage.table} month ${damage.month}: ${damage.file} ${damage.detail}${rows}`;
}

export class LakeDamageError extends Error {
  constructor(readonly damages: readonly PartitionDamage[]) {
    const sources = [...new Set(damages.map((damage) => damage.source))];
    super(
      `the lake is not what it recorded: ${damages.map(describeDamage).join("; ")}. Nothing was written to ${sources.length > 1 ? "these tables" : "this table"}; ` +
        `restore ${damages.length > 1 ? "them" : "it"} from the raw archive with \`${sources.map(restoreCommand).join("` and `")}\``,
    );
    this.name = "LakeDamageError";
  }
}

export function inventoryPath(root: string, source: string, table: string): string {
  return join(tableDirectory(root, source, table), INVENTORY_FILE);
}

/** The file's size and mtime now (undefined when it does not exist). */
async function statFile(path: string): Promise<{ bytes: number; mtimeNs: string } | undefined> {
  try {
    const info = await stat(path, { bigint: true });
    return { bytes: Number(info.size), mtimeNs: info.mtimeNs.toString() };
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Size, mtime and SHA-256 of a file the writer has just written. */
export async function fingerprintFile(path: string): Promise<{ bytes: number; mtimeNs: string; sha256: string }> {
  const info = await statFile(path);
  if (!info) throw new Error(`${path} vanished before it could be recorded`);
  return { ...info, sha256: await sha256Of(path) };
}

type Verdict = { ok: true; entry: InventoryFile } | { ok: false; problem: DamageProblem; detail: string };

/** Compares a file on disk with what was recorded for it (stat first, the hash only when the mtime moved). */
async function judge(path: string, recorded: InventoryFile): Promise<Verdict> {
  const now = await statFile(path);
  if (!now) return { ok: false, problem: "missing", detail: "is missing" };
  if (now.bytes < recorded.bytes) return { ok: false, problem: "truncated", detail: `is truncated (${now.bytes} of ${recorded.bytes} bytes)` };
  if (now.bytes > recorded.bytes) return { ok: false, problem: "changed", detail: `has changed (${now.bytes} bytes, ${recorded.bytes} recorded)` };
  if (now.mtimeNs === recorded.mtimeNs) return { ok: true, entry: recorded };
  if ((await sha256Of(path)) !== recorded.sha256) return { ok: false, problem: "changed", detail: "has changed (same size, different content)" };
  return { ok: true, entry: { ...recorded, mtimeNs: now.mtimeNs } };
}

const emptyInventory = (): TableInventory => ({ format: 1, files: {}, pending: null, restoring: {} });

async function readInventory(path: string): Promise<TableInventory | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = inventorySchema.safeParse(json);
  // The writer replaces it atomically, so an unreadable one was damaged from outside:
  // rebuild it from the disk (the shrink contract still sees rows that went with it).
  return parsed.success ? parsed.data : undefined;
}

async function countRows(path: string, connection: DuckDBConnection | undefined): Promise<number> {
  const sql = `SELECT count(*) FROM read_parquet(${quoteLiteral(path)})`;
  if (connection) return Number((await connection.runAndReadAll(sql)).getRowsJson()[0]?.[0] ?? 0);
  const db = await createOfflineDuckDB();
  try {
    return Number((await db.connection.runAndReadAll(sql)).getRowsJson()[0]?.[0] ?? 0);
  } finally {
    db.close();
  }
}

/**
 * A table's inventory, checked against the disk: a pending change resolved, unlisted
 * part files adopted, moved mtimes re-hashed. `damages` lists what does not match.
 */
export class TableInventoryHandle {
  private pendingChange: TableInventory["pending"] = null;

  private constructor(
    readonly root: string,
    readonly source: string,
    readonly table: string,
    private inventory: TableInventory,
    readonly damages: readonly PartitionDamage[],
  ) {}

  get directory(): string {
    return tableDirectory(this.root, this.source, this.table);
  }

  get path(): string {
    return join(this.directory, INVENTORY_FILE);
  }

  static async open(root: string, source: string, table: string, connection?: DuckDBConnection, now = new Date()): Promise<TableInventoryHandle> {
    const directory = tableDirectory(root, source, table);
    const path = join(directory, INVENTORY_FILE);
    const stored = await readInventory(path);
    const inventory = structuredClone(stored ?? emptyInventory());
    let changed = stored === undefined;
    const damages: PartitionDamage[] = [];
    const damage = (rel: string, month: string, problem: DamageProblem, detail: string, recordedRows: number | null) =>
      damages.push({ source, table, month, file: join(directory, rel), problem, recordedRows, detail });

    // A replacement a kill interrupted: the disk says whether its rename happened.
    if (inventory.pending) {
      const { write, remove } = inventory.pending;
      for (const [rel, next] of Object.entries(write)) {
        const onDisk = await statFile(join(directory, rel));
        // The new file in place: the rename happened. Otherwise the recorded file (if
        // any) is still the live one, and the checks below judge it as usual.
        if (onDisk && onDisk.bytes === next.bytes && (onDisk.mtimeNs === next.mtimeNs || (await sha256Of(join(directory, rel))) === next.sha256)) {
          inventory.files[rel] = { ...next, mtimeNs: onDisk.mtimeNs };
        }
      }
      for (const rel of remove) {
        if ((await statFile(join(directory, rel))) === undefined) delete inventory.files[rel];
      }
      inventory.pending = null;
      changed = true;
    }

    for (const [rel, recorded] of Object.entries(inventory.files)) {
      const verdict = await judge(join(directory, rel), recorded);
      if (verdict.ok) {
        if (verdict.entry !== recorded) {
          inventory.files[rel] = verdict.entry;
          changed = true;
        }
      } else {
        damage(rel, recorded.month, verdict.problem, verdict.detail, recorded.rows);
      }
    }

    for (const { path: file, month } of await listLiveFiles(root, source, table)) {
      const rel = relative(directory, file);
      if (rel in inventory.files) continue;
      let rows: number;
      try {
        rows = await countRows(file, connection);
      } catch (error) {
        damage(rel, month, "unreadable", `cannot be read as Parquet (${error instanceof Error ? error.message.split("\n")[0] : String(error)})`, null);
        continue;
      }
      inventory.files[rel] = { month, rows, ...(await fingerprintFile(file)), writtenAt: now.toISOString() };
      changed = true;
    }

    for (const [rel, entry] of Object.entries(inventory.restoring)) {
      damages.push({
        source,
        table,
        month: entry.month,
        file: join(directory, rel),
        problem: "restoring",
        recordedRows: entry.rows,
        detail: `is being rebuilt from the raw archive (it ${entry.problem === "missing" ? "went missing" : `was ${entry.problem}`}; a replay was interrupted or has not run yet)`,
      });
    }

    const handle = new TableInventoryHandle(root, source, table, inventory, damages);
    if (changed && (stored !== undefined || Object.keys(inventory.files).length > 0)) await handle.save();
    return handle;
  }

  /** Damage that must stop a write (a partition being restored is the replay's own work). */
  get blockingDamages(): PartitionDamage[] {
    return this.damages.filter((damage) => damage.problem !== "restoring");
  }

  files(): Readonly<Record<string, InventoryFile>> {
    return this.inventory.files;
  }

  /** Rows the inventory holds for a month, over its files. */
  monthRows(month: string): number {
    return Object.values(this.inventory.files)
      .filter((entry) => entry.month === month)
      .reduce((sum, entry) => sum + entry.rows, 0);
  }

  private async save(): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    await writeFileAtomic(this.path, `${JSON.stringify(this.inventory, null, 2)}\n`);
  }

  /**
   * Records, before the rename, that `month`'s live file becomes `written` (or that
   * the month goes away, when undefined) and that `removed` files go.
   */
  async beginReplace(written: { path: string; month: string; rows: number; fingerprint: { bytes: number; mtimeNs: string; sha256: string } } | undefined, removed: readonly string[]): Promise<void> {
    const write: Record<string, InventoryFile> = {};
    if (written) {
      write[relative(this.directory, written.path)] = { month: written.month, rows: written.rows, ...written.fingerprint, writtenAt: new Date().toISOString() };
    }
    this.pendingChange = { write, remove: removed.map((path) => relative(this.directory, path)) };
    this.inventory.pending = this.pendingChange;
    await this.save();
  }

  /** Records that the replacement begun with beginReplace is done. */
  async commitReplace(): Promise<void> {
    const change = this.pendingChange;
    if (!change) return;
    for (const rel of change.remove) delete this.inventory.files[rel];
    Object.assign(this.inventory.files, change.write);
    this.inventory.pending = null;
    this.pendingChange = null;
    await this.save();
  }

  /**
   * Moves the damaged files aside (under `<root>/_damaged/<runId>/`, nothing is deleted)
   * and marks their partitions as being restored, so a replay may rebuild them.
   */
  async setAside(runId: string, now = new Date()): Promise<void> {
    for (const damage of this.blockingDamages) {
      const rel = relative(this.directory, damage.file);
      let setAsideTo: string | null = null;
      if ((await statFile(damage.file)) !== undefined) {
        setAsideTo = join(this.root, DAMAGED_DIRECTORY, runId, relative(this.root, damage.file));
        await mkdir(dirname(setAsideTo), { recursive: true });
        await rename(damage.file, setAsideTo);
      }
      delete this.inventory.files[rel];
      this.inventory.restoring[rel] = { month: damage.month, rows: damage.recordedRows, problem: damage.problem, detectedAt: now.toISOString(), setAsideTo };
    }
    await this.save();
  }

  /** After a replay: what each partition being restored holds now against what was recorded. Clears them. */
  async finishRestore(): Promise<Array<{ month: string; file: string; recorded: number | null; restored: number; setAsideTo: string | null }>> {
    // The replay wrote through handles of its own: start from the record on disk.
    this.inventory = (await TableInventoryHandle.open(this.root, this.source, this.table)).inventory;
    const outcomes = Object.entries(this.inventory.restoring).map(([rel, entry]) => ({
      month: entry.month,
      file: join(this.directory, rel),
      recorded: entry.rows,
      restored: this.monthRows(entry.month),
      setAsideTo: entry.setAsideTo,
    }));
    if (outcomes.length > 0) {
      this.inventory.restoring = {};
      await this.save();
    }
    return outcomes;
  }
}

/** Every table directory of the lake (`source=*` / `table=*`), whether or not it has a spec. */
export async function listTableDirectories(root: string): Promise<Array<{ source: string; table: string }>> {
  const out: Array<{ source: string; table: string }> = [];
  for (const sourceEntry of (await listDirectory(root)).sort()) {
    if (!/^source=[a-z][a-z0-9_]{0,62}$/.test(sourceEntry)) continue;
    for (const tableEntry of (await listDirectory(join(root, sourceEntry))).sort()) {
      if (/^table=[a-z][a-z0-9_]{0,62}$/.test(tableEntry)) out.push({ source: sourceEntry.slice("source=".length), table: tableEntry.slice("table=".length) });
    }
  }
  return out;
}

/** Checks every table of the lake against its inventory; returns what does not match. */
export async function inspectLake(root: string): Promise<PartitionDamage[]> {
  const damages: PartitionDamage[] = [];
  const db = await createOfflineDuckDB();
  try {
    for (const { source, table } of await listTableDirectories(root)) {
      damages.push(...(await TableInventoryHandle.open(root, source, table, db.connection)).damages);
    }
  } finally {
    db.close();
  }
  return damages;
}
