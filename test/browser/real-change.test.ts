/**
 * The demo carries one real change on purpose (SI_DEMO_SHIFT, default: LivePerson
 * waits double from 14 days before the build). On /chats' default view (the last 28
 * days) half of the current period is shifted and none of the previous one, so the
 * median wait must get its arrow ("up"); the 7-day view would not do, as both of its
 * weeks are shifted. Meanwhile the figures the shift does not touch move only by
 * noise and mostly read "within normal variation", with no arrow.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../data-loaders/config.js";
import { openSite, waitForCharts, type Site } from "./harness.js";

let site: Site;
beforeAll(async () => {
  site = await openSite();
}, 120_000);
afterAll(async () => {
  await site?.close();
});

describe("a real change and noise on /chats", () => {
  it("gives the shifted median wait an arrow, and the figures it does not touch mostly none", async () => {
    const shift = loadConfig({ ...process.env }).demoSimulator.shift;
    expect(shift, "this check needs the demo's default wait shift").toMatchObject({ metric: "liveperson-wait" });
    const { page, context } = await site.openPage("/chats");
    try {
      await waitForCharts(page);
      const card = async (metric: string) =>
        page.$eval(`[data-metric="${metric}"]`, (el) => {
          const line = el.querySelector(".si-kpi-change");
          return {
            verdict: el.getAttribute("data-verdict"),
            value: Number(el.getAttribute("data-value")),
            previous: Number(el.getAttribute("data-previous")),
            arrow: line ? getComputedStyle(line, "::before").content : "",
            text: line?.textContent ?? "",
          };
        });
      const wait = await card("chat_median_wait_seconds");
      expect(wait.verdict).toBe("up");
      expect(wait.value / wait.previous).toBeGreaterThan(1.2);
      expect(wait.arrow).toContain("▲");
      // The figures the shift does not touch move by noise only. A 95% test flags one by
      // chance now and then (so no single card is pinned), but most must read "within
      // normal variation", without an arrow.
      const untouched = await page.$$eval("[data-metric]", (elements) =>
        elements
          .filter((el) => !/wait/.test(el.getAttribute("data-metric") ?? ""))
          .map((el) => {
            const line = el.querySelector(".si-kpi-change");
            return { verdict: el.getAttribute("data-verdict"), arrow: line ? getComputedStyle(line, "::before").content : "", text: line?.textContent ?? "" };
          }),
      );
      const noise = untouched.filter((c) => c.verdict === "within-noise");
      expect(untouched.length).toBeGreaterThanOrEqual(4);
      expect(noise.length).toBeGreaterThan(untouched.length / 2);
      for (const c of noise) {
        expect(c.arrow).not.toContain("▲");
        expect(c.arrow).not.toContain("▼");
        expect(c.text).toContain("within normal variation");
      }
    } finally {
      await context.close();
    }
  });
});
