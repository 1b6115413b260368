/**
 * A lake knows what filled it: the first run records it, a run of the other kind is
 * refused with the lake named and the ways out, and a lake older than the record is
 * classified from what it holds.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { claimLakeProvenance, classifyLake, LakeProvenanceError, PROVENANCE_FILE } from "../../data-loaders/lake/provenance.js";
import { openRawArchive } from "../../data-loaders/lake/raw-archive.js";
import { makeTempDir } from "./helpers.js";

let root: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ path: root, cleanup } = await makeTempDir("lake-provenance-"));
});
afterEach(async () => cleanup());

async function refusal(run: Parameters<typeof claimLakeProvenance>[1]): Promise<LakeProvenanceError> {
  const error = await claimLakeProvenance(root, run).catch((thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(LakeProvenanceError);
  return error as LakeProvenanceError;
}

async function archiveOne(url: string): Promise<void> {
  const archive = await openRawArchive(root, "liveperson", "run-1");
  await archive.append({ fetchedAt: "2026-05-01T00:00:00.000Z", method: "POST", url, status: 200, body: "{}" });
  await archive.close();
}

describe("lake provenance", () => {
  it("is recorded by the first run, and a demo run on a lake filled from configured sources is refused, naming the lake and the ways out", async () => {
    await claimLakeProvenance(root, { filledBy: "configured", sources: ["liveperson"] });
    expect(JSON.parse(await readFile(join(root, PROVENANCE_FILE), "utf8"))).toMatchObject({ format: 1, filledBy: "configured", sources: ["liveperson"] });
    await claimLakeProvenance(root, { filledBy: "configured", sources: ["liveperson", "agendize"] });
    const { message } = await refusal({ filledBy: "demo", sources: [] });
    expect(message).toContain(`the lake ${root} was filled from configured sources (liveperson)`);
    for (const wayOut of ["restore them", "point SI_LAKE_DIR at another folder", `rm -r ${root}`, "Nothing was written"]) expect(message).toContain(wayOut);
  });

  it("refuses the reverse too: configured sources on a demo lake", async () => {
    await claimLakeProvenance(root, { filledBy: "demo", sources: [] });
    const { message } = await refusal({ filledBy: "configured", sources: ["agendize"] });
    expect(message).toContain("was filled by the demo");
    expect(message).toContain("Point SI_LAKE_DIR at a new folder for the real data");
  });

  it("classifies a lake older than the record from its marts manifest, its _demo/ folder, its raw archive or its data", async () => {
    expect(await classifyLake(root)).toBeUndefined();
    await mkdir(join(root, "source=liveperson", "table=engagements"), { recursive: true });
    expect(await classifyLake(root)).toMatchObject({ filledBy: "configured" });
    await archiveOne("https://va.enghist.liveperson.net/interaction_history/api/account/1/interactions/search?offset=0");
    expect(await classifyLake(root)).toMatchObject({ filledBy: "configured", evidence: expect.stringContaining("vendor host") });
    await mkdir(join(root, "_demo", "upscope-session-files"), { recursive: true });
    expect(await classifyLake(root)).toMatchObject({ filledBy: "demo", evidence: "its _demo/ folder" });
    await mkdir(join(root, "marts"));
    await writeFile(join(root, "marts", "_manifest.json"), JSON.stringify({ builtAt: "2026-05-01T00:00:00.000Z", demo: false, publishText: false, marts: [] }));
    expect(await classifyLake(root)).toMatchObject({ filledBy: "configured", evidence: "the marts manifest (demo: false)" });
  });

  it("tells a demo lake without manifest or _demo/ by the simulator's loopback address in its archive", async () => {
    await archiveOne("http://127.0.0.1:40123/liveperson/interaction_history/api/account/1/interactions/search");
    expect(await classifyLake(root)).toMatchObject({ filledBy: "demo" });
    const { message } = await refusal({ filledBy: "configured", sources: ["liveperson"] });
    expect(message).toContain("told from its raw archive");
  });

  it("refuses a demo run on an existing real lake that has no record yet (a lake from before this check)", async () => {
    await mkdir(join(root, "marts"));
    await writeFile(join(root, "marts", "_manifest.json"), JSON.stringify({ builtAt: "2026-05-01T00:00:00.000Z", demo: false, publishText: false, marts: [] }));
    const { message } = await refusal({ filledBy: "demo", sources: [] });
    expect(message).toContain("told from the marts manifest (demo: false)");
    // The classification is kept, so the next run does not depend on the manifest any more.
    expect(JSON.parse(await readFile(join(root, PROVENANCE_FILE), "utf8"))).toMatchObject({ filledBy: "configured", inferredFrom: "the marts manifest (demo: false)" });
  });
});
