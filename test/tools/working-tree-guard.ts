/**
 * Unit tests must leave the working tree as they found it: every test works in its
 * own temporary folders. This vitest globalSetup lists the working tree before the
 * run (every file git sees, ignored ones included, with size and modification
 * time) and again after it, and fails the run naming what appeared, changed or
 * went away. `node_modules/` and `test-results/` (the JSON reports) are left out.
 */
import { execFileSync } from "node:child_process";
import { lstatSync } from "node:fs";
import { join } from "node:path";

export const GUARD_EXCLUDED = ["node_modules", "test-results"];

/** path -> "git status code|size|mtime" for every file git lists, ignored files included. */
export type TreeSnapshot = Map<string, string>;

export function isGitWorkTree(root: string): boolean {
  try {
    return execFileSync("git", ["rev-parse", "--is-inside-work-tree"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim() === "true";
  } catch {
    return false;
  }
}

export function snapshotTree(root: string, excluded: readonly string[] = GUARD_EXCLUDED): TreeSnapshot {
  const output = execFileSync(
    "git",
    ["status", "--porcelain=v1", "-z", "--ignored=traditional", "--untracked-files=all", "--", ".", ...excluded.map((path) => `:(exclude)${path}`)],
    { cwd: root, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 },
  );
  const snapshot: TreeSnapshot = new Map();
  const entries = output.split("\0");
  for (let i = 0; i < entries.length; i += 1) {
    const entry = entries[i] as string;
    if (entry.length < 4) continue;
    const code = entry.slice(0, 2);
    const path = entry.slice(3);
    // A rename lists its source as the next entry.
    if (code.startsWith("R") || code.startsWith("C")) i += 1;
    const info = (() => {
      try {
        return lstatSync(join(root, path));
      } catch {
        return undefined;
      }
    })();
    snapshot.set(path, info ? `${code}|${info.size}|${info.mtimeMs}` : `${code}|gone`);
  }
  return snapshot;
}

/** What differs between two snapshots, one line per path. */
export function treeChanges(before: TreeSnapshot, after: TreeSnapshot): string[] {
  const changes: string[] = [];
  for (const [path, state] of after) {
    const earlier = before.get(path);
    if (earlier === undefined) changes.push(`${/^(\?\?|!!)/.test(state) ? "added" : "modified"}: ${path}`);
    else if (earlier !== state) changes.push(`changed: ${path}`);
  }
  for (const path of before.keys()) if (!after.has(path)) changes.push(`removed: ${path}`);
  return changes.sort();
}

export default function setup(): (() => void) | undefined {
  const root = process.cwd();
  if (!isGitWorkTree(root)) {
    console.warn("working-tree guard: not a git work tree, so the run cannot check that tests leave it alone");
    return undefined;
  }
  const before = snapshotTree(root);
  return () => {
    const changes = treeChanges(before, snapshotTree(root));
    if (changes.length === 0) return;
    const shown = changes.slice(0, 40);
    // vitest reports an error thrown here but still exits 0: fail the run explicitly.
    process.exitCode = 1;
    throw new Error(
      "The unit tests changed the working tree (every test must work in its own temporary folders;" +
        ` or something else, such as a build, wrote there during the run):\n  ${shown.join("\n  ")}` +
        (changes.length > shown.length ? `\n  … and ${changes.length - shown.length} more` : ""),
    );
  };
}
