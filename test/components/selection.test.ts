/** What a page's range and filters select (selection.ts): the rows, the comparison and the charts' scope. */
import { describe, expect, it } from "vitest";
import { presetRange } from "../../src/components/dates.js";
import { selectionOf } from "../../src/components/selection.js";

const rows = [
  { date: "2026-10-23", skill: "Sales", agent: "a1", chats: 1 },
  { date: "2026-10-24", skill: "Sales", agent: "a1", chats: 2 },
  { date: "2026-11-20", skill: "Sales", agent: "a2", chats: 3 },
  { date: "2026-11-20", skill: "Support", agent: "a1", chats: 4 },
  { date: "2026-09-26", skill: "Sales", agent: "a1", chats: 5 },
];

describe("selectionOf", () => {
  it("picks the rows of the range, or of another period, that match every filter", () => {
    const range = presetRange("2026-11-20", 28);
    const { pick, previous } = selectionOf(range, { skill: "Sales", agent: null }, { firstDay: "2026-01-01", described: [] });
    expect(pick(rows).map((d) => d.chats)).toEqual([2, 3]);
    expect(previous).toEqual({ from: "2026-09-26", to: "2026-10-23", preset: 28 });
    expect(pick(rows, previous).map((d) => d.chats)).toEqual([1, 5]);
    const both = selectionOf(range, { skill: "Sales", agent: "a2" }, { firstDay: "2026-01-01", described: [] });
    expect(both.pick(rows).map((d) => d.chats)).toEqual([3]);
  });

  it("names the range and the active filters, skipping the ones not set", () => {
    const range = presetRange("2026-11-20", 28);
    const skill: string | null = "Sales";
    const agent: string | null = null;
    const { charts } = selectionOf(range, { skill, agent }, { firstDay: "2026-01-01", described: [skill && `skill ${skill}`, agent && `agent ${agent}`, ""] });
    expect(charts).toEqual({ range, bucket: "week", scope: "2026-10-24 to 2026-11-20, skill Sales" });
    const none = selectionOf(presetRange("2026-11-20", 7), {}, { firstDay: "2026-01-01", described: [null, undefined, false] });
    expect(none.charts.scope).toBe("2026-11-14 to 2026-11-20");
    expect(none.charts.bucket).toBe("day");
  });

  it("compares with the previous period only when the data covers all of it", () => {
    const range = presetRange("2026-11-20", 28);
    expect(selectionOf(range, {}, { firstDay: "2026-09-26", described: [] }).vs).toBe("previous 28 days");
    expect(selectionOf(range, {}, { firstDay: "2026-09-27", described: [] }).vs).toBeNull();
    const custom = { from: "2026-11-01", to: "2026-11-10", preset: null };
    expect(selectionOf(custom, {}, { firstDay: "2026-01-01", described: [] }).vs).toBe("2026-10-22 to 2026-10-31");
  });
});
