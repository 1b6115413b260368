/**
 * The demo's deliberate change (SI_DEMO_SHIFT): one metric moves by a factor from a
 * day on, and nothing else moves, so a page's "real change" has a known cause.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../data-loaders/config.js";
import { parseMetricShift } from "../../data-loaders/demo-shift.js";
import { DEFAULT_DEMO_SHIFT } from "../../data-loaders/settings.js";
import { exportGroundTruth } from "../../simulator/index.js";

const NOW = "2026-11-20T12:00:00Z";
const SHIFT_DAYS = 4;
const FIRST_SHIFTED_DAY_MS = Date.parse("2026-11-16T00:00:00Z");

interface Engagement {
  info: { engagementId: string; startTimeL: number; chatRequestedTimeL?: number; chatRequestedTime?: string };
}

async function engagements(dir: string): Promise<Engagement[]> {
  const text = await readFile(join(dir, "liveperson-engagements.ndjson"), "utf8");
  return text.split("\n").filter(Boolean).map((line) => JSON.parse(line) as Engagement);
}

describe("parseMetricShift", () => {
  it("reads the documented form and none", () => {
    expect(parseMetricShift("liveperson-wait x2 from day -14")).toEqual({ metric: "liveperson-wait", factor: 2, fromDaysBeforeNow: 14 });
    expect(parseMetricShift("  liveperson-wait x0.5 from day -0 ")).toEqual({ metric: "liveperson-wait", factor: 0.5, fromDaysBeforeNow: 0 });
    expect(parseMetricShift("none")).toBeUndefined();
  });

  it("names what is wrong", () => {
    expect(() => parseMetricShift("liveperson-wait times 2")).toThrow(/a shift reads/);
    expect(() => parseMetricShift("agendize-wait x2 from day -3")).toThrow(/can move liveperson-wait, not "agendize-wait"/);
    expect(() => parseMetricShift("liveperson-wait x0 from day -3")).toThrow(/factor must be above 0/);
  });

  it("is a setting: the demo's default shift, none, and a bad value named by its variable", () => {
    expect(loadConfig({ SI_LAKE_DIR: tmpdir() }).demoSimulator.shift).toEqual(parseMetricShift(DEFAULT_DEMO_SHIFT));
    expect(loadConfig({ SI_LAKE_DIR: tmpdir(), SI_DEMO_SHIFT: "none" }).demoSimulator.shift).toBeUndefined();
    expect(() => loadConfig({ SI_LAKE_DIR: tmpdir(), SI_DEMO_SHIFT: "wait x2" })).toThrow(/SI_DEMO_SHIFT: a shift reads/);
  });
});

describe("a LivePerson wait shift in the simulator", () => {
  let plainDir: string;
  let shiftedDir: string;
  beforeAll(async () => {
    plainDir = await mkdtemp(join(tmpdir(), "si-shift-plain-"));
    shiftedDir = await mkdtemp(join(tmpdir(), "si-shift-moved-"));
    const options = { seed: 5, days: 12, scale: 0.3, now: NOW };
    await exportGroundTruth(options, plainDir);
    await exportGroundTruth({ ...options, shift: { metric: "liveperson-wait", factor: 3, fromDaysBeforeNow: SHIFT_DAYS } }, shiftedDir);
  }, 60_000);
  afterAll(async () => {
    await rm(plainDir, { recursive: true, force: true });
    await rm(shiftedDir, { recursive: true, force: true });
  });

  it("multiplies the wait of chats from the shift's first day on, and leaves everything else as it was", async () => {
    const plain = await engagements(plainDir);
    const shifted = await engagements(shiftedDir);
    expect(shifted.map((e) => e.info.engagementId)).toEqual(plain.map((e) => e.info.engagementId));
    let before = 0;
    let after = 0;
    plain.forEach((original, index) => {
      const moved = shifted[index]!;
      // The request time (and the transcript lines stamped from it) is what moves.
      const { chatRequestedTimeL: requested, chatRequestedTime: _text, startTimeL: start, ...rest } = original.info;
      const { chatRequestedTimeL: movedRequested, chatRequestedTime: _movedText, startTimeL: movedStart, ...movedRest } = moved.info;
      expect(movedStart).toBe(start);
      expect(movedRest).toEqual(rest);
      if (requested === undefined) return;
      const wait = start - requested;
      const movedWait = movedStart - movedRequested!;
      if (start >= FIRST_SHIFTED_DAY_MS) {
        after++;
        expect(Math.abs(movedWait - 3 * wait), original.info.engagementId).toBeLessThanOrEqual(2);
      } else {
        before++;
        expect(movedWait, original.info.engagementId).toBe(wait);
      }
    });
    // Both sides of the shift day hold chats, so both branches were checked.
    expect(before).toBeGreaterThan(20);
    expect(after).toBeGreaterThan(20);
  });
});
