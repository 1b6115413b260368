/**
 * WCAG 2.2 AA on the built site, checked by axe-core (the engine most
 * accessibility audits use) in Chromium: every page and a sample of agent pages,
 * in light and dark, after the charts have rendered. A serious or critical
 * violation of a WCAG rule fails the page, naming the rule and the elements;
 * moderate and minor ones, and axe's best-practice findings, are printed (and
 * written to test-results/accessibility.json) so they are seen and do not grow
 * unnoticed. axe does not judge SVG graphics, so the series colours of every
 * chart's legend are checked here too: 3:1 at least against the chart's background.
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

/** What series colours need against the chart's background (WCAG 1.4.11, non-text contrast). */
const MIN_SERIES_CONTRAST = 3;

/** WCAG's relative luminance and contrast ratio of two sRGB colours ("rgb(r, g, b)"). */
function contrast(a: string, b: string): number {
  const luminance = (color: string) => {
    const [r = 0, g = 0, bl = 0] = (color.match(/[\d.]+/g) ?? []).slice(0, 3).map((part) => {
      const c = Number(part) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
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
        // Series colours, read from the charts' legends (their swatches and symbols), against the chart's background.
        const swatches = await page.evaluate(() => {
          // Computed colours come as rgb(), color(srgb …) or oklch(): a canvas pixel turns each into sRGB bytes.
          const pixel = document.createElement("canvas").getContext("2d", { willReadFrequently: true });
          const toRgb = (color: string): { rgb: string; opaque: boolean } => {
            if (!pixel) throw new Error("no canvas");
            pixel.clearRect(0, 0, 1, 1);
            pixel.fillStyle = color;
            pixel.fillRect(0, 0, 1, 1);
            const [r, g, b, a] = pixel.getImageData(0, 0, 1, 1).data;
            return { rgb: `rgb(${r}, ${g}, ${b})`, opaque: a === 255 };
          };
          const background = (node: Element | null): string => {
            for (let at = node; at; at = at.parentElement) {
              const color = toRgb(getComputedStyle(at).backgroundColor);
              if (color.opaque) return color.rgb;
            }
            return "rgb(255, 255, 255)";
          };
          const found: Array<{ chart: string; color: string; background: string }> = [];
          for (const plot of document.querySelectorAll(".si-chart-plot")) {
            const chart = plot.getAttribute("aria-label") ?? "";
            for (const swatch of plot.querySelectorAll('[class*="-swatch"] > svg')) {
              const style = getComputedStyle(swatch);
              for (const color of [style.fill, style.stroke]) {
                if (color !== "none" && !color.startsWith("url(")) found.push({ chart, color: toRgb(color).rgb, background: background(plot) });
              }
            }
          }
          return found;
        });
        const faintSeries = [...new Set(swatches.filter((swatch) => contrast(swatch.color, swatch.background) < MIN_SERIES_CONTRAST).map(
          (swatch) => `${swatch.chart}: ${swatch.color} on ${swatch.background} (${contrast(swatch.color, swatch.background).toFixed(2)}:1)`,
        ))];
        expect(swatches.length, "legend colours were found").toBeGreaterThan(0);
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
        expect(faintSeries, `${key}: series colours below ${MIN_SERIES_CONTRAST}:1 against the chart`).toEqual([]);
      });
    }
  }
});
