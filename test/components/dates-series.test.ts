/** Date ranges in the URL, periods for charts, display buckets and the CSV export. */
import { describe, expect, it } from "vitest";
import { toCsv } from "../../src/components/csv.js";
import {
  bucketFor,
  lastCompleteDay,
  periodsOf,
  presetRange,
  previousRange,
  rangeFromQuery,
  rangeLength,
  rangeToQuery,
} from "../../src/components/dates.js";
import { logBin } from "../../src/components/binning.js";
import { filterRows, sumBy } from "../../src/components/rows.js";
import { breakdown, displayBuckets, durationLabel, periodSeries } from "../../src/components/series.js";

const bounds = { min: "2026-05-25", max: "2026-11-21" };

describe("date ranges", () => {
  it("end presets on the last complete UTC day before the build", () => {
    expect(lastCompleteDay("2026-11-21T06:10:31Z")).toBe("2026-11-20");
    expect(lastCompleteDay("2026-11-21T00:00:00Z")).toBe("2026-11-20");
  });

  it("compare with the period of the same length just before", () => {
    const range = presetRange("2026-11-20", 28);
    expect(range).toEqual({ from: "2026-10-24", to: "2026-11-20", preset: 28 });
    expect(previousRange(range)).toEqual({ from: "2026-09-26", to: "2026-10-23", preset: 28 });
    expect(rangeLength(previousRange({ from: "2026-03-01", to: "2026-03-31", preset: null }))).toBe(31);
  });

  it("round-trip through the query string, presets and custom ranges", () => {
    const anchor = "2026-11-20";
    expect(rangeFromQuery(new URLSearchParams(""), anchor, bounds)).toEqual(presetRange(anchor, 28));
    expect(rangeFromQuery(new URLSearchParams("days=7"), anchor, bounds)).toEqual(presetRange(anchor, 7));
    const custom = { from: "2026-09-01", to: "2026-09-30", preset: null };
    const query = rangeToQuery(custom, new URLSearchParams("skill=Billing&days=90"));
    expect(query.toString()).toBe("skill=Billing&from=2026-09-01&to=2026-09-30");
    expect(rangeFromQuery(query, anchor, bounds)).toEqual(custom);
    expect(rangeToQuery(presetRange(anchor, 28), query).toString()).toBe("skill=Billing");
  });

  it("fall back or clamp on a bad or out-of-bounds query", () => {
    const anchor = "2026-11-20";
    expect(rangeFromQuery(new URLSearchParams("days=13"), anchor, bounds)).toEqual(presetRange(anchor, 28));
    expect(rangeFromQuery(new URLSearchParams("from=2026-02-30&to=2026-03-01"), anchor, bounds)).toEqual(presetRange(anchor, 28));
    expect(rangeFromQuery(new URLSearchParams("from=2026-12-31&to=2026-01-01"), anchor, bounds)).toEqual({ from: "2026-05-25", to: "2026-11-21", preset: null });
    expect(rangeFromQuery(new URLSearchParams("from=2027-01-01&to=2027-02-01"), anchor, bounds)).toEqual(presetRange(anchor, 28));
  });
});

describe("chart periods", () => {
  it("are days for two weeks or less, weeks counted back from the range end otherwise", () => {
    expect(bucketFor(presetRange("2026-11-20", 7))).toBe("day");
    const weeks = periodsOf(presetRange("2026-11-20", 28), "week");
    expect(weeks.map((w) => [w.period, w.end, w.days])).toEqual([
      ["2026-10-24", "2026-10-30", 7],
      ["2026-10-31", "2026-11-06", 7],
      ["2026-11-07", "2026-11-13", 7],
      ["2026-11-14", "2026-11-20", 7],
    ]);
    const ninety = periodsOf(presetRange("2026-11-20", 90), "week");
    expect(ninety).toHaveLength(13);
    expect(ninety[0]?.days).toBe(6);
    expect(ninety.reduce((sum, w) => sum + w.days, 0)).toBe(90);
  });

  it("fill periods without data with zeros, per group", () => {
    const range = { from: "2026-01-01", to: "2026-01-03" };
    const rows = [
      { date: "2026-01-01", channel: "a", n: 2 },
      { date: "2026-01-03", channel: "b", n: 5 },
      { date: "2026-01-03", channel: "b", n: 1 },
    ];
    const series = periodSeries(rows, range, "day", ["n"], "channel");
    expect(series).toHaveLength(6);
    expect(series.find((d) => d.period === "2026-01-02" && d.channel === "a")?.n).toBe(0);
    expect(series.find((d) => d.period === "2026-01-03" && d.channel === "b")?.n).toBe(6);
  });
});

describe("row helpers", () => {
  it("filter by active filters only and sum by keys", () => {
    const rows = [
      { skill: "Billing", agent: "a", chats: 1 },
      { skill: "Sales", agent: "a", chats: 2 },
      { skill: "Billing", agent: "b", chats: 4 },
    ];
    expect(filterRows(rows, { skill: "Billing", agent: null })).toHaveLength(2);
    expect(filterRows(rows, { skill: "", agent: "a" })).toHaveLength(2);
    expect(sumBy(rows, ["skill"], ["chats"])).toEqual([
      { skill: "Billing", chats: 5 },
      { skill: "Sales", chats: 2 },
    ]);
  });

  it("break down with shares, the largest first and the rest as Other", () => {
    const rows = [
      { key: "x", n: 1 },
      { key: "y", n: 5 },
      { key: "z", n: 4 },
      { key: null, n: 10 },
    ];
    expect(breakdown(rows, "key", "n", 2)).toEqual([
      { key: "(unknown)", n: 10, share: 0.5 },
      { key: "y", n: 5, share: 0.25 },
      { key: "Other", n: 5, share: 0.25 },
    ]);
  });

  it("regroup a fine histogram into labelled display buckets", () => {
    const values = [10, 45, 70, 70, 400, 9000];
    const rows = values.map((v) => ({ bin: logBin(v), n: 1 }));
    const buckets = displayBuckets(rows, "log");
    expect(buckets.reduce((sum, b) => sum + b.n, 0)).toBe(6);
    expect(buckets.find((b) => b.label === "<30s")?.n).toBe(1);
    expect(buckets.find((b) => b.label === "1–2m")?.n).toBe(2);
    expect(buckets.find((b) => b.label === "2h+")?.n).toBe(1);
    expect(durationLabel(30, 60)).toBe("30s–1m");
  });
});

describe("CSV export", () => {
  it("quotes, doubles quotes, and defuses formulas in text", () => {
    const csv = toCsv(
      [
        { name: 'He said "hi", then left', value: -3, formula: "=HYPERLINK(\"http://x\")", list: ["a", "b"] },
        { name: null, value: 1.5, formula: "@SUM(A1)", list: [] },
      ],
      [
        { key: "name", label: "Name" },
        { key: "value", label: "Value" },
        { key: "formula", label: "Formula" },
        { key: "list", label: "List" },
      ],
    );
    expect(csv.split("\r\n")).toEqual([
      "Name,Value,Formula,List",
      '"He said ""hi"", then left",-3,"\'=HYPERLINK(""http://x"")",a; b',
      ",1.5,'@SUM(A1),",
      "",
    ]);
  });
});
