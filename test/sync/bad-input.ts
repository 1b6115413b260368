/** Bad input shared by the file-reading tests of both file sources (issue 18). */
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { openLakeDuckDB } from "../../data-loaders/lake/index.js";

/** `[[[[…]]]]`, `depth` levels. */
export const deep = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;

export const HUGE_LINE_BYTES = 50 * 1024 * 1024;

/**
 * Writes `before`, then a line `head` + HUGE_LINE_BYTES of "a" + `tail`, then `after`, in
 * 1 MiB pieces: the test never holds the line either.
 */
export async function writeWithHugeLine(path: string, before: string, head: string, tail: string, after: string): Promise<void> {
  const out = createWriteStream(path);
  out.write(`${before}${head}`);
  const piece = "a".repeat(1024 * 1024);
  for (let written = 0; written < HUGE_LINE_BYTES; written += piece.length) if (!out.write(piece)) await once(out, "drain");
  out.end(`${tail}${after}`);
  await once(out, "finish");
}

export async function queryLake(lakeDir: string, sql: string): Promise<Array<Record<string, unknown>>> {
  const reader = await openLakeDuckDB(lakeDir);
  try {
    return await reader.queryRows(sql);
  } finally {
    reader.close();
  }
}
