/**
 * The overview with the keyboard alone (`page.keyboard`, no clicks): Tab to a
 * date preset and press it, type custom dates, open a KPI's definition, open a
 * chart's table view and download its CSV; then a select filter on a page that
 * has them (the overview has none). Every control reached shows a focus ring.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "../../src/components/dates.js";
import { openSite, readKpis, waitForCharts, waitForKpiChange, type Site } from "./harness.js";

/** Enough presses to cross the sidebar and the page up to its last control, not so many that a missing one loops for long. */
const MAX_TABS = 120;

let site: Site;

beforeAll(async () => {
  site = await openSite();
});

afterAll(async () => {
  await site?.close();
});

/** Presses Tab until the focused element matches `selector`; fails if it never does. */
async function tabTo(page: Page, selector: string, key = "Tab"): Promise<void> {
  for (let presses = 0; presses < MAX_TABS; presses += 1) {
    if (await page.evaluate((wanted) => document.activeElement?.matches(wanted) ?? false, selector)) return;
    await page.keyboard.press(key);
  }
  throw new Error(`${selector} was not reached with ${MAX_TABS} presses of ${key}`);
}

/** The focused element's ring: its outline (style and width) or box shadow, as computed. */
async function focusRing(page: Page): Promise<{ outline: string; boxShadow: string; visible: boolean }> {
  return page.evaluate(() => {
    const focused = document.activeElement;
    if (!focused) return { outline: "", boxShadow: "", visible: false };
    const style = getComputedStyle(focused);
    const outline = `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`;
    const visible = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== "none";
    return { outline, boxShadow: style.boxShadow, visible };
  });
}

async function expectFocusRing(page: Page, what: string): Promise<void> {
  const ring = await focusRing(page);
  expect(ring.visible, `${what}: focus ring (outline ${ring.outline}, box-shadow ${ring.boxShadow})`).toBe(true);
}

/** Types an ISO day into the focused date input, in the month/day/year order Chromium's en-US date field takes. */
async function typeDay(page: Page, day: string): Promise<void> {
  const [year, month, date] = day.split("-");
  await page.keyboard.type(`${month}${date}${year}`);
}

describe("keyboard only", () => {
  it("the overview: a preset, custom dates, a KPI definition, a table view and its CSV", async () => {
    const { page, context, problems } = await site.openPage("/");
    try {
      await waitForCharts(page);
      const range = page.locator('[data-testid="date-range"]');

      // A preset: Tab to it, press it.
      let shown = await readKpis(page);
      await tabTo(page, '[data-testid="date-range"] [data-preset="7"]');
      await expectFocusRing(page, "the 7-day preset");
      await page.keyboard.press("Enter");
      await waitForKpiChange(page, shown);
      expect(await range.locator('[data-preset="7"]').getAttribute("aria-pressed")).toBe("true");
      expect(new URL(page.url()).searchParams.get("days")).toBe("7");

      // Custom dates, typed: the 14 days ending a week before the range's last day.
      const to = await range.locator('input[data-range="to"]').inputValue();
      const customTo = addDays(to, -7);
      const customFrom = addDays(customTo, -13);
      shown = await readKpis(page);
      await tabTo(page, 'input[data-range="from"]');
      await expectFocusRing(page, "the From date");
      await typeDay(page, customFrom);
      await tabTo(page, 'input[data-range="to"]');
      await expectFocusRing(page, "the To date");
      await typeDay(page, customTo);
      await page.keyboard.press("Tab");
      await waitForKpiChange(page, shown);
      await page.waitForFunction(
        ([from, to]) => new URL(location.href).searchParams.get("from") === from && new URL(location.href).searchParams.get("to") === to,
        [customFrom, customTo],
        { timeout: 10_000 },
      );
      expect(await range.locator('input[data-range="from"]').inputValue()).toBe(customFrom);
      expect(await range.locator('input[data-range="to"]').inputValue()).toBe(customTo);
      for (const preset of ["7", "28", "90"]) expect(await range.locator(`[data-preset="${preset}"]`).getAttribute("aria-pressed")).toBe("false");
      await waitForCharts(page);

      // A KPI's definition: a button that opens it and Escape that closes it.
      await tabTo(page, ".si-kpi .si-info");
      await expectFocusRing(page, "a KPI's definition button");
      const info = page.locator(".si-kpi .si-info").first();
      const tip = page.locator(".si-kpi .si-kpi-tip").first();
      expect(await tip.isVisible()).toBe(false);
      await page.keyboard.press("Enter");
      expect(await info.getAttribute("aria-expanded")).toBe("true");
      expect(await tip.isVisible()).toBe(true);
      expect((await tip.textContent())?.length ?? 0).toBeGreaterThan(10);
      await page.keyboard.press("Escape");
      expect(await info.getAttribute("aria-expanded")).toBe("false");
      expect(await tip.isVisible()).toBe(false);

      // The first chart's table view, opened from its summary, and its CSV.
      const chart = page.locator('[data-testid="chart-weekly-interactions"]');
      await tabTo(page, '[data-testid="chart-weekly-interactions"] details > summary');
      await expectFocusRing(page, "a chart's Table view");
      await page.keyboard.press("Enter");
      await chart.locator("table tbody tr").first().waitFor();
      expect(await chart.locator("details").getAttribute("open")).not.toBeNull();
      await tabTo(page, '[data-testid="chart-weekly-interactions"] button.si-button');
      await expectFocusRing(page, "the Download CSV button");
      const [download] = await Promise.all([page.waitForEvent("download"), page.keyboard.press("Enter")]);
      const chunks: Buffer[] = [];
      for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
      const lines = Buffer.concat(chunks).toString("utf8").trim().split("\r\n");
      // 14 days: one row per day and channel.
      expect(lines[0]).toBe("Day,Channel,Interactions");
      expect(lines.length).toBeGreaterThan(14);
      expect(lines.slice(1).every((line) => line.split(",")[0]! >= customFrom && line.split(",")[0]! <= customTo)).toBe(true);

      expect(problems.consoleErrors).toEqual([]);
      expect(problems.pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("a select filter (chat engagements): Tab to it and change it with the arrow keys", async () => {
    const { page, context, problems } = await site.openPage("/chats");
    try {
      await waitForCharts(page);
      const shown = await readKpis(page);
      await tabTo(page, 'select[data-filter="skill"]');
      await expectFocusRing(page, "the skill filter");
      await page.keyboard.press("ArrowDown");
      const skill = await page.locator('select[data-filter="skill"]').inputValue();
      expect(skill).not.toBe("");
      await waitForKpiChange(page, shown);
      expect(new URL(page.url()).searchParams.get("skill")).toBe(skill);
      expect(problems.consoleErrors).toEqual([]);
      expect(problems.pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
