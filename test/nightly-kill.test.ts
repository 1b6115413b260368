/**
 * `npm run nightly` (a real process group: the nightly, the sync it spawns,
 * Framework and its loaders) killed with SIGKILL at random moments, twenty times and
 * more, most of them around the publish step where a site could be lost or mixed.
 * After every kill the site must resolve to one complete build (every page and every
 * file its pages reference), never to a half-written one or to nothing; after one
 * more run the lake must equal an uninterrupted run's, table by table, by key and
 * content hash.
 *
 * Cost: each run is a whole nightly (sync, build, publish), so the site built is a
 * two-page project (test/tools/small-site.ts) on three days of demo data; kill
 * moments are drawn from the phases of a first, uninterrupted run (its log lines).
 */
import { spawn } from "node:child_process";
import { lstat, mkdtemp, readdir, readFile, realpath, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isBuildId } from "../tools/publish.js";
import { lakeFingerprint, mulberry32 } from "./tools/lake-fingerprint.js";
import { writeSmallSite } from "./tools/small-site.js";

const NOW = "2026-05-14T19:00:00.000Z";
const TSX = join(process.cwd(), "node_modules", ".bin", "tsx");
const NIGHTLY = join(process.cwd(), "tools", "nightly.ts");
const KILLS = 20;

let dir: string;
let smallSite: string;

type Anchor = "start" | "build" | "publish";
interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  log: string;
  /** When each phase line appeared, in ms after the start. */
  phases: Partial<Record<Anchor | "published", number>>;
  ms: number;
}

const PHASE_LINES: Array<[RegExp, Anchor | "published"]> = [
  [/^nightly: 3\/4 build/m, "build"],
  [/^nightly: 4\/4 publish/m, "publish"],
  [/^nightly: published/m, "published"],
];

/** A nightly in its own process group; `kill` says after which phase line and how long after to SIGKILL the group. */
function runNightly(lane: string, kill?: { after: Anchor; delayMs: number }): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [NIGHTLY, "--now", NOW, "--quiet"], {
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        PATH: `${join(process.cwd(), "node_modules", ".bin")}:${process.env.PATH ?? ""}`,
        SI_LAKE_DIR: join(lane, "lake"),
        SI_SITE_DIR: join(lane, "site"),
        SI_BUILD_DIR: join(lane, "build"),
        SI_SITE_SOURCE: smallSite,
        SI_HISTORY_DAYS: "3",
        SI_DEMO_DAYS: "3",
        SI_DEMO_SEED: "7",
        OBSERVABLE_TELEMETRY_DISABLE: "true",
      },
    });
    let log = "";
    const phases: Run["phases"] = {};
    let timer: NodeJS.Timeout | undefined;
    const killGroup = () => {
      try {
        process.kill(-(child.pid as number), "SIGKILL");
      } catch {
        // already gone
      }
    };
    const arm = (anchor: Anchor) => {
      if (kill?.after === anchor && !timer) timer = setTimeout(killGroup, kill.delayMs);
    };
    arm("start");
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      for (const [pattern, phase] of PHASE_LINES) {
        if (phases[phase] === undefined && pattern.test(log)) {
          phases[phase] = Date.now() - started;
          if (phase !== "published") arm(phase);
        }
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (timer) clearTimeout(timer);
      // Whatever the nightly spawned dies with the group; wait until none is left.
      void waitForGroupToEnd(child.pid as number).then(() => resolve({ code, signal, log, phases, ms: Date.now() - started }), reject);
    });
  });
}

async function waitForGroupToEnd(pgid: number): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return;
    }
    await new Promise((done) => setTimeout(done, 25));
  }
  throw new Error(`process group ${pgid} still alive 5 s after the nightly exited`);
}

async function filesUnder(root: string): Promise<string[]> {
  return (await readdir(root, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort();
}

/** Every local file a page refers to (scripts, styles, preloads, imports, data files). */
function localReferences(html: string): string[] {
  const refs = new Set<string>();
  for (const match of html.matchAll(/(?:src|href)="(\.{0,2}\/[^"#?]*)|(?:import|from)\s*\(?\s*"(\.{0,2}\/[^"#?]*)"|"path":"(\.{0,2}\/[^"#?]*)"/g)) {
    const ref = match[1] ?? match[2] ?? match[3];
    if (ref && /\.[a-z0-9]+$/i.test(ref)) refs.add(ref);
  }
  return [...refs];
}

/**
 * The site as a visitor's server would see it now: undefined when there is no site
 * at all, else the build it resolves to, checked complete: every page file of the
 * reference build, and every file any page refers to.
 */
async function publishedBuild(lane: string, pages: string[]): Promise<string | undefined> {
  const site = join(lane, "site");
  const link = await lstat(site).catch(() => undefined);
  if (!link) return undefined;
  expect(link.isSymbolicLink(), `${site} is a link`).toBe(true);
  const target = await realpath(site);
  expect(dirname(target)).toBe(await realpath(join(lane, "site.versions")));
  expect(isBuildId(basename(target)), `${basename(target)} is a complete build's folder`).toBe(true);
  const files = await filesUnder(target);
  expect(files.filter((file) => file.endsWith(".html"))).toEqual(pages);
  for (const page of pages) {
    const html = await readFile(join(target, page), "utf8");
    expect(html, `${page} carries its Content-Security-Policy`).toContain('http-equiv="Content-Security-Policy"');
    for (const ref of localReferences(html)) {
      const path = ref.startsWith("/") ? join(target, ref) : join(target, dirname(page), ref);
      expect(await stat(path).then((s) => s.isFile(), () => false), `${page} refers to ${ref}, which is in the build`).toBe(true);
    }
  }
  return basename(target);
}

let reference: Run;
let referencePages: string[];
let referenceLake: Record<string, string[]>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "si-nightly-kill-"));
  smallSite = await writeSmallSite(join(dir, "small-site"));
  reference = await runNightly(join(dir, "reference"));
  expect(reference.code, reference.log).toBe(0);
  referencePages = (await filesUnder(join(dir, "reference", "site"))).filter((file) => file.endsWith(".html"));
  referenceLake = await lakeFingerprint(join(dir, "reference", "lake"));
}, 300_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the nightly killed with SIGKILL at random moments", () => {
  it("always leaves one complete build as the site, and after one more run the lake of an uninterrupted run", async () => {
    expect(referencePages).toEqual(expect.arrayContaining(["index.html", "about.html"]));
    expect(await publishedBuild(join(dir, "reference"), referencePages)).toBeDefined();
    const { build, publish, published } = reference.phases;
    if (build === undefined || publish === undefined || published === undefined) throw new Error(`phase lines missing:\n${reference.log}`);

    const lane = join(dir, "killed");
    const random = mulberry32(20261202);
    const history: string[] = [];
    // How long each phase lasts, from the reference run, shortened to what later runs show
    // (they are incremental and faster), so that a drawn moment falls inside a run.
    const spans = { toBuild: build, build: publish - build, publish: published - publish };
    let everPublished: string | undefined;
    let kills = 0;
    // Most kills around the publish step (the danger), some in the build, some in the sync, in a shuffled order.
    const plan: Anchor[] = [...Array<Anchor>(11).fill("publish"), ...Array<Anchor>(5).fill("build"), ...Array<Anchor>(KILLS - 16).fill("start")];
    for (let i = plan.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [plan[i], plan[j]] = [plan[j] as Anchor, plan[i] as Anchor];
    }
    for (let attempt = 0; attempt < KILLS * 2 && kills < KILLS; attempt += 1) {
      // A run that ended before its kill keeps the same phase for the next one.
      const after = plan[kills] as Anchor;
      const span = after === "publish" ? spans.publish : after === "build" ? spans.build : spans.toBuild;
      const kill = { after, delayMs: Math.round(random() * span) };
      const run = await runNightly(lane, kill);
      history.push(`${kill.after}+${kill.delayMs} ms: ${run.signal ?? `exit ${run.code}`}`);
      expect(run.signal === "SIGKILL" || run.code === 0, `${history.join(", ")}\n${run.log}`).toBe(true);
      if (run.signal === "SIGKILL") kills += 1;
      const seen = run.phases;
      if (seen.build !== undefined) spans.toBuild = Math.min(spans.toBuild, seen.build);
      if (seen.build !== undefined && seen.publish !== undefined) spans.build = Math.min(spans.build, seen.publish - seen.build);
      if (seen.publish !== undefined && seen.published !== undefined) spans.publish = Math.min(spans.publish, seen.published - seen.publish);

      const live = await publishedBuild(lane, referencePages);
      // No site before the first publish; after it, always one.
      if (everPublished) expect(live, `the site vanished after: ${history.join(", ")}`).toBeDefined();
      everPublished ??= live;
    }
    if (process.env.SI_TEST_VERBOSE) console.error(`kills: ${history.join(", ")}`);
    expect(kills, history.join(", ")).toBe(KILLS);

    const last = await runNightly(lane);
    expect(last.code, last.log).toBe(0);
    const live = await publishedBuild(lane, referencePages);
    expect(live).toBeDefined();
    // Nothing a killed run left: at most the live build and the one before, no partial or doomed folder, no stray link.
    const versions = await readdir(join(lane, "site.versions"));
    expect(versions.every(isBuildId), versions.join(", ")).toBe(true);
    expect(versions.length).toBeLessThanOrEqual(2);
    expect((await readdir(lane)).filter((name) => name.startsWith(".site.link-"))).toEqual([]);
    expect(await lakeFingerprint(join(lane, "lake"))).toEqual(referenceLake);
  }, 1_800_000);
});
