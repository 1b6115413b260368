/**
 * Publishing a built site atomically. The site folder a web server serves
 * (`SI_SITE_DIR`, default `dist`) is a symbolic link to one complete build under
 * `<site>.versions/<build-id>/`:
 *
 *   dist -> dist.versions/20260514T031702123Z-4f2a1c
 *   dist.versions/20260513T031655950Z-9b0e77/   the previous build, kept for --rollback
 *   dist.versions/20260514T031702123Z-4f2a1c/   the live build
 *
 * A build is written into `<build-id>.partial/` and renamed to `<build-id>/` only
 * once it is complete and on disk, so a folder without the suffix is always a whole
 * build. The switch is one rename(2) of a new link over the old one, which the
 * kernel performs atomically: at every instant `dist` resolves to the previous
 * build or to the new one, never to a mix and never to nothing. Older builds are
 * deleted only after the switch (renamed to `<id>.deleting` first, so a
 * half-deleted folder never looks complete).
 *
 * A site folder that is still a real directory (the layout before versions) is
 * moved into `dist.versions/` at the first publish and the link put in its place.
 * A directory cannot be replaced by a link in one rename, so this one time there
 * are two renames in a row; a run killed between them leaves no `dist`, and the
 * next run (any command that publishes) links the newest complete build again
 * before doing anything else (`repairSite`).
 */
import { randomBytes } from "node:crypto";
import { lstat, mkdir, open, readdir, readlink, rename, rm, stat, symlink } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";

export const PARTIAL_SUFFIX = ".partial";
const DELETING_SUFFIX = ".deleting";
const LEGACY_SUFFIX = "-unversioned";
/** A complete build's folder name: a UTC timestamp (so names sort by age) and a random tag. */
const BUILD_ID = /^\d{8}T\d{9}Z-[0-9a-f]{6}(-unversioned)?$/;

export interface SiteLayout {
  /** What a web server serves: a symbolic link to the live build. */
  site: string;
  /** `<site>.versions/`: one folder per build. */
  versions: string;
}

export function siteLayout(siteDir: string): SiteLayout {
  const site = resolve(siteDir);
  return { site, versions: `${site}.versions` };
}

export function newBuildId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:.]/g, "");
  return `${stamp}-${randomBytes(3).toString("hex")}`;
}

/** When a build id says it was made. */
function buildTime(id: string): Date {
  const [, y, mo, d, h, mi, sec, ms] = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z/.exec(id) ?? [];
  return new Date(`${y}-${mo}-${d}T${h}:${mi}:${sec}.${ms}Z`);
}

export function isBuildId(name: string): boolean {
  return BUILD_ID.test(name);
}

async function lstatOrUndefined(path: string) {
  return lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw error;
  });
}

/** fsync a file or folder, so a rename that follows is not undone by a power cut. */
async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** fsync every file and folder under `dir` (depth first), then `dir` itself. */
async function fsyncTree(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await fsyncTree(path);
    else if (entry.isFile()) await fsyncPath(path);
  }
  await fsyncPath(dir);
}

/** The complete builds under `<site>.versions/`, oldest first. */
export async function listVersions(layout: SiteLayout): Promise<string[]> {
  const names = await readdir(layout.versions).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [] as string[];
    throw error;
  });
  return names.filter(isBuildId).sort();
}

/** The build id the site link points at, or undefined when the site is not a link (yet). */
export async function liveVersion(layout: SiteLayout): Promise<string | undefined> {
  const info = await lstatOrUndefined(layout.site);
  if (!info?.isSymbolicLink()) return undefined;
  const target = await readlink(layout.site);
  const id = basename(target);
  return isBuildId(id) ? id : undefined;
}

/** Points the site link at a complete build with one atomic rename of a new link over the old one. */
async function switchTo(layout: SiteLayout, id: string): Promise<void> {
  const parent = dirname(layout.site);
  const temporary = join(parent, `.${basename(layout.site)}.link-${randomBytes(4).toString("hex")}`);
  // Relative, so the site and its versions can be moved or mounted elsewhere together.
  await symlink(join(basename(layout.versions), id), temporary);
  try {
    await rename(temporary, layout.site);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await fsyncPath(parent);
}

/**
 * Makes sure the site resolves, whatever a killed run left: a missing site (killed
 * during the one-time migration) or a link to a build that is gone is pointed at
 * the newest complete build. Returns what it did, or undefined when nothing was needed.
 */
export async function repairSite(layout: SiteLayout): Promise<string | undefined> {
  const info = await lstatOrUndefined(layout.site);
  if (info && !info.isSymbolicLink()) return undefined; // the unversioned layout: migrated at the next publish
  if (info && (await stat(layout.site).then(() => true, () => false))) return undefined;
  const newest = (await listVersions(layout)).at(-1);
  if (!newest) return undefined;
  await switchTo(layout, newest);
  return `${layout.site} ${info ? "pointed at a missing build" : "was missing"}: linked to ${newest}`;
}

/** A fresh folder to build into: `<site>.versions/<id>.partial/`. */
export async function prepareVersion(layout: SiteLayout, id = newBuildId()): Promise<{ id: string; dir: string }> {
  await mkdir(layout.versions, { recursive: true });
  const dir = join(layout.versions, `${id}${PARTIAL_SUFFIX}`);
  await rm(dir, { recursive: true, force: true });
  return { id, dir };
}

export interface Published {
  id: string;
  previous: string | undefined;
  removed: string[];
}

/**
 * Publishes the build in `<id>.partial/`: syncs it to disk, renames it complete,
 * switches the site link to it, then deletes every build but the new one and the
 * one it replaced (and any partial folder a killed run left).
 */
export async function publishVersion(layout: SiteLayout, id: string, keep = 2): Promise<Published> {
  await repairSite(layout);
  const partial = join(layout.versions, `${id}${PARTIAL_SUFFIX}`);
  const complete = join(layout.versions, id);
  await fsyncTree(partial);
  await rename(partial, complete);
  await fsyncPath(layout.versions);

  let previous = await liveVersion(layout);
  const current = await lstatOrUndefined(layout.site);
  if (current && !current.isSymbolicLink()) {
    // The unversioned layout: the old site becomes a version (named to sort just before the new one), then the link takes its place.
    if (!current.isDirectory()) throw new Error(`${layout.site} is neither a folder nor a link: move it away, then run again`);
    previous = `${newBuildId(new Date(buildTime(id).getTime() - 1)).replace(/[0-9a-f]{6}$/, "000000")}${LEGACY_SUFFIX}`;
    await rename(layout.site, join(layout.versions, previous));
  }
  await switchTo(layout, id);

  const keepIds = new Set([id, ...(previous ? [previous] : [])]);
  const kept = (await listVersions(layout)).filter((name) => keepIds.has(name));
  // Never fewer than `keep` complete builds when there are that many (a rollback leaves a newer one behind).
  for (const name of (await listVersions(layout)).reverse()) {
    if (kept.length >= keep) break;
    if (!kept.includes(name)) kept.push(name);
  }
  const removed: string[] = [];
  for (const name of await readdir(layout.versions)) {
    if (kept.includes(name)) continue;
    const path = join(layout.versions, name);
    const doomed = name.endsWith(DELETING_SUFFIX) ? path : `${path}${DELETING_SUFFIX}`;
    if (doomed !== path) await rename(path, doomed);
    await rm(doomed, { recursive: true, force: true });
    removed.push(name);
  }
  // A run killed between making the new link and renaming it over the site left the link behind.
  const linkPrefix = `.${basename(layout.site)}.link-`;
  for (const name of await readdir(dirname(layout.site))) {
    if (name.startsWith(linkPrefix)) await rm(join(dirname(layout.site), name), { force: true });
  }
  // The layout before versions built beside the site and kept the one before.
  for (const leftover of [`${layout.site}.next`, `${layout.site}.previous`]) {
    if (await lstatOrUndefined(leftover)) {
      await rm(leftover, { recursive: true, force: true });
      removed.push(basename(leftover));
    }
  }
  return { id, previous, removed };
}

/** Points the site back at the newest complete build older than the live one. */
export async function rollback(layout: SiteLayout): Promise<{ from: string; to: string }> {
  const live = await liveVersion(layout);
  if (!live) throw new Error(`${layout.site} is not a published site link: nothing to roll back`);
  const older = (await listVersions(layout)).filter((name) => name < live);
  const to = older.at(-1);
  if (!to) throw new Error(`no build older than ${live} under ${layout.versions}: nothing to roll back to`);
  await switchTo(layout, to);
  return { from: live, to };
}
