/**
 * What filled a lake: the demo (the simulator's synthetic records) or configured
 * sources (a vendor's real records). Each lake is one or the other for ever: a sync
 * whose credentials went missing falls back to demo mode, and without this record it
 * would write synthetic records into a real lake (and a real run into a demo lake
 * would mix the other way). The record is `<root>/_provenance.json`, written
 * atomically before the first write of the first run; every run checks it before it
 * writes anything.
 *
 * A lake written before this record existed is classified from what it holds:
 * the marts manifest's `demo` flag, the `_demo/` folder demo runs write, the hosts
 * in its raw archive (the simulator only ever listens on loopback), and otherwise,
 * for a lake that holds data, "configured": the side on which a mistake cannot
 * put demo data into a real lake.
 */
import { createReadStream } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { createGunzip } from "node:zlib";
import { z } from "zod";
import { writeFileAtomic } from "./fs-atomic.js";

export type LakeFilling = "demo" | "configured";

export const PROVENANCE_FILE = "_provenance.json";

const provenanceSchema = z.object({
  format: z.literal(1),
  filledBy: z.enum(["demo", "configured"]),
  since: z.iso.datetime({ offset: true }),
  /** The sources configured by the run that first wrote the lake. */
  sources: z.array(z.string()),
  /** For a lake older than this file: what its filling was told from. */
  inferredFrom: z.string().optional(),
});
export type LakeProvenance = z.infer<typeof provenanceSchema>;

export class LakeProvenanceError extends Error {
  constructor(
    readonly lakeRoot: string,
    readonly recorded: LakeProvenance,
    readonly wanted: LakeFilling,
  ) {
    const filled =
      recorded.filledBy === "configured"
        ? `was filled from configured sources${recorded.sources.length > 0 ? ` (${recorded.sources.join(", ")})` : ""}`
        : "was filled by the demo (the simulator's synthetic records)";
    const origin = recorded.inferredFrom ? ` (told from ${recorded.inferredFrom})` : ` since ${recorded.since}`;
    const problem =
      wanted === "demo"
        ? "this run has no source configured, so it would write the simulator's demo records into it. " +
          "If the credentials went missing (unset, or a .env line that was not read), restore them; " +
          "to run the demo, point SI_LAKE_DIR at another folder"
        : "this run has configured sources, so it would mix real records into demo data. " +
          "Point SI_LAKE_DIR at a new folder for the real data";
    super(
      `the lake ${lakeRoot} ${filled}${origin}; ${problem}; or, to start this lake over, delete it (rm -r ${lakeRoot}). Nothing was written. (${join(lakeRoot, PROVENANCE_FILE)} records what filled it.)`,
    );
    this.name = "LakeProvenanceError";
  }
}

function provenancePath(root: string): string {
  return join(root, PROVENANCE_FILE);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

export async function readLakeProvenance(root: string): Promise<LakeProvenance | undefined> {
  let text: string;
  try {
    text = await readFile(provenancePath(root), "utf8");
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") return undefined;
    throw error;
  }
  const parsed = provenanceSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${provenancePath(root)} is not a lake provenance record: ${parsed.error.message}`);
  return parsed.data;
}

/** Whether the first archived HTTP response of a source went to loopback (the simulator). */
async function firstArchivedHost(root: string): Promise<{ loopback: boolean; where: string } | undefined> {
  const rawRoot = join(root, "_raw");
  for (const source of (await readdir(rawRoot).catch(() => [] as string[])).sort()) {
    const sourceDir = join(rawRoot, source);
    for (const run of (await readdir(sourceDir).catch(() => [] as string[])).sort()) {
      const runDir = join(sourceDir, run);
      for (const part of (await readdir(runDir).catch(() => [] as string[])).filter((name) => name.endsWith(".ndjson.gz")).sort()) {
        const lines = createInterface({ input: createReadStream(join(runDir, part)).pipe(createGunzip()) });
        try {
          for await (const line of lines) {
            const url = (JSON.parse(line) as { url?: unknown }).url;
            if (typeof url !== "string" || !/^https?:/.test(url)) continue; // session or event files say nothing
            const host = new URL(url).hostname;
            return { loopback: host === "127.0.0.1" || host === "localhost" || host === "[::1]", where: `_raw/${source}/${run}` };
          }
        } catch {
          // An unreadable archive part tells nothing; look at the next.
        } finally {
          lines.close();
        }
      }
    }
  }
  return undefined;
}

/** What an existing lake without a provenance record holds; undefined for an empty lake. */
export async function classifyLake(root: string): Promise<{ filledBy: LakeFilling; evidence: string } | undefined> {
  try {
    const manifest = z.object({ demo: z.boolean() }).parse(JSON.parse(await readFile(join(root, "marts", "_manifest.json"), "utf8")));
    return { filledBy: manifest.demo ? "demo" : "configured", evidence: `the marts manifest (demo: ${manifest.demo})` };
  } catch {
    // no manifest (or not one we can read): look further
  }
  if (await exists(join(root, "_demo"))) return { filledBy: "demo", evidence: "its _demo/ folder" };
  const archived = await firstArchivedHost(root);
  if (archived) {
    return archived.loopback
      ? { filledBy: "demo", evidence: `its raw archive (${archived.where}: responses from the simulator on loopback)` }
      : { filledBy: "configured", evidence: `its raw archive (${archived.where}: responses from a vendor host)` };
  }
  const entries = await readdir(root).catch(() => [] as string[]);
  const data = entries.filter((entry) => entry.startsWith("source=") || ["_state", "_raw", "_manifests", "_models", "marts"].includes(entry));
  if (data.length > 0) return { filledBy: "configured", evidence: `its contents (${data.sort().join(", ")}), which do not show a demo` };
  return undefined;
}

/**
 * Checks that a run filling the lake with `filledBy` data may write to it, and records
 * the lake's provenance on the first run. Throws LakeProvenanceError otherwise. Call
 * it holding the lake lock, before anything writes.
 */
export async function claimLakeProvenance(root: string, run: { filledBy: LakeFilling; sources: readonly string[] }, now = new Date()): Promise<LakeProvenance> {
  const lakeRoot = resolve(root);
  let recorded = await readLakeProvenance(lakeRoot);
  if (recorded === undefined) {
    const found = await classifyLake(lakeRoot);
    recorded = found
      ? { format: 1, filledBy: found.filledBy, since: now.toISOString(), sources: [], inferredFrom: found.evidence }
      : { format: 1, filledBy: run.filledBy, since: now.toISOString(), sources: [...run.sources] };
    await writeFileAtomic(provenancePath(lakeRoot), `${JSON.stringify(recorded, null, 2)}\n`);
  }
  if (recorded.filledBy !== run.filledBy) throw new LakeProvenanceError(lakeRoot, recorded, run.filledBy);
  return recorded;
}
