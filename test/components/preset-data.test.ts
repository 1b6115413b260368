/**
 * What the pages' smaller default files rely on: preset spans that tile every
 * preset range and the period before it, and Arrow tables read back as the rows
 * the metrics expect (nulls kept, no BigInt).
 */
import { Dictionary, Float64, Int32, Int64, Table, Utf8, vectorFromArray } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { DATE_PRESETS, PRESET_WINDOW_DAYS, addDays, presetRange, presetSegments, previousRange, rangeLength, rowsInRange } from "../../src/components/dates.js";
import { METRICS } from "../../src/components/metrics.js";
import { tableRows } from "../../src/components/rows.js";

const anchor = "2026-11-20";

describe("preset spans", () => {
  const spans = presetSegments(anchor);

  it("cover the 180 days before the anchor, newest first, without gaps or overlaps", () => {
    expect(PRESET_WINDOW_DAYS).toBe(180);
    expect(spans[0]?.to).toBe(anchor);
    expect(spans[spans.length - 1]?.from).toBe(addDays(anchor, -179));
    for (let i = 1; i < spans.length; i++) expect(addDays(spans[i]?.to ?? "", 1)).toBe(spans[i - 1]?.from);
    expect(spans.reduce((days, span) => days + rangeLength(span), 0)).toBe(180);
  });

  it("tile every preset range and its previous period exactly", () => {
    for (const days of DATE_PRESETS) {
      for (const range of [presetRange(anchor, days), previousRange(presetRange(anchor, days))]) {
        const inside = spans.filter((span) => span.from >= range.from && span.to <= range.to);
        const straddling = spans.filter((span) => span.from <= range.to && span.to >= range.from && !inside.includes(span));
        expect(straddling, `${days}-day preset ${range.from} to ${range.to}`).toEqual([]);
        expect(inside.reduce((n, span) => n + rangeLength(span), 0)).toBe(rangeLength(range));
      }
    }
  });

  it("give a preset's median exactly from rows dated by their span's first day", () => {
    // One MCS value per day: day i (back from the anchor) scores i % 101.
    const perDay = Array.from({ length: 180 }, (_, i) => ({ date: addDays(anchor, -i), bin: i % 101, n: 1 }));
    const perSpan = spans.flatMap((span) => {
      const counts = new Map<number, number>();
      for (const row of rowsInRange(perDay, span)) counts.set(row.bin, (counts.get(row.bin) ?? 0) + row.n);
      return [...counts].map(([bin, n]) => ({ date: span.from, bin, n }));
    });
    for (const days of DATE_PRESETS) {
      for (const range of [presetRange(anchor, days), previousRange(presetRange(anchor, days))]) {
        expect(METRICS.chat_median_mcs.compute(rowsInRange(perSpan, range))).toEqual(METRICS.chat_median_mcs.compute(rowsInRange(perDay, range)));
      }
    }
  });
});

describe("tableRows", () => {
  it("reads an Arrow table column by column: dictionary text, integers, doubles, nulls kept, BigInt as Number", () => {
    const table = new Table({
      date: vectorFromArray(["2026-11-01", "2026-11-01", "2026-11-02"], new Dictionary(new Utf8(), new Int32())),
      skill: vectorFromArray(["Billing", null, "Sales"], new Dictionary(new Utf8(), new Int32())),
      n: vectorFromArray([3, 0, 7], new Int32()),
      sum: vectorFromArray([1.5, null, 2.25], new Float64()),
      big: vectorFromArray([1n, 2n, 3n], new Int64()),
    });
    expect(tableRows(table)).toEqual([
      { date: "2026-11-01", skill: "Billing", n: 3, sum: 1.5, big: 1 },
      { date: "2026-11-01", skill: null, n: 0, sum: null, big: 2 },
      { date: "2026-11-02", skill: "Sales", n: 7, sum: 2.25, big: 3 },
    ]);
  });
});
