/**
 * `npm run nightly` as a scheduler runs it (a real process, the demo simulator, a
 * real Framework build), three nights in a row: the second, a day later, fetches
 * only the new day and the trailing window; the third, when the vendor suddenly
 * returns half its records, stops before building and leaves the site as it was.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readRunManifests } from "../data-loaders/contracts.js";

const TSX = join(process.cwd(), "node_modules", ".bin", "tsx");
const NIGHTLY = join(process.cwd(), "tools", "nightly.ts");

let dir: string;

function nightly(now: string, env: Record<string, string>): Promise<{ code: number | null; log: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [NIGHTLY, "--now", now, "--quiet"], {
      env: {
        ...process.env,
        SI_LAKE_DIR: join(dir, "lake"),
        SI_SITE_DIR: join(dir, "site"),
        SI_HISTORY_DAYS: "12",
        SI_DEMO_SEED: "5",
        OBSERVABLE_TELEMETRY_DISABLE: "true",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let log = "";
    child.stdout.on("data", (chunk: Buffer) => (log += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (log += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, log }));
  });
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

let nights: Array<{ code: number | null; log: string }> = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "si-nightly-"));
  // Both nights with a lot of vendor drift: kept, logged, and never a reason to stop.
  nights.push(await nightly("2026-05-14T19:00:00Z", { SI_DEMO_DAYS: "10", SI_DEMO_DRIFT_RATE: "0.3" }));
  nights.push(await nightly("2026-05-15T19:00:00Z", { SI_DEMO_DAYS: "11", SI_DEMO_DRIFT_RATE: "0.3" }));
}, 600_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("npm run nightly", () => {
  it("publishes the site on two nights in a row, keeping the night before as .previous", async () => {
    expect(nights[0]?.code, nights[0]?.log).toBe(0);
    expect(nights[1]?.code, nights[1]?.log).toBe(0);
    expect(nights[1]?.log).toContain("nightly: contracts hold for upscope, liveperson, agendize");
    for (const night of nights) {
      expect(night.log).toMatch(/nightly: warning: vendor drift kept, not quarantined, in the last runs: upscope \d+, liveperson \d+, agendize \d+(, embedded \d+)? records/);
      expect(night.log).toMatch(/warning: \d+ liveperson records kept with vendor drift \(.*unknown_enum_value in \d+/);
    }
    expect(await exists(join(dir, "site", "index.html"))).toBe(true);
    expect(await exists(join(dir, "site", "chats.html"))).toBe(true);
    expect(await exists(join(dir, "site.previous", "index.html"))).toBe(true);
    expect(await exists(join(dir, "site.next"))).toBe(false);
  });

  it("fetches only the new day and the trailing window on the second night", async () => {
    const [first, second] = await readRunManifests(join(dir, "lake"), "liveperson");
    expect(first?.recordsFetched).toBeGreaterThan(500);
    // A day and 6 trailing hours of ten days.
    expect((second?.recordsFetched ?? Infinity) / (first?.recordsFetched ?? 1)).toBeLessThan(0.2);
    expect(second?.recordsFetched).toBeGreaterThan(0);
  });

  it("stops before building when the vendor returns half its records, naming the source and figure, and leaves the site as it was", async () => {
    const before = await readFile(join(dir, "site", "index.html"), "utf8");
    const broken = await nightly("2026-05-16T19:00:00Z", { SI_DEMO_DAYS: "12", SI_DEMO_SERVED_SHARE: "0.5" });
    expect(broken.code, broken.log).toBe(1);
    expect(broken.log).toMatch(/nightly: contract broken \(row-drop\): liveperson\.engagements: \d+ records returned for .* UTC, where the previous run got \d+ for the same hours \(−\d+\.\d%/);
    expect(broken.log).toContain("stopped before building");
    expect(await readFile(join(dir, "site", "index.html"), "utf8")).toBe(before);
    expect(await exists(join(dir, "site.next"))).toBe(false);
  }, 600_000);
});
