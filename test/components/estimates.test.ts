/**
 * What each metric kind hands the interval and change functions (Metric.estimate)
 * on small fixture rows, against values computed by hand, and the card's change
 * line that follows from it. Worked checks for the Wilson interval (x = 5, n = 10
 * gives [0.237, 0.763]) are from Brown, Cai & DasGupta, "Interval Estimation for
 * a Binomial Proportion", Statistical Science 16(2), 2001, as quoted in
 * /work/shared/analytics-methods.md; the t quantiles t(0.975, 4) = 2.776445 and
 * t(0.975, 2) = 4.302653 are from the NIST/SEMATECH e-Handbook's table of the t
 * distribution (§1.3.6.7.2).
 */
import { describe, expect, it } from "vitest";
import { kpiChange } from "../../src/components/kpi.js";
import { dailyCountEstimate, metricBand, metricInterval } from "../../src/components/metric-kinds.js";
import { METRICS } from "../../src/components/metrics.js";

describe("Metric.estimate, per kind", () => {
  it("a share: the summed part and whole, whose Wilson interval is the published one", () => {
    const rows = [
      { date: "2026-01-01", went_live: 2, sessions: 4 },
      { date: "2026-01-02", went_live: 3, sessions: 6 },
    ];
    const estimate = METRICS.cobrowse_live_share.estimate(rows);
    expect(estimate).toEqual({ kind: "share", successes: 5, n: 10 });
    const interval = metricInterval(METRICS.cobrowse_live_share, estimate);
    expect(interval?.lower).toBeCloseTo(0.237, 3);
    expect(interval?.upper).toBeCloseTo(0.763, 3);
  });

  it("a histogram share (survey satisfaction): the items from the threshold's bin up out of all items", () => {
    const rows = [
      { date: "2026-01-01", bin: 1, n: 2 },
      { date: "2026-01-01", bin: 4, n: 3 },
      { date: "2026-01-02", bin: 3, n: 3 },
      { date: "2026-01-02", bin: 4, n: 1 },
      { date: "2026-01-02", bin: 5, n: 1 },
    ];
    const estimate = METRICS.chat_csat.estimate(rows);
    expect(estimate).toEqual({ kind: "share", successes: 5, n: 10 });
    const interval = metricInterval(METRICS.chat_csat, estimate);
    expect(interval?.lower).toBeCloseTo(0.237, 3);
    expect(interval?.upper).toBeCloseTo(0.763, 3);
  });

  it("a mean: n, Σx and Σx² summed over the days, and the t interval they give", () => {
    // Day 1: lengths 10 and 20 s; day 2: 30, 40 and 50 s.
    const rows = [
      { date: "2026-01-01", length_sum: 30, length_count: 2, length_sumsq: 100 + 400 },
      { date: "2026-01-02", length_sum: 120, length_count: 3, length_sumsq: 900 + 1600 + 2500 },
    ];
    const estimate = METRICS.cobrowse_avg_length_seconds.estimate(rows);
    expect(estimate).toEqual({ kind: "mean", n: 5, sum: 150, sumOfSquares: 5500 });
    // Mean 30, s² = (5500 − 150²/5) / 4 = 250, SE = √(250/5) = 7.0711, half-width 2.776445 × 7.0711 = 19.6324.
    const interval = metricInterval(METRICS.cobrowse_avg_length_seconds, estimate);
    expect(interval?.estimate).toBe(30);
    expect(interval?.lower).toBeCloseTo(30 - 19.6324, 3);
    expect(interval?.upper).toBeCloseTo(30 + 19.6324, 3);
  });

  it("a mean whose rows lack the sum of squares, or that has none by nature, gives no estimate", () => {
    expect(METRICS.cobrowse_avg_length_seconds.estimate([{ date: "2026-01-01", length_sum: 30, length_count: 2 }])).toBeNull();
    expect(METRICS.agendize_vendor_avg_duration_seconds.estimate([{ date: "2026-01-01", vendor_duration_sum: 600, vendor_chat_sessions: 10 }])).toBeNull();
  });

  it("a count: the mean of its daily counts, the period's days without rows counted as 0", () => {
    // Two rows on the 1st (3 + 2 = 5), one on the 2nd (7), none on the 3rd.
    const rows = [
      { date: "2026-01-01", sessions: 3, skill: "a" },
      { date: "2026-01-01", sessions: 2, skill: "b" },
      { date: "2026-01-02", sessions: 7, skill: "a" },
    ];
    const period = { from: "2026-01-01", to: "2026-01-03" };
    const estimate = METRICS.cobrowse_sessions.estimate(rows, period);
    expect(estimate).toEqual({ kind: "mean", n: 3, sum: 12, sumOfSquares: 25 + 49 + 0 });
    // Without a period only the days the rows name count.
    expect(dailyCountEstimate(rows, "sessions")).toEqual({ kind: "mean", n: 2, sum: 12, sumOfSquares: 74 });
    // Daily mean 4, s² = (74 − 12²/3) / 2 = 13, SE = √(13/3) = 2.08167, half-width 4.302653 × 2.08167 = 8.95670;
    // the total's interval is 3 days × that, its lower end clamped at 0 (a count is never negative).
    const interval = metricInterval(METRICS.cobrowse_sessions, estimate);
    expect(interval?.estimate).toBe(12);
    expect(interval?.lower).toBe(0);
    expect(interval?.upper).toBeCloseTo(3 * (4 + 8.9567), 3);
  });

  it("a median: the merged, sorted histogram with the histogram's binning", () => {
    const rows = [
      { date: "2026-01-02", bin: 80, n: 2 },
      { date: "2026-01-01", bin: 60, n: 1 },
      { date: "2026-01-01", bin: 80, n: 1 },
    ];
    expect(METRICS.chat_median_mcs.estimate(rows)).toEqual({
      kind: "median",
      histogram: [
        { bin: 60, n: 1 },
        { bin: 80, n: 3 },
      ],
      binning: "exact",
    });
  });

  it("figures no test applies to give none: distinct counts and ratios of durations", () => {
    expect(METRICS.active_agents.estimate([{ date: "2026-01-01", agent: "a", interactions: 3 }])).toBeNull();
    expect(METRICS.cobrowse_call_time_share.estimate([{ date: "2026-01-01", call_sum: 60, length_sum: 600 }])).toBeNull();
  });

  it("metricBand: a bucket's figure with its interval bounds, from the same functions", () => {
    const band = metricBand(METRICS.cobrowse_live_share, [{ date: "2026-01-01", went_live: 5, sessions: 10 }]);
    expect(band.value).toBe(0.5);
    expect(band.n).toBe(10);
    expect(band.lower).toBeCloseTo(0.237, 3);
    expect(band.upper).toBeCloseTo(0.763, 3);
    expect(metricBand(METRICS.cobrowse_live_share, [{ date: "2026-01-01", went_live: 0, sessions: 0 }])).toEqual({ value: null, n: 0, lower: null, upper: null });
  });
});

describe("the card's change line", () => {
  const share = METRICS.cobrowse_live_share;
  const result = (successes: number, n: number) => ({ value: successes / n, n, lowConfidence: false });
  const estimate = (successes: number, n: number) => ({ kind: "share" as const, successes, n });

  it("an arrow for a change the two-proportion test rejects (60/100 against 40/100: z = 2.83, p = 0.0047)", () => {
    const change = kpiChange(share, result(60, 100), result(40, 100), "previous 28 days", estimate(60, 100), estimate(40, 100));
    expect(change).toEqual({ verdict: "up", text: "+20.0 pts vs previous 28 days", direction: "up" });
  });

  it("no arrow and the words for a change inside the noise (52/100 against 48/100: z = 0.57)", () => {
    const change = kpiChange(share, result(52, 100), result(48, 100), "previous 28 days", estimate(52, 100), estimate(48, 100));
    expect(change).toEqual({ verdict: "within-noise", text: "+4.0 pts vs previous 28 days · within normal variation", direction: null });
  });

  it("no arrow when a period has no cases, or the figure has no test", () => {
    const empty = { value: null, n: 0, lowConfidence: true };
    expect(kpiChange(share, result(5, 10), empty, "previous 7 days", estimate(5, 10), estimate(0, 0))).toEqual({
      verdict: "insufficient-data",
      text: "no comparison with previous 7 days",
      direction: null,
    });
    const callTime = METRICS.cobrowse_call_time_share;
    expect(kpiChange(callTime, result(1, 10), result(2, 10), "previous 7 days", null, null)).toMatchObject({ verdict: "insufficient-data", direction: null });
  });
});
