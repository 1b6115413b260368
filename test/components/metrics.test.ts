/**
 * The metric definitions on small fixture rows: every metric in the catalogue on
 * empty input, the arithmetic of each kind (sums, ratios of sums, histogram
 * medians), the low-confidence mark, and formatting and comparisons.
 */
import { describe, expect, it } from "vitest";
import { LOG_BIN_BASE, binEdges, histogramQuantile, logBin, mergeHistogram } from "../../src/components/binning.js";
import { compareToPrevious, formatDuration, formatValue } from "../../src/components/format.js";
import { MIN_CASES } from "../../src/components/metric-kinds.js";
import { METRICS } from "../../src/components/metrics.js";
import type { Row } from "../../src/components/rows.js";

/** The exact median the way DuckDB's median()/quantile_cont computes it. */
function exactMedian(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) / 2;
  const lower = sorted[Math.floor(position)] as number;
  const upper = sorted[Math.ceil(position)] as number;
  return lower + (position - Math.floor(position)) * (upper - lower);
}

function logHistogram(values: number[]): Row[] {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(logBin(value), (counts.get(logBin(value)) ?? 0) + 1);
  return [...counts].map(([bin, n]) => ({ date: "2026-01-01", bin, n }));
}

describe("every metric", () => {
  it("has a unique id matching its key, a label, a definition, and handles empty input", () => {
    const ids = new Set<string>();
    for (const [key, metric] of Object.entries(METRICS)) {
      expect(metric.id).toBe(key);
      expect(ids.has(metric.id)).toBe(false);
      ids.add(metric.id);
      expect(metric.label.length).toBeGreaterThan(2);
      expect(metric.definition.length).toBeGreaterThan(20);
      const empty = metric.compute([]);
      if (metric.kind === "count") expect(empty).toEqual({ value: 0, n: 0, lowConfidence: false });
      else expect(empty).toEqual({ value: null, n: 0, lowConfidence: true });
    }
    expect(ids.size).toBeGreaterThan(30);
  });
});

describe("counts", () => {
  it("sum a column over days, skipping missing values, never low-confidence", () => {
    const rows = [{ sessions: 3 }, { sessions: 4 }, { sessions: null }, {}];
    expect(METRICS.cobrowse_sessions.compute(rows)).toEqual({ value: 7, n: 7, lowConfidence: false });
  });

  it("count distinct agents with activity", () => {
    const rows = [
      { agent: "a", interactions: 2 },
      { agent: "a", interactions: 1 },
      { agent: "b", interactions: 0 },
      { agent: "c", interactions: 5 },
    ];
    expect(METRICS.active_agents.compute(rows).value).toBe(2);
  });
});

describe("averages and shares are ratios of sums, not averages of daily ratios", () => {
  it("weights days by their cases", () => {
    // Day 1: 1 session of 100 s; day 2: 3 sessions totalling 900 s. Mean of daily means would be 200.
    const rows = [
      { length_sum: 100, length_count: 1 },
      { length_sum: 900, length_count: 3 },
    ];
    expect(METRICS.cobrowse_avg_length_seconds.compute(rows).value).toBe(250);
  });

  it("computes shares as part / whole with n = whole", () => {
    const rows = [
      { sessions: 10, went_live: 9 },
      { sessions: 30, went_live: 21 },
    ];
    expect(METRICS.cobrowse_live_share.compute(rows)).toEqual({ value: 0.75, n: 40, lowConfidence: false });
  });

  it("takes call time over session time", () => {
    expect(METRICS.cobrowse_call_time_share.compute([{ call_sum: 30, length_sum: 120 }]).value).toBe(0.25);
  });

  it("marks an estimate from fewer than 30 cases as low-confidence", () => {
    const few = METRICS.chat_avg_mcs.compute([{ mcs_sum: 29 * 50, mcs_count: MIN_CASES - 1 }]);
    expect(few).toEqual({ value: 50, n: 29, lowConfidence: true });
    const enough = METRICS.chat_avg_mcs.compute([{ mcs_sum: 30 * 50, mcs_count: MIN_CASES }]);
    expect(enough.lowConfidence).toBe(false);
  });

  it("has no value when the denominator is zero", () => {
    expect(METRICS.cobrowse_live_share.compute([{ sessions: 0, went_live: 0 }]).value).toBeNull();
    expect(METRICS.chat_avg_first_response_seconds.compute([{ first_response_sum: 0, first_response_count: 0 }]).value).toBeNull();
  });

  it("computes the vendor's weighted average and counts disagreeing windows", () => {
    const windows = [
      { vendor_duration_sum: 100 * 10, vendor_chat_sessions: 10, disagrees: 0 },
      { vendor_duration_sum: 200 * 30, vendor_chat_sessions: 30, disagrees: 1 },
    ];
    expect(METRICS.agendize_vendor_avg_duration_seconds.compute(windows).value).toBe(175);
    expect(METRICS.agendize_disagreeing_windows.compute(windows).value).toBe(1);
  });
});

describe("histogram medians", () => {
  it("are exact on exact bins, like DuckDB's median (odd and even counts)", () => {
    const odd = [10, 57, 57, 80, 99];
    const even = [10, 20, 57, 80];
    const rows = (values: number[]) => values.map((bin) => ({ bin, n: 1 }));
    expect(METRICS.chat_median_mcs.compute(rows(odd)).value).toBe(exactMedian(odd));
    expect(METRICS.chat_median_mcs.compute(rows(even)).value).toBe(38.5);
  });

  it("merge the same bin across days and dimensions", () => {
    const rows = [
      { date: "2026-01-01", agent: "a", bin: 50, n: 2 },
      { date: "2026-01-02", agent: "b", bin: 50, n: 3 },
      { date: "2026-01-02", agent: "b", bin: 70, n: 1 },
    ];
    expect(mergeHistogram(rows)).toEqual([
      { bin: 50, n: 5 },
      { bin: 70, n: 1 },
    ]);
    expect(METRICS.chat_median_mcs.compute(rows)).toEqual({ value: 50, n: 6, lowConfidence: true });
  });

  it("are within one 5% bin of the exact median on log bins", () => {
    // Deterministic spread of durations from 3 s to about 2 h.
    const values = Array.from({ length: 401 }, (_, i) => Math.round(3 + ((i * 7919) % 401) ** 1.6 / 2));
    const exact = exactMedian(values);
    const result = METRICS.cobrowse_median_length_seconds.compute(logHistogram(values));
    expect(result.n).toBe(401);
    expect(result.lowConfidence).toBe(false);
    expect(Math.abs((result.value as number) - exact)).toBeLessThanOrEqual(exact * (LOG_BIN_BASE - 1));
  });

  it("put every value inside its bin's edges", () => {
    for (const value of [0, 0.4, 1, 29, 30, 59.9, 60, 389, 3600, 86_399]) {
      const [lo, hi] = binEdges("log", logBin(value));
      expect(value).toBeGreaterThanOrEqual(lo - 1e-9);
      expect(value).toBeLessThan(hi + 1e-9);
    }
  });

  it("give quantiles at both ends and null for an empty histogram", () => {
    const histogram = [
      { bin: 1, n: 1 },
      { bin: 5, n: 1 },
    ];
    expect(histogramQuantile(histogram, "exact", 0)).toBe(1);
    expect(histogramQuantile(histogram, "exact", 1)).toBe(5);
    expect(histogramQuantile([], "exact", 0.5)).toBeNull();
  });

  it("compute satisfaction as the share of 4 and 5 ratings", () => {
    const ratings = [
      { bin: 1, n: 5 },
      { bin: 3, n: 10 },
      { bin: 4, n: 10 },
      { bin: 5, n: 15 },
    ];
    expect(METRICS.chat_csat.compute(ratings)).toEqual({ value: 25 / 40, n: 40, lowConfidence: false });
  });
});

describe("formatting and change", () => {
  it("formats each unit", () => {
    expect(formatValue("count", 12345)).toBe("12,345");
    expect(formatValue("share", 0.3409)).toBe("34.1%");
    expect(formatValue("rating", 3.8243)).toBe("3.8 / 5");
    expect(formatValue("score", 57)).toBe("57.0");
    expect(formatValue("seconds", 516.4)).toBe("8 min 36 s");
    expect(formatValue("seconds", null)).toBe("—");
    expect(formatDuration(59.6)).toBe("1 min");
    expect(formatDuration(7260)).toBe("2 h 1 min");
  });

  it("compares shares in points and other units relatively", () => {
    expect(compareToPrevious("share", 0.5, 0.45)?.text).toBe("+5.0 pts");
    const relative = compareToPrevious("count", 90, 100);
    expect(relative?.text).toBe("−10.0%");
    expect(relative?.direction).toBe("down");
    expect(compareToPrevious("count", 5, 0)?.text).toBe("+5");
    expect(compareToPrevious("seconds", 10, 10)?.direction).toBe("flat");
    expect(compareToPrevious("count", null, 3)).toBeNull();
  });
});
