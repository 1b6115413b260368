/** The live files of a table as the file system holds them, shared by the writer and its inventory. */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { tableDirectory } from "./layout.js";

export interface LiveFile {
  month: string;
  path: string;
}

export const PART_FILE = /^part-.*\.parquet$/;
export const MONTH_DIRECTORY = /^month=(\d{4}-\d{2})$/;

export function isMissing(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === "ENOENT";
}

/** The names in a directory; none when it does not exist. */
export async function listDirectory(path: string): Promise<string[]> {
  try {
    return await readdir(path);
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}

/** Live part files of a table, per month, read from the file system. */
export async function listLiveFiles(root: string, source: string, table: string): Promise<LiveFile[]> {
  const files: LiveFile[] = [];
  const directory = tableDirectory(root, source, table);
  for (const entry of (await listDirectory(directory)).sort()) {
    const month = MONTH_DIRECTORY.exec(entry)?.[1];
    if (month === undefined) continue;
    for (const name of (await listDirectory(join(directory, entry))).sort()) {
      if (PART_FILE.test(name)) files.push({ month, path: join(directory, entry, name) });
    }
  }
  return files;
}
