/**
 * Durable, atomic file replacement on a local POSIX file system: write a temporary
 * file in the same directory, fsync it, rename(2) it over the target (atomic for
 * readers: they see the old or the new file, never a mix), then fsync the directory
 * so the rename itself survives a power cut.
 */
import { randomUUID } from "node:crypto";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** Prefix of every temporary file. Hive-style readers (Spark, Trino, Athena) skip names starting with "." or "_". */
export const TEMP_FILE_PREFIX = ".tmp-";

export function tempPathBeside(target: string, extension = ""): string {
  return join(dirname(target), `${TEMP_FILE_PREFIX}${randomUUID()}${extension}`);
}

export async function fsyncFile(path: string): Promise<void> {
  const handle = await open(path, "r+");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function fsyncDirectory(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } catch (error) {
    // Some file systems refuse fsync on directories; the rename is still atomic there.
    if (!(error instanceof Error && "code" in error && (error.code === "EINVAL" || error.code === "EISDIR"))) throw error;
  } finally {
    await handle.close();
  }
}

/** fsync `tempPath`, rename it onto `target`, fsync the directory. */
export async function commitTempFile(tempPath: string, target: string): Promise<void> {
  await fsyncFile(tempPath);
  await rename(tempPath, target);
  await fsyncDirectory(dirname(target));
}

export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const tempPath = tempPathBeside(target, `-${basename(target)}`);
  try {
    const handle = await open(tempPath, "wx");
    try {
      await handle.writeFile(data);
    } finally {
      await handle.close();
    }
    await commitTempFile(tempPath, target);
  } catch (error) {
    await rm(tempPath, { force: true });
    throw error;
  }
}
