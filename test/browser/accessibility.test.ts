/**
 * WCAG 2.2 AA on the built site, checked by axe-core (the engine most
 * accessibility audits use) in Chromium: every page and a sample of agent pages,
 * in light and dark, after the charts have rendered. A serious or critical
 * violation of a WCAG rule fails the page, naming the rule and the elements;
 * moderate and minor ones, and axe's best-practice findings, are printed (and
 * written to test-results/accessibility.json) so they are seen and do not grow
 * unnoticed.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import axe from "axe-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listPages, openSite, waitForCharts, type Site } from "./harness.js";

const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
/** axe's best practices (unique landmarks, heading order …) are run too, and printed, never failing. */
const ADVISORY_TAGS = ["best-practice"];
/** Agent pages share one layout: a few of them stand for the rest. */
const AGENT_SAMPLE = 3;
const FAILING_IMPACTS = new Set(["serious", "critical"]);

interface Violation {
  id: string;
  impact: string | null;
  tags: string[];
  help: string;
  targets: string[];
  /** axe's reason per element (for contrast: the colours and the ratio found). */
  reasons: string[];
}

let site: Site;
const allPages = await listPages();
const pages = [...allPages.filter((path) => !path.startsWith("/agents/")), ...allPages.filter((path) => path.startsWith("/agents/")).slice(0, AGENT_SAMPLE)];
const report: Record<string, { failing: number; other: Array<{ id: string; impact: string | null; wcag: boolean; elements: number }> }> = {};

beforeAll(async () => {
  site = await openSite();
});

afterAll(async () => {
  await site?.close();
  await mkdir(join(process.cwd(), "test-results"), { recursive: true });
  await writeFile(join(process.cwd(), "test-results", "accessibility.json"), `${JSON.stringify(report, null, 2)}\n`);
});

describe("axe-core, WCAG 2.2 AA", () => {
  it("checks every page and some agent pages", () => {
    expect(pages).toContain("/");
    expect(pages.filter((path) => path.startsWith("/agents/")).length).toBe(AGENT_SAMPLE);
  });

  for (const path of pages) {
    for (const colorScheme of ["light", "dark"] as const) {
      it(`${path} (${colorScheme}): no serious or critical violation`, async () => {
        const { page } = await site.openPage(path, { colorScheme });
        await page.emulateMedia({ colorScheme });
        await waitForCharts(page);
        await page.waitForLoadState("networkidle");
        expect(await page.evaluate(() => matchMedia("(prefers-color-scheme: dark)").matches)).toBe(colorScheme === "dark");
        // Evaluated through the DevTools protocol, which the page's script-src does not govern.
        await page.evaluate(axe.source);
        const violations = await page.evaluate(async (tags: string[]) => {
          const results = await (window as unknown as { axe: typeof axe }).axe.run(document, {
            runOnly: { type: "tag", values: tags },
            resultTypes: ["violations"],
          });
          return results.violations.map((violation) => ({
            id: violation.id,
            impact: violation.impact ?? null,
            tags: violation.tags,
            help: violation.help,
            targets: violation.nodes.map((node) => node.target.join(" ")),
            reasons: violation.nodes.map((node) => node.failureSummary ?? ""),
          }));
        }, [...WCAG_TAGS, ...ADVISORY_TAGS]);
        const isWcag = (violation: Violation) => violation.tags.some((tag) => WCAG_TAGS.includes(tag));
        const failing: Violation[] = violations.filter((violation) => isWcag(violation) && FAILING_IMPACTS.has(violation.impact ?? ""));
        const other = violations.filter((violation) => !failing.includes(violation));
        const key = `${path} (${colorScheme})`;
        report[key] = {
          failing: failing.reduce((sum, violation) => sum + violation.targets.length, 0),
          other: other.map((violation) => ({ id: violation.id, impact: violation.impact, wcag: isWcag(violation), elements: violation.targets.length })),
        };
        if (other.length > 0) {
          const line = (violation: Violation) => `${violation.id} (${violation.impact}${isWcag(violation) ? "" : ", best practice"}, ${violation.targets.length}: ${violation.targets.slice(0, 3).join("; ")})`;
          console.log(`${key}: not failing: ${other.map(line).join(", ")}`);
        }
        const described = failing.map(
          (violation) =>
            `${violation.id} (${violation.impact}): ${violation.help}; ${violation.targets.length} elements: ` +
            violation.targets
              .slice(0, 8)
              .map((target, index) => `${target}${violation.id === "color-contrast" ? ` [${(violation.reasons[index] ?? "").replace(/\s+/g, " ").slice(0, 160)}]` : ""}`)
              .join("; ") +
            (violation.targets.length > 8 ? "; …" : ""),
        );
        expect(described, `${key}: ${report[key].failing} elements in serious or critical violations`).toEqual([]);
      });
    }
  }
});
