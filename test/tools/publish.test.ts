/**
 * The publish step on its own (tools/publish.ts): a build becomes the site by one
 * switch of a link; the build before is kept for a rollback and older ones go; a
 * site that is still a real folder (the layout before versions) is moved in safely;
 * and whatever a killed run left (a partial build, a half-deleted one, a stray
 * link, no site link at all) is cleaned up or repaired.
 */
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, realpath, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isBuildId, liveVersion, listVersions, prepareVersion, publishVersion, repairSite, rollback, siteLayout, type SiteLayout } from "../../tools/publish.js";

let dir: string;
let layout: SiteLayout;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "si-publish-"));
  layout = siteLayout(join(dir, "dist"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Builds a fake site into a fresh version folder, as the nightly's Framework build does. */
async function build(label: string, at: Date): Promise<string> {
  const { id, dir: partial } = await prepareVersion(layout, `${at.toISOString().replace(/[-:.]/g, "")}-${label.padStart(6, "0")}`);
  await mkdir(join(partial, "_file"), { recursive: true });
  await writeFile(join(partial, "index.html"), `<p>${label}</p>`);
  await writeFile(join(partial, "_file", "data.json"), `"${label}"`);
  return id;
}

const page = () => readFile(join(layout.site, "index.html"), "utf8");
const day = (n: number) => new Date(Date.UTC(2026, 4, n, 3, 17));

describe("publishing a build", () => {
  it("makes the site a link to the new build, keeps the one before, deletes older ones", async () => {
    const first = await publishVersion(layout, await build("a", day(1)));
    expect((await lstat(layout.site)).isSymbolicLink()).toBe(true);
    expect(await readlink(layout.site)).toBe(join("dist.versions", first.id));
    expect(first.previous).toBeUndefined();
    expect(await page()).toBe("<p>a</p>");

    const second = await publishVersion(layout, await build("b", day(2)));
    expect(second.previous).toBe(first.id);
    const third = await publishVersion(layout, await build("c", day(3)));
    expect(await page()).toBe("<p>c</p>");
    expect(third).toMatchObject({ previous: second.id, removed: [first.id] });
    expect(await listVersions(layout)).toEqual([second.id, third.id]);
  });

  it("rolls back to the build before, and the next publish keeps the rolled-back-to build", async () => {
    const a = (await publishVersion(layout, await build("a", day(1)))).id;
    const b = (await publishVersion(layout, await build("b", day(2)))).id;
    expect(await rollback(layout)).toEqual({ from: b, to: a });
    expect(await page()).toBe("<p>a</p>");
    await expect(rollback(layout)).rejects.toThrow(/nothing to roll back to/);
    const c = await publishVersion(layout, await build("c", day(3)));
    expect(c.previous).toBe(a);
    expect(await listVersions(layout)).toEqual([a, c.id]);
  });

  it("moves a site that is still a real folder into the versions, and cleans dist.next/ and dist.previous/", async () => {
    await mkdir(layout.site);
    await writeFile(join(layout.site, "index.html"), "<p>before versions</p>");
    await mkdir(`${layout.site}.previous`);
    await mkdir(`${layout.site}.next`);
    const published = await publishVersion(layout, await build("a", day(1)));
    expect(await page()).toBe("<p>a</p>");
    expect(published.previous).toMatch(/-unversioned$/);
    expect(isBuildId(published.previous as string)).toBe(true);
    expect(published.removed).toEqual(["dist.next", "dist.previous"]);
    expect(await rollback(layout)).toEqual({ from: published.id, to: published.previous });
    expect(await page()).toBe("<p>before versions</p>");
  });

  it("never counts a partial or half-deleted build as published, and removes what killed runs left", async () => {
    const a = (await publishVersion(layout, await build("a", day(1)))).id;
    // A build killed while Framework wrote it, one killed while being deleted, a link never renamed.
    const killed = await build("k", day(2));
    await mkdir(join(layout.versions, "20260501T031700000Z-dddddd.deleting"));
    await symlink("dist.versions/nowhere", join(dir, ".dist.link-0badc0de"));
    expect(await listVersions(layout)).toEqual([a]);
    expect(killed).toBeDefined();

    const b = await publishVersion(layout, await build("b", day(3)));
    expect(b.previous).toBe(a);
    expect((await readdir(layout.versions)).sort()).toEqual([a, b.id]);
    expect((await readdir(dir)).sort()).toEqual(["dist", "dist.versions"]);
  });
});

describe("repairing the site a killed run left", () => {
  it("links the newest complete build when the site is missing (killed between the migration's two renames)", async () => {
    await mkdir(layout.site);
    const a = (await publishVersion(layout, await build("a", day(1)))).id;
    await rm(layout.site);
    expect(await repairSite(layout)).toMatch(/was missing: linked to/);
    expect(await liveVersion(layout)).toBe(a);
    expect(await repairSite(layout)).toBeUndefined();
  });

  it("relinks a site that points at a build that is gone", async () => {
    const a = (await publishVersion(layout, await build("a", day(1)))).id;
    const b = (await publishVersion(layout, await build("b", day(2)))).id;
    await rm(join(layout.versions, b), { recursive: true });
    expect(await repairSite(layout)).toMatch(/pointed at a missing build/);
    expect(basename(await realpath(layout.site))).toBe(a);
  });
});
