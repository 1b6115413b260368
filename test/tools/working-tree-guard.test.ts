/**
 * The guard vitest runs around the unit suite (vitest.config.ts globalSetup) sees a
 * test's leftovers wherever they are: a new file, an ignored cache rewritten, a
 * tracked file edited, a file removed; and not what it is told to leave out.
 */
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, unlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import setup, { snapshotTree, treeChanges } from "./working-tree-guard.js";

let repo: string;

beforeAll(async () => {
  repo = await mkdtemp(join(tmpdir(), "si-guard-"));
  const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, stdio: "ignore" });
  git("init", "-q");
  await writeFile(join(repo, ".gitignore"), "src/.observablehq/\ndist/\n/test-results/\n");
  await writeFile(join(repo, "tracked.md"), "one\n");
  git("add", ".");
  git("-c", "user.email=t@example.invalid", "-c", "user.name=t", "commit", "-qm", "init");
  await mkdir(join(repo, "src", ".observablehq", "cache", "data"), { recursive: true });
  await writeFile(join(repo, "src", ".observablehq", "cache", "data", "a.json"), "{}");
  await writeFile(join(repo, "src", ".observablehq", "cache", "data", "b.json"), "{}");
});

afterAll(async () => {
  await rm(repo, { recursive: true, force: true });
});

describe("the working-tree guard", () => {
  it("names files added (ignored or not), rewritten, edited and removed, and leaves out test-results/", async () => {
    const before = snapshotTree(repo);
    expect(treeChanges(before, snapshotTree(repo))).toEqual([]);

    await writeFile(join(repo, "src", ".observablehq", "cache", "data", "a.json"), '{"lake": "tiny"}');
    await utimes(join(repo, "src", ".observablehq", "cache", "data", "a.json"), new Date(), new Date(Date.now() + 5000));
    await unlink(join(repo, "src", ".observablehq", "cache", "data", "b.json"));
    await mkdir(join(repo, "dist"), { recursive: true });
    await writeFile(join(repo, "dist", "index.html"), "<p>");
    await writeFile(join(repo, "stray.txt"), "x");
    await writeFile(join(repo, "tracked.md"), "two\n");
    await mkdir(join(repo, "test-results"), { recursive: true });
    await writeFile(join(repo, "test-results", "unit.json"), "{}");

    expect(treeChanges(before, snapshotTree(repo))).toEqual([
      "added: dist/index.html",
      "added: stray.txt",
      "changed: src/.observablehq/cache/data/a.json",
      "modified: tracked.md",
      "removed: src/.observablehq/cache/data/b.json",
    ]);
  });

  it("fails the run at teardown with the list", async () => {
    const cwd = process.cwd();
    process.chdir(repo);
    try {
      const teardown = setup();
      await writeFile(join(repo, "left-behind.txt"), "x");
      expect(() => teardown?.()).toThrow(/changed the working tree[\s\S]*added: left-behind\.txt/);
    } finally {
      process.chdir(cwd);
    }
  });
});
