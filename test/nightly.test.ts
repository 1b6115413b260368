/**
 * `npm run nightly` as a scheduler runs it (a real process, the demo simulator, a
 * real Framework build in its own build folder), three nights in a row: the first
 * publishes the whole site; the second, a day later, fetches only the new day and
 * the trailing window (and builds a small site, test/tools/small-site.ts, as the
 * whole site's 36 loaders would add a minute); the third, when the vendor suddenly
 * returns half its records, stops before building and leaves the site as it was.
 * Then --rollback puts the first night's site back.
 */
import { spawn } from "node:child_process";
import { lstat, mkdtemp, readdir, readFile, readlink, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readRunManifests } from "../data-loaders/contracts.js";
import { readPolicy } from "../tools/csp.js";
import { writeSmallSite } from "./tools/small-site.js";

const TSX = join(process.cwd(), "node_modules", ".bin", "tsx");
const NIGHTLY = join(process.cwd(), "tools", "nightly.ts");

let dir: string;

function nightly(now: string, env: Record<string, string>, args = ["--now", now, "--quiet"]): Promise<{ code: number | null; log: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [NIGHTLY, ...args], {
      env: {
        ...process.env,
        PATH: `${join(process.cwd(), "node_modules", ".bin")}:${process.env.PATH ?? ""}`,
        SI_LAKE_DIR: join(dir, "lake"),
        SI_SITE_DIR: join(dir, "site"),
        SI_BUILD_DIR: join(dir, "build"),
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
const versions: string[] = [];
let smallSite: string;

/** The build the site link points at. */
const live = async () => (await readlink(join(dir, "site")).catch(() => "")).replace(/^site\.versions\//, "");

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "si-nightly-"));
  smallSite = await writeSmallSite(join(dir, "small-site"));
  // Both nights with a lot of vendor drift: kept, logged, and never a reason to stop.
  nights.push(await nightly("2026-05-14T19:00:00Z", { SI_DEMO_DAYS: "10", SI_DEMO_DRIFT_RATE: "0.3" }));
  versions.push(await live());
  nights.push(await nightly("2026-05-15T19:00:00Z", { SI_DEMO_DAYS: "11", SI_DEMO_DRIFT_RATE: "0.3", SI_SITE_SOURCE: smallSite }));
  versions.push(await live());
}, 600_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("npm run nightly", () => {
  it("publishes the whole site, every page with its Content-Security-Policy, then the next night's, keeping the night before", async () => {
    expect(nights[0]?.code, nights[0]?.log).toBe(0);
    expect(nights[1]?.code, nights[1]?.log).toBe(0);
    expect(nights[1]?.log).toContain("nightly: contracts hold for upscope, liveperson, agendize, embedded");
    for (const night of nights) {
      expect(night.log).toMatch(/nightly: warning: vendor drift kept, not quarantined, in the last runs: upscope \d+, liveperson \d+, agendize \d+(, embedded \d+)? records/);
      expect(night.log).toMatch(/warning: \d+ liveperson records kept with vendor drift \(.*unknown_enum_value in \d+/);
    }
    const [first, second] = versions as [string, string];
    expect(first).not.toBe(second);
    const firstBuild = join(dir, "site.versions", first);
    for (const page of ["index.html", "chats.html", "cobrowsing.html", "data.html"]) {
      const policy = readPolicy(await readFile(join(firstBuild, page), "utf8"));
      expect(policy, page).toMatch(/script-src 'self' 'sha256-/);
      expect(policy?.split("; ").find((directive) => directive.startsWith("script-src ")), page).not.toContain("unsafe-inline");
      expect(policy, page).toContain("object-src 'none'");
    }
    expect((await lstat(join(dir, "site"))).isSymbolicLink()).toBe(true);
    expect(await readFile(join(dir, "site", "index.html"), "utf8")).toContain("Small site");
    expect((await readdir(join(dir, "site.versions"))).sort()).toEqual([first, second]);
    expect(nights[1]?.log).toContain(`(the previous, ${first}, is kept for --rollback)`);
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
    const broken = await nightly("2026-05-16T19:00:00Z", { SI_DEMO_DAYS: "12", SI_DEMO_SERVED_SHARE: "0.5", SI_SITE_SOURCE: smallSite });
    expect(broken.code, broken.log).toBe(1);
    expect(broken.log).toMatch(/nightly: contract broken \(row-drop\): liveperson\.engagements: \d+ records returned for .* UTC, where the previous run got \d+ for the same hours \(−\d+\.\d%/);
    expect(broken.log).toContain("stopped before building");
    expect(await readFile(join(dir, "site", "index.html"), "utf8")).toBe(before);
    expect(await live()).toBe(versions[1]);
    expect((await readdir(join(dir, "site.versions"))).sort()).toEqual([...versions].sort());
  }, 600_000);

  it("--rollback points the site back at the night before, and says so when there is nothing older", async () => {
    const back = await nightly("", {}, ["--rollback"]);
    expect(back.code, back.log).toBe(0);
    expect(back.log).toContain(`is build ${versions[0]} again (was ${versions[1]})`);
    expect(await live()).toBe(versions[0]);
    expect(await exists(join(dir, "site", "chats.html"))).toBe(true);
    const again = await nightly("", {}, ["--rollback"]);
    expect(again.code).toBe(1);
    expect(again.log).toContain("nothing to roll back to");
  });
});
