/**
 * The simulator puts markup into ~2% of text fields (`<script>`, `<img onerror>`,
 * `<svg onload>`, all setting window.__pwned). Published survey options carry
 * some of it: the chat page must show them as literal text, and no injected
 * script may run on any page (pages.test.ts checks window.__pwned everywhere).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openMarts } from "../../data-loaders/site.js";
import { openSite, waitForCharts, type Site } from "./harness.js";

let site: Site;

interface HostileAnswer {
  answer: string;
  first: string;
  last: string;
}

/** Published survey answers that carry the simulator's markup, with the days they occur on. */
async function hostileAnswers(): Promise<HostileAnswer[]> {
  const db = await openMarts();
  try {
    const rows = await db.queryRows(`
      SELECT answer, strftime(min(engagement_date), '%Y-%m-%d') AS first, strftime(max(engagement_date), '%Y-%m-%d') AS last
      FROM survey_answers WHERE answer LIKE '%__pwned%' GROUP BY answer ORDER BY answer`);
    return rows.map((row) => ({ answer: String(row.answer), first: String(row.first), last: String(row.last) }));
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  site = await openSite();
});

afterAll(async () => {
  await site?.close();
});

describe("hostile strings from the simulator", () => {
  it("are shown as literal text in the survey answers table and never run", async () => {
    const answers = await hostileAnswers();
    expect(answers.length, "the demo lake publishes survey options with markup").toBeGreaterThan(0);
    const from = answers.map((a) => a.first).sort()[0] as string;
    const to = answers.map((a) => a.last).sort().at(-1) as string;
    const { page, context, problems } = await site.openPage(`/chats?from=${from}&to=${to}`);
    try {
      await waitForCharts(page);
      const table = page.locator('[data-testid="table-survey-answers"]');
      await table.locator("table").waitFor();
      const showAll = table.getByRole("button", { name: /Show all/ });
      if (await showAll.count()) await showAll.click();
      const text = await table.locator("table").innerText();
      for (const { answer } of answers) {
        // The table shortens long answers; the markup part is always within the first 80 characters here.
        expect(text, `"${answer.slice(0, 60)}" shown as text`).toContain(answer.length <= 80 ? answer : answer.slice(0, 60));
      }
      expect(text).toContain("<script>window.__pwned=1</script>");
      // Nothing in the table became an element, and nothing ran.
      expect(await table.locator("script, img, svg").count()).toBe(0);
      expect(await page.evaluate("typeof window.__pwned")).toBe("undefined");
      // The CSV export carries the text too, unchanged.
      const [download] = await Promise.all([page.waitForEvent("download"), table.getByRole("button", { name: "Download CSV" }).click()]);
      const csv = await new Promise<string>((resolve, reject) => {
        void download.createReadStream().then((stream) => {
          const chunks: Buffer[] = [];
          stream.on("data", (chunk: Buffer) => chunks.push(chunk));
          stream.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
          stream.on("error", reject);
        }, reject);
      });
      expect(csv).toContain("<script>window.__pwned=1</script>");
      expect(problems.consoleErrors).toEqual([]);
      expect(problems.pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
