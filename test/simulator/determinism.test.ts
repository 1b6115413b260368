import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exportGroundTruth } from "../../simulator/index.js";
import { NOW, agendizeQuery, http, lpSearch, start, upscopeHeaders, window } from "./helpers.js";

async function exportBytes(seed: number): Promise<Map<string, Buffer>> {
  const directory = await mkdtemp(join(tmpdir(), "sim-export-"));
  try {
    await exportGroundTruth({ seed, now: NOW, days: 14, faults: { invalidRecord: 0.05 } }, directory);
    const files = new Map<string, Buffer>();
    for (const name of (await readdir(directory)).sort()) files.set(name, await readFile(join(directory, name)));
    return files;
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

describe("determinism", () => {
  it("writes byte-identical exports for the same seed and clock, one NDJSON file per object type", async () => {
    const first = await exportBytes(7);
    const second = await exportBytes(7);
    expect([...first.keys()]).toEqual([...second.keys()]);
    for (const [name, bytes] of first) expect(bytes.equals(second.get(name) ?? Buffer.alloc(0)), name).toBe(true);
    for (const name of ["upscope-visitors.ndjson", "upscope-sessions.ndjson", "liveperson-engagements.ndjson", "agendize-chats.ndjson"]) {
      expect(first.get(name)?.length ?? 0).toBeGreaterThan(0);
    }
    const other = await exportBytes(8);
    expect(other.get("liveperson-engagements.ndjson")?.equals(first.get("liveperson-engagements.ndjson") ?? Buffer.alloc(0))).toBe(false);
  });

  it("serves byte-identical responses from two simulators with the same seed and clock", async () => {
    const bodies: string[][] = [];
    for (let run = 0; run < 2; run++) {
      const sim = await start({ seed: 11 });
      try {
        const list = await http(`${sim.url}/upscope/v1.3/list`, { headers: upscopeHeaders });
        const id = (JSON.parse(list.text) as { visitors: { short_id: string }[] }).visitors[0]?.short_id ?? "";
        bodies.push([
          list.text,
          (await http(`${sim.url}/upscope/v1.3/visitors/${id}?with_history=true`, { headers: upscopeHeaders })).text,
          (await http(`${sim.url}/upscope/v1.3/usage`, { headers: upscopeHeaders })).text,
          (await lpSearch(sim.url, { start: window(2) }, "limit=100&sort=duration:desc")).text.replaceAll(sim.url, "BASE"),
          (await http(`${sim.url}/agendize/api/2.0/chat/history?${agendizeQuery}&startDate=2026-11-10T00:00:00Z&endDate=2026-11-12T00:00:00Z`)).text,
        ]);
      } finally {
        await sim.stop();
      }
    }
    expect(bodies[0]).toEqual(bodies[1]);
  });
});
