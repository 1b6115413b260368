/**
 * XmR charts: the limits of two published worked examples, each signal rule on
 * series built so that it fires (and a near miss where it must not), frozen
 * baseline limits, gaps, and too-short series.
 */
import { describe, expect, it } from "vitest";
import { MIN_XMR_POINTS, xmrChart, type XmrChart, type XmrRule } from "../../src/components/control-chart.js";

function ok(chart: XmrChart): Extract<XmrChart, { status: "ok" }> {
  if (chart.status !== "ok") throw new Error(`expected limits, got: ${chart.message}`);
  return chart;
}

/** The indexes of the points where `rule` fired. */
function firing(chart: XmrChart, rule: XmrRule): number[] {
  return ok(chart).points.filter((point) => point.rules.includes(rule)).map((point) => point.index);
}

// 12 points alternating 12, 10: X̄ = 11, every moving range 2, so MR̄ = 2, limits 11 ± 5.32 =
// [5.68, 16.32], σ̂ = 2/1.128 = 1.773, two sigma at 14.546 and 7.454. It ends on a 10 (below).
const BASELINE = Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? 12 : 10));

describe("XmR limits", () => {
  it("match the NIST/SEMATECH e-Handbook's individuals chart example", () => {
    // NIST/SEMATECH e-Handbook of Statistical Methods, §6.3.2.2 "Individuals Control Charts":
    // flow rate of the first 10 batches; published X̄ = 50.81, MR̄ = 1.8778, UCL = 55.80,
    // LCL = 45.82, and the moving range chart's UCL = 3.267·1.8778 = 6.13.
    const flow = [49.6, 47.6, 49.9, 51.3, 47.8, 51.2, 52.6, 52.4, 53.6, 52.1];
    const chart = ok(xmrChart(flow, { minimumPoints: 10 }));
    expect(chart.limits.centre).toBeCloseTo(50.81, 2);
    expect(chart.limits.averageMovingRange).toBeCloseTo(1.8778, 4);
    expect(chart.limits.upperLimit).toBeCloseTo(55.8, 2);
    expect(chart.limits.lowerLimit).toBeCloseTo(45.82, 2);
    expect(chart.limits.movingRangeUpperLimit).toBeCloseTo(6.13, 2);
    expect(chart.points[0]?.movingRange).toBeNull();
    expect(chart.points[1]?.movingRange).toBeCloseTo(2.0, 12);
    expect(chart.signals).toBe(0);
  });

  it("match Montgomery's aircraft primer paint viscosity example", () => {
    // Montgomery, Introduction to Statistical Quality Control, individuals chart of the
    // viscosity of 15 batches of aircraft primer paint (the data as in the JMSL XmR example):
    // published X̄ = 33.52, MR̄ = 0.48, UCL = 34.80, LCL = 32.24; moving range UCL = 1.57;
    // the process is in control.
    const viscosity = [33.75, 33.05, 34.0, 33.81, 33.46, 34.02, 33.68, 33.27, 33.49, 33.2, 33.62, 33.0, 33.54, 33.12, 33.84];
    const chart = ok(xmrChart(viscosity));
    expect(chart.limits.centre).toBeCloseTo(33.52, 2);
    expect(chart.limits.averageMovingRange).toBeCloseTo(0.48, 2);
    expect(chart.limits.upperLimit).toBeCloseTo(34.8, 2);
    expect(chart.limits.lowerLimit).toBeCloseTo(32.24, 2);
    expect(chart.limits.movingRangeUpperLimit).toBeCloseTo(1.57, 2);
    expect(chart.limits.sigma).toBeCloseTo(0.480714 / 1.128, 6);
    expect(chart.limits.baselinePoints).toBe(15);
    expect(chart.signals).toBe(0);
    expect(chart.points.every((point) => point.rules.length === 0 && !point.movingRangeAboveLimit)).toBe(true);
  });

  it("says so instead of computing limits from too few points", () => {
    const short = xmrChart([1, 2, 3, 4, 5, 6, 7]);
    expect(short).toEqual({ status: "too-few-points", points: 7, minimum: MIN_XMR_POINTS, message: "Control limits need at least 12 points; there are 7." });
    expect(xmrChart([]).status).toBe("too-few-points");
    // Gaps do not count as points.
    expect(xmrChart([...BASELINE.slice(0, 11), null]).status).toBe("too-few-points");
    expect(xmrChart([5], { minimumPoints: 1 })).toMatchObject({ status: "too-few-points", message: "Control limits need at least 1 point; there is 1." });
  });
});

describe("XmR signal rules", () => {
  it("the baseline itself is common-cause variation", () => {
    const chart = ok(xmrChart(BASELINE));
    expect(chart.limits).toMatchObject({ centre: 11, averageMovingRange: 2 });
    expect(chart.limits.upperLimit).toBeCloseTo(16.32, 12);
    expect(chart.limits.lowerLimit).toBeCloseTo(5.68, 12);
    expect(chart.signals).toBe(0);
  });

  it("a point beyond the natural process limits", () => {
    const chart = xmrChart([...BASELINE, 16.5, 16], { baselinePoints: 12 });
    expect(firing(chart, "beyond-limits")).toEqual([12]);
    const low = xmrChart([...BASELINE, 5.5], { baselinePoints: 12 });
    expect(firing(low, "beyond-limits")).toEqual([12]);
    expect(ok(low).points[12]?.side).toBe("below");
  });

  it("a run of eight on one side of the centre line, and not seven", () => {
    const eight = xmrChart([...BASELINE, ...Array.from({ length: 8 }, () => 11.5), 10], { baselinePoints: 12 });
    expect(firing(eight, "run-of-eight")).toEqual([12, 13, 14, 15, 16, 17, 18, 19]);
    const seven = xmrChart([...BASELINE, ...Array.from({ length: 7 }, () => 11.5), 10], { baselinePoints: 12 });
    expect(firing(seven, "run-of-eight")).toEqual([]);
    // A point on the centre line neither extends nor breaks the run: 4 above, 1 on, 4 above.
    const onLine = xmrChart([...BASELINE, 11.5, 11.5, 11.5, 11.5, 11, 11.5, 11.5, 11.5, 11.5], { baselinePoints: 12 });
    expect(firing(onLine, "run-of-eight")).toEqual([12, 13, 14, 15, 17, 18, 19, 20]);
    expect(ok(onLine).points[16]?.side).toBe("on");
  });

  it("two of three consecutive points beyond two sigma on the same side", () => {
    // 15 is beyond two sigma (14.546) but inside the limit (16.32).
    const fires = xmrChart([...BASELINE, 15, 11, 15], { baselinePoints: 12 });
    expect(firing(fires, "two-of-three-beyond-two-sigma")).toEqual([12, 14]);
    expect(firing(fires, "beyond-limits")).toEqual([]);
    // Two beyond two sigma, but not within three consecutive points.
    const apart = xmrChart([...BASELINE, 15, 11, 11, 15], { baselinePoints: 12 });
    expect(firing(apart, "two-of-three-beyond-two-sigma")).toEqual([]);
    // Beyond two sigma on opposite sides does not count.
    const opposite = xmrChart([...BASELINE, 15, 7], { baselinePoints: 12 });
    expect(firing(opposite, "two-of-three-beyond-two-sigma")).toEqual([]);
    // Below: 7 is beyond 7.454.
    expect(firing(xmrChart([...BASELINE, 7, 7], { baselinePoints: 12 }), "two-of-three-beyond-two-sigma")).toEqual([12, 13]);
  });

  it("freezes the limits over the baseline so a shift does not hide itself", () => {
    const shifted = [...BASELINE, ...Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? 17 : 15))];
    const frozen = ok(xmrChart(shifted, { baselinePoints: 12 }));
    expect(frozen.limits.centre).toBe(11);
    expect(frozen.limits.baselinePoints).toBe(12);
    expect(firing(frozen, "beyond-limits")).toEqual([12, 14, 16, 18, 20, 22]);
    // Recomputed over all 24 points the limits widen (X̄ = 13.5) and no point is beyond them.
    const recomputed = ok(xmrChart(shifted));
    expect(recomputed.limits.centre).toBeCloseTo(13.5, 12);
    expect(firing(recomputed, "beyond-limits")).toEqual([]);
  });

  it("flags a moving range above its limit, and lets a gap break the moving ranges", () => {
    // MR̄ = 2, so the range limit is 6.534: the jump 10 → 16.6 (6.6) is above it.
    const jump = ok(xmrChart([...BASELINE, 16.6], { baselinePoints: 12 }));
    expect(jump.points[12]?.movingRangeAboveLimit).toBe(true);
    expect(jump.points[12]?.movingRange).toBeCloseTo(6.6, 12);
    const gap = ok(xmrChart([...BASELINE, null, 12], { baselinePoints: 12 }));
    expect(gap.points[12]).toMatchObject({ value: null, movingRange: null, side: null, rules: [] });
    expect(gap.points[13]?.movingRange).toBeNull();
    // A non-finite value is a gap too.
    expect(ok(xmrChart([...BASELINE, Number.NaN])).points[12]?.value).toBeNull();
  });
});
