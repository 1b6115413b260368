/** Bytes on disk under a folder (file sizes, as `du --apparent-size` counts them). */
import { lstat, readdir } from "node:fs/promises";
import { join } from "node:path";

export async function directorySize(path: string): Promise<number> {
  let entries: string[];
  try {
    entries = (await readdir(path, { recursive: true })).map(String);
  } catch {
    return 0;
  }
  let bytes = 0;
  for (const entry of entries) {
    const info = await lstat(join(path, entry)).catch(() => undefined);
    if (info?.isFile()) bytes += info.size;
  }
  return bytes;
}

/** Sizes of a lake's parts: the tables, the raw archive, the marts, and the rest (state, manifests). */
export async function lakeSizes(lakeDir: string): Promise<{ totalBytes: number; tablesBytes: number; rawBytes: number; martsBytes: number }> {
  const totalBytes = await directorySize(lakeDir);
  let tablesBytes = 0;
  for (const entry of await readdir(lakeDir).catch(() => [] as string[])) {
    if (entry.startsWith("source=")) tablesBytes += await directorySize(join(lakeDir, entry));
  }
  return { totalBytes, tablesBytes, rawBytes: await directorySize(join(lakeDir, "_raw")), martsBytes: await directorySize(join(lakeDir, "marts")) };
}
