/**
 * Per-source sync state (watermarks, last success, an opaque cursor) as one small
 * JSON file per source inside the lake, replaced atomically (temp + fsync + rename),
 * so a crash leaves the previous state, never a torn one. A JSON file rather than a
 * Parquet table: it is read and written whole, by one process, and must be readable
 * before DuckDB opens.
 */
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { writeFileAtomic } from "./fs-atomic.js";
import { stateFilePath } from "./layout.js";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

const jsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValueSchema), z.record(z.string(), jsonValueSchema)]),
);

const isoInstant = z.iso.datetime({ offset: true });

export const sourceStateSchema = z.object({
  /** Named high-water marks (ISO 8601 instants), e.g. `{ engagements: "2026-01-01T00:00:00Z" }`. */
  watermarks: z.record(z.string(), isoInstant),
  lastSuccessAt: isoInstant.nullable(),
  lastRunId: z.string().nullable(),
  /** Source-specific resume data (page hrefs, window bounds …). */
  cursor: jsonValueSchema,
});

export type SourceState = z.infer<typeof sourceStateSchema>;

export interface StoredSourceState extends SourceState {
  source: string;
  updatedAt: string;
}

export const emptySourceState = (): SourceState => ({ watermarks: {}, lastSuccessAt: null, lastRunId: null, cursor: null });

const storedSchema = sourceStateSchema.extend({ source: z.string(), updatedAt: isoInstant });

/** The stored state, or undefined when the source never wrote one. Throws on a corrupt file rather than guessing. */
export async function readState(root: string, source: string): Promise<StoredSourceState | undefined> {
  const path = stateFilePath(root, source);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") return undefined;
    throw error;
  }
  const parsed = storedSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`Corrupt sync state for source "${source}" at ${path}: ${parsed.error.message}`);
  return parsed.data;
}

export async function writeState(root: string, source: string, state: SourceState, now: () => Date = () => new Date()): Promise<StoredSourceState> {
  const stored: StoredSourceState = { ...sourceStateSchema.parse(state), source, updatedAt: now().toISOString() };
  await writeFileAtomic(stateFilePath(root, source), `${JSON.stringify(stored, null, 2)}\n`);
  return stored;
}
