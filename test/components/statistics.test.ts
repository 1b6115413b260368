/**
 * The interval and test functions against published worked examples (each cited
 * beside its numbers) and against values worked out by hand from published
 * data, and the change rule on cases whose verdict is known.
 */
import { describe, expect, it } from "vitest";
import { binEdges, logBin, type HistogramBin } from "../../src/components/binning.js";
import {
  binomialCdf,
  changeRuleExplanation,
  changeVerdict,
  estimateInterval,
  histogramP90,
  histogramQuantileInterval,
  histogramQuantileWithBinError,
  meanInterval,
  moodMedianTest,
  newcombeDifferenceInterval,
  normalCdf,
  normalQuantile,
  orderStatisticRanks,
  studentTCdf,
  studentTQuantile,
  twoProportionZTest,
  twoSidedZ,
  welchDifferenceInterval,
  welchTTest,
  wilsonInterval,
  type MeanSummary,
} from "../../src/components/statistics.js";

function summary(values: readonly number[]): MeanSummary {
  return { n: values.length, sum: values.reduce((s, x) => s + x, 0), sumOfSquares: values.reduce((s, x) => s + x * x, 0) };
}

function histogramOf(values: readonly number[], bin: (value: number) => number): HistogramBin[] {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(bin(value), (counts.get(bin(value)) ?? 0) + 1);
  return [...counts].map(([b, n]) => ({ bin: b, n })).sort((a, b) => a.bin - b.bin);
}

/** A small deterministic generator (mulberry32), so the property checks are reproducible. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Student's sleep data (Cushny & Peebles 1905, as used by Student 1908; R's `sleep`
// data set): extra hours of sleep with two drugs, ten patients each.
const SLEEP_GROUP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
const SLEEP_GROUP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

describe("distribution functions", () => {
  it("give the standard normal table's values", () => {
    // Standard normal tables (e.g. NIST/SEMATECH e-Handbook §1.3.6.7.1).
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021, 7);
    expect(normalCdf(-3)).toBeCloseTo(0.0013499, 7);
    expect(normalCdf(0)).toBe(0.5);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
    expect(normalQuantile(0.995)).toBeCloseTo(2.575829, 6);
    expect(normalQuantile(0.999)).toBeCloseTo(3.090232, 6);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 6);
    expect(twoSidedZ(0.95)).toBeCloseTo(1.959964, 6);
    expect(twoSidedZ(0.998)).toBeCloseTo(3.090232, 6);
  });

  it("give the Student t table's critical values", () => {
    // NIST/SEMATECH e-Handbook §1.3.6.7.2, "Critical values of the Student's t distribution", upper 0.025.
    const table: Array<[number, number]> = [
      [1, 12.706],
      [2, 4.303],
      [5, 2.571],
      [9, 2.262],
      [10, 2.228],
      [30, 2.042],
      [100, 1.984],
    ];
    for (const [df, value] of table) expect(studentTQuantile(0.975, df)).toBeCloseTo(value, 3);
    expect(studentTQuantile(0.025, 10)).toBeCloseTo(-2.228, 3);
    // Upper 0.005 column.
    expect(studentTQuantile(0.995, 10)).toBeCloseTo(3.169, 3);
    // t tends to z as the degrees of freedom grow.
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(1.959966, 5);
    expect(studentTCdf(2.228139, 10)).toBeCloseTo(0.975, 6);
    expect(studentTCdf(-12.706205, 1)).toBeCloseTo(0.025, 6);
  });

  it("sum a binomial exactly, also for large n", () => {
    // Binomial(10, 1/2): P(Y ≤ 1) = 11/1024, P(Y ≤ 2) = 56/1024.
    const cdf = binomialCdf(10, 0.5);
    expect(cdf(1)).toBeCloseTo(11 / 1024, 12);
    expect(cdf(2)).toBeCloseTo(56 / 1024, 12);
    expect(cdf(-1)).toBe(0);
    expect(cdf(10)).toBeCloseTo(1, 12);
    // Large n: the normal approximation with continuity correction is good to ~1e-4 here.
    const large = binomialCdf(1_000_000, 0.5);
    expect(large(500_000 - 980)).toBeCloseTo(normalCdf((-980 + 0.5) / 500), 4);
  });
});

describe("Wilson score interval", () => {
  it("matches Newcombe (1998) Table I", () => {
    // Newcombe RG, "Two-sided confidence intervals for the single proportion:
    // comparison of seven methods", Statistics in Medicine 17:857–872 (1998),
    // Table I, method 3 (score, without continuity correction).
    const table: Array<[number, number, number, number]> = [
      [81, 263, 0.2553, 0.3662],
      [15, 148, 0.0624, 0.1605],
      [0, 20, 0, 0.1611],
      [1, 29, 0.0061, 0.1718],
    ];
    for (const [x, n, lower, upper] of table) {
      const interval = wilsonInterval(x, n);
      expect(interval?.lower).toBeCloseTo(lower, 4);
      expect(interval?.upper).toBeCloseTo(upper, 4);
      expect(interval?.estimate).toBeCloseTo(x / n, 12);
      expect(interval?.level).toBe(0.95);
    }
  });

  it("matches the methods note's checks, keeps 0 and 1 exact, and takes a z", () => {
    // /work/shared/analytics-methods.md: 0/10 → [0, 0.278]; 5/10 → [0.237, 0.763].
    expect(wilsonInterval(0, 10)?.upper).toBeCloseTo(0.278, 3);
    expect(wilsonInterval(0, 10)?.lower).toBe(0);
    expect(wilsonInterval(5, 10)?.lower).toBeCloseTo(0.237, 3);
    expect(wilsonInterval(5, 10)?.upper).toBeCloseTo(0.763, 3);
    // 29/29 mirrors 0/29: by hand, lower = 1 − z²/(n + z²) = 1 − 3.8415/32.8415 = 0.8830.
    expect(wilsonInterval(29, 29)?.lower).toBeCloseTo(0.883, 4);
    expect(wilsonInterval(29, 29)?.upper).toBe(1);
    // With z = 1.96 given outright (Wilson 1927's usual rounding) the bounds barely move.
    const rounded = wilsonInterval(81, 263, 0.95, 1.96);
    expect(rounded?.lower).toBeCloseTo(0.2553, 4);
    // A 99% interval is wider than the 95% one.
    const wide = wilsonInterval(81, 263, 0.99);
    expect(wide?.lower).toBeLessThan(0.2553);
    expect(wide?.upper).toBeGreaterThan(0.3662);
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(() => wilsonInterval(11, 10)).toThrow(RangeError);
  });
});

describe("t interval for a mean from n, Σx and Σx²", () => {
  it("matches the paired sleep example (R's t.test(extra ~ group, data = sleep, paired = TRUE))", () => {
    // Published output: mean difference 1.58 (group 2 − group 1), 95% CI 0.7001142 to 2.4598858.
    const differences = SLEEP_GROUP_2.map((value, i) => value - (SLEEP_GROUP_1[i] as number));
    const interval = meanInterval(summary(differences));
    expect(interval?.estimate).toBeCloseTo(1.58, 10);
    expect(interval?.lower).toBeCloseTo(0.7001142, 6);
    expect(interval?.upper).toBeCloseTo(2.4598858, 6);
    expect(interval?.degreesOfFreedom).toBe(9);
    // By hand: Σ(d − d̄)² = 13.616, s = √(13.616/9) = 1.229995.
    expect(interval?.standardDeviation).toBeCloseTo(1.229995, 6);
  });

  it("needs two cases, and at large n is mean ± z·s/√n", () => {
    expect(meanInterval({ n: 1, sum: 5, sumOfSquares: 25 })).toBeNull();
    expect(meanInterval({ n: 0, sum: 0, sumOfSquares: 0 })).toBeNull();
    // n = 1,000,000, mean 10, s² = (Σx² − (Σx)²/n)/(n − 1) = 4 → half-width ≈ 1.96·2/1000.
    const n = 1_000_000;
    const interval = meanInterval({ n, sum: 10 * n, sumOfSquares: 4 * (n - 1) + 100 * n });
    expect(interval?.upper).toBeCloseTo(10 + (1.959966 * 2) / 1000, 7);
    // Equal values: no spread, a zero-width interval (never NaN from rounding).
    const flat = meanInterval({ n: 3, sum: 0.3, sumOfSquares: 0.03 });
    expect(flat?.lower).toBeCloseTo(0.1, 12);
    expect(flat?.upper).toBeCloseTo(0.1, 12);
  });
});

describe("two-sample tests", () => {
  it("Welch's test matches R's t.test(extra ~ group, data = sleep)", () => {
    // Published output: t = −1.8608, df = 17.776, p-value = 0.07939, 95% CI −3.3654832 to 0.2054832.
    const result = welchTTest(summary(SLEEP_GROUP_1), summary(SLEEP_GROUP_2));
    expect(result?.statistic).toBeCloseTo(-1.8608, 4);
    expect(result?.degreesOfFreedom).toBeCloseTo(17.776, 3);
    expect(result?.pValue).toBeCloseTo(0.07939, 5);
    const interval = result ? welchDifferenceInterval(result) : null;
    expect(interval?.lower).toBeCloseTo(-3.3654832, 6);
    expect(interval?.upper).toBeCloseTo(0.2054832, 6);
    expect(welchTTest(summary([1]), summary([1, 2]))).toBeNull();
    expect(welchTTest(summary([2, 2]), summary([2, 2]))).toBeNull();
  });

  it("the two-proportion z-test is Pearson's χ² for the 2×2 table", () => {
    // Newcombe (1998, Statistics in Medicine 17:873–890) example (a): 56/70 against 48/80.
    // By hand: pooled p = 104/150 = 0.69333; SE = √(0.69333·0.30667·(1/70 + 1/80)) = 0.075467;
    // z = 0.2/0.075467 = 2.6502. χ² = 150·(56·32 − 14·48)²/(70·80·104·46) = 7.0234 = z².
    const result = twoProportionZTest(56, 70, 48, 80);
    expect(result?.statistic).toBeCloseTo(2.6502, 4);
    expect((result?.statistic ?? 0) ** 2).toBeCloseTo(7.0234, 4);
    expect(result?.pValue).toBeCloseTo(2 * normalCdf(-2.65017), 5);
    expect(result?.difference).toBeCloseTo(0.2, 12);
    expect(twoProportionZTest(0, 10, 0, 20)).toBeNull();
    expect(twoProportionZTest(1, 0, 1, 2)).toBeNull();
  });

  it("Newcombe's hybrid score interval matches Newcombe (1998) Table II, method 10", () => {
    // Newcombe RG, "Interval estimation for the difference between independent proportions:
    // comparison of eleven methods", Statistics in Medicine 17:873–890 (1998), examples (a)–(d).
    const table: Array<[number, number, number, number, number, number]> = [
      [56, 70, 48, 80, 0.0524, 0.3339],
      [9, 10, 3, 10, 0.1705, 0.809],
      [6, 7, 2, 7, 0.0582, 0.8062],
      [5, 56, 0, 29, -0.0381, 0.1926],
    ];
    for (const [x1, n1, x2, n2, lower, upper] of table) {
      const interval = newcombeDifferenceInterval(x1, n1, x2, n2);
      expect(interval?.lower).toBeCloseTo(lower, 4);
      expect(interval?.upper).toBeCloseTo(upper, 4);
    }
  });

  it("Mood's median test splits the items at the pooled median's bin", () => {
    // By hand: A = {1: 5, 2: 5}, B = {2: 5, 3: 5}; pooled median (rank 10 of 20) is bin 2;
    // above it: A 0/10, B 5/10; pooled 0.25, SE = √(0.25·0.75·0.2) = 0.19365, z = −0.5/0.19365 = −2.582.
    const a = [{ bin: 1, n: 5 }, { bin: 2, n: 5 }];
    const b = [{ bin: 2, n: 5 }, { bin: 3, n: 5 }];
    const result = moodMedianTest(a, b);
    expect(result?.statistic).toBeCloseTo(-2.582, 3);
    expect(result?.pValue).toBeCloseTo(0.0098, 4);
    // When the median's ties fill the top (nothing above its bin), it counts from the bin up.
    const tiedTop = moodMedianTest([{ bin: 5, n: 10 }], [{ bin: 4, n: 5 }, { bin: 5, n: 5 }]);
    expect(tiedTop?.difference).toBeCloseTo(0.5, 12);
    expect(moodMedianTest([], b)).toBeNull();
  });
});

describe("order-statistic interval for a median or quantile", () => {
  it("picks the exact conservative ranks of the published median tables", () => {
    // Exact binomial ranks for a 95% interval for the median, as tabulated by Campbell &
    // Gardner ("Calculating confidence intervals for some non-parametric analyses", BMJ
    // 296:1454–1456, 1988) and the usual "confidence intervals for the population median"
    // tables: n = 6 → x(1)–x(6) 96.9%; 10 → x(2)–x(9) 97.9%; 11 → x(2)–x(10) 98.8%;
    // 12 → x(3)–x(10) 96.1%; 17 → x(5)–x(13) 95.1%; 20 → x(6)–x(15) 95.9%.
    // By hand for n = 10: P(Y ≤ 1) = 11/1024 ≤ 0.025 < P(Y ≤ 2) = 56/1024, so r = 2, and the
    // coverage is 1 − 2·11/1024 = 0.9785.
    const table: Array<[number, number, number, number]> = [
      [6, 1, 6, 0.969],
      [10, 2, 9, 0.979],
      [11, 2, 10, 0.988],
      [12, 3, 10, 0.961],
      [17, 5, 13, 0.951],
      [20, 6, 15, 0.959],
    ];
    for (const [n, lowerRank, upperRank, level] of table) {
      const ranks = orderStatisticRanks(n, 0.5);
      expect(ranks?.lowerRank).toBe(lowerRank);
      expect(ranks?.upperRank).toBe(upperRank);
      expect(ranks?.achievedLevel).toBeCloseTo(level, 3);
    }
    // Five items cannot bound the median at 95% (x(1)–x(5) covers 93.8%).
    expect(orderStatisticRanks(5, 0.5)).toBeNull();
    // Gardner & Altman, Statistics with Confidence, the n = 100 median example: ranks 40 and 61.
    expect(orderStatisticRanks(100, 0.5)).toMatchObject({ lowerRank: 40, upperRank: 61 });
  });

  it("agrees with the large-sample ranks for other quantiles", () => {
    // Campbell & Gardner's approximation for the q-quantile: r = nq − z√(nq(1−q)), s = 1 + nq + z√(nq(1−q)).
    // n = 1000, q = 0.9: 900 ∓ 1.96·√90 = 881.4 and 919.6.
    const ranks = orderStatisticRanks(1000, 0.9);
    expect(ranks?.lowerRank).toBeGreaterThanOrEqual(881);
    expect(ranks?.lowerRank).toBeLessThanOrEqual(882);
    expect(ranks?.upperRank).toBeGreaterThanOrEqual(919);
    expect(ranks?.upperRank).toBeLessThanOrEqual(920);
    expect(ranks?.achievedLevel).toBeGreaterThanOrEqual(0.95);
    // A p90 needs 36 items at 95% (0.9^35 = 0.025004 > 0.025 ≥ 0.9^36).
    expect(orderStatisticRanks(35, 0.9)).toBeNull();
    expect(orderStatisticRanks(36, 0.9)).not.toBeNull();
  });

  it("reads the bounds from the histogram's bin edges", () => {
    // 20 ratings by hand: 1 ×2 (ranks 1–2), 2 ×3 (3–5), 3 ×4 (6–9), 4 ×6 (10–15), 5 ×5 (16–20).
    // Ranks 6 and 15 (n = 20) hold a 3 and a 4; the median (ranks 10 and 11) is 4.
    const ratings = [{ bin: 1, n: 2 }, { bin: 2, n: 3 }, { bin: 3, n: 4 }, { bin: 4, n: 6 }, { bin: 5, n: 5 }];
    const interval = histogramQuantileInterval(ratings, "exact", 0.5);
    expect(interval).toMatchObject({ estimate: 4, lower: 3, upper: 4, lowerRank: 6, upperRank: 15, n: 20, level: 0.95 });
    expect(histogramQuantileInterval([...ratings].reverse(), "exact", 0.5)).toMatchObject({ estimate: 4, lower: 3, upper: 4 });
    expect(histogramQuantileInterval([{ bin: 3, n: 5 }], "exact", 0.5)).toBeNull();
    expect(estimateInterval({ kind: "median", histogram: ratings, binning: "exact" })).toMatchObject({ lower: 3, upper: 4 });
  });

  it("with log bins, contains the exact interval of the raw values (conservative for the binning)", () => {
    const next = random(7);
    for (const n of [6, 25, 400, 5000]) {
      const values = Array.from({ length: n }, () => Math.round(-Math.log(next()) * 120));
      const sorted = [...values].sort((a, b) => a - b);
      const ranks = orderStatisticRanks(n, 0.5);
      const interval = histogramQuantileInterval(histogramOf(values, logBin), "log", 0.5);
      expect(ranks).not.toBeNull();
      expect(interval?.lower).toBeLessThanOrEqual(sorted[(ranks?.lowerRank ?? 1) - 1] as number);
      expect(interval?.upper).toBeGreaterThanOrEqual(sorted[(ranks?.upperRank ?? 1) - 1] as number);
      // …and is no wider than one 5% bin on each side of it.
      expect(interval?.lower).toBeGreaterThanOrEqual(binEdges("log", logBin(sorted[(ranks?.lowerRank ?? 1) - 1] as number))[0]);
    }
  });

  it("gives a p90 with its binning bounds and its interval", () => {
    // 40 waits: 36 of 10 s, then 20, 30, 40, 50 s. Position 0.9·39 = 35.1 lies between the
    // 36th item (10 s) and the 37th (20 s): quantile_cont = 10 + 0.1·10 = 11 s exactly.
    const values = [...Array.from({ length: 36 }, () => 10), 20, 30, 40, 50];
    const histogram = histogramOf(values, logBin);
    const p90 = histogramP90(histogram, "log");
    expect(p90?.binLower).toBe(binEdges("log", logBin(10))[0]);
    expect(p90?.binUpper).toBe(binEdges("log", logBin(20))[1]);
    expect(p90?.binLower).toBeLessThanOrEqual(11);
    expect(p90?.binUpper).toBeGreaterThanOrEqual(11);
    expect(p90?.n).toBe(40);
    // n = 40, q = 0.9, Y ~ Binomial(40, 0.9): P(Y ≤ 31) = 0.0155 ≤ 0.025 < P(Y ≤ 32) = 0.0419, so
    // r = 32; P(Y ≥ 40) = 0.9^40 = 0.0148 ≤ 0.025 < P(Y ≥ 39) = 0.0805, so s = 40: 10 s and 50 s.
    expect(p90?.interval).toMatchObject({ lowerRank: 32, upperRank: 40 });
    expect(p90?.interval?.achievedLevel).toBeCloseTo(1 - 0.0155 - 0.0148, 3);
    expect(p90?.interval?.lower).toBe(binEdges("log", logBin(10))[0]);
    expect(p90?.interval?.upper).toBe(binEdges("log", logBin(50))[1]);
    // Exact bins: the bounds are the values themselves.
    const exact = histogramQuantileWithBinError([{ bin: 1, n: 9 }, { bin: 2, n: 1 }], "exact", 0.9);
    // 10 items, position 8.1: between the 9th (1) and the 10th (2): 1.1.
    expect(exact).toMatchObject({ binLower: 1, binUpper: 2, n: 10 });
    expect(exact?.value).toBeCloseTo(1.1, 12);
    // Too few items for the p90's interval, but the p90 itself is there.
    expect(histogramP90([{ bin: 3, n: 20 }], "exact")).toMatchObject({ value: 3, interval: null });
    expect(histogramP90([], "exact")).toBeNull();
  });
});

describe("changeVerdict: arrow or within normal variation", () => {
  it("shares: an arrow when the z-test rejects at 95%, none when it does not", () => {
    // 56/70 against 48/80: p = 0.008 (above).
    const up = changeVerdict({ kind: "share", successes: 56, n: 70 }, { kind: "share", successes: 48, n: 80 });
    expect(up).toMatchObject({ verdict: "up", level: 0.95, test: "two-proportion z-test" });
    expect(up.pValue).toBeCloseTo(0.00805, 4);
    const down = changeVerdict({ kind: "share", successes: 48, n: 80 }, { kind: "share", successes: 56, n: 70 });
    expect(down.verdict).toBe("down");
    // 50/100 against 45/100: z = 0.05/√(0.475·0.525·0.02) = 0.708, p = 0.48.
    const noise = changeVerdict({ kind: "share", successes: 50, n: 100 }, { kind: "share", successes: 45, n: 100 });
    expect(noise).toMatchObject({ verdict: "within-noise", text: "within normal variation" });
    expect(noise.pValue).toBeCloseTo(0.479, 3);
    expect(noise.difference).toBeCloseTo(0.05, 12);
  });

  it("means: Welch's test at the stated level", () => {
    // The sleep groups: p = 0.0794 — noise at 95%, a change at 90%.
    const current = { kind: "mean" as const, ...summary(SLEEP_GROUP_2) };
    const previous = { kind: "mean" as const, ...summary(SLEEP_GROUP_1) };
    expect(changeVerdict(current, previous).verdict).toBe("within-noise");
    const at90 = changeVerdict(current, previous, 0.9);
    expect(at90).toMatchObject({ verdict: "up", level: 0.9, test: "Welch t-test", text: "change unlikely to be noise (90% level)" });
    expect(at90.difference).toBeCloseTo(1.58, 10);
  });

  it("medians: Mood's test, and no arrow when the median itself did not move", () => {
    const a = [{ bin: 1, n: 5 }, { bin: 2, n: 5 }];
    const b = [{ bin: 2, n: 5 }, { bin: 3, n: 5 }];
    // Medians 1.5 → 2.5, Mood's p = 0.0098.
    const up = changeVerdict({ kind: "median", histogram: b, binning: "exact" }, { kind: "median", histogram: a, binning: "exact" });
    expect(up).toMatchObject({ verdict: "up", test: "Mood's median test", difference: 1 });
    // A = {2: 20}, B = {2: 12, 3: 8}: both medians 2; Mood: above bin 2, 8/20 against 0/20,
    // z = 0.4/√(0.2·0.8·0.1) = 3.16 (p = 0.0016): the items moved, the median did not.
    const same = changeVerdict(
      { kind: "median", histogram: [{ bin: 2, n: 12 }, { bin: 3, n: 8 }], binning: "exact" },
      { kind: "median", histogram: [{ bin: 2, n: 20 }], binning: "exact" },
    );
    expect(same.verdict).toBe("within-noise");
    expect(same.pValue).toBeCloseTo(0.0016, 4);
  });

  it("says when there are too few cases, and refuses to compare different kinds", () => {
    expect(changeVerdict({ kind: "share", successes: 0, n: 0 }, { kind: "share", successes: 3, n: 9 })).toMatchObject({
      verdict: "insufficient-data",
      pValue: null,
      text: "too few cases to compare",
    });
    expect(changeVerdict({ kind: "mean", n: 1, sum: 4, sumOfSquares: 16 }, { kind: "mean", ...summary([1, 2, 3]) }).verdict).toBe("insufficient-data");
    expect(changeVerdict({ kind: "median", histogram: [], binning: "log" }, { kind: "median", histogram: [{ bin: 1, n: 3 }], binning: "log" }).verdict).toBe(
      "insufficient-data",
    );
    expect(() => changeVerdict({ kind: "share", successes: 1, n: 2 }, { kind: "mean", ...summary([1, 2]) })).toThrow(TypeError);
    // Both shares 0%: nothing varies, nothing changed.
    expect(changeVerdict({ kind: "share", successes: 0, n: 50 }, { kind: "share", successes: 0, n: 40 }).verdict).toBe("within-noise");
  });

  it("explains the rule with its level for the footnotes", () => {
    const text = changeRuleExplanation();
    expect(text).toContain("95% level");
    expect(text).toContain("within normal variation");
    expect(text).toContain("Wilson");
    expect(changeRuleExplanation(0.99)).toContain("99% level");
  });
});
