/**
 * Intervals and tests for the figures the pages show, and the one rule that
 * decides whether a change between two periods gets an arrow (`changeVerdict`).
 * Definitions follow /work/shared/analytics-methods.md: Wilson intervals for
 * shares, t intervals for means from Σx and Σx², order-statistic (binomial)
 * intervals for medians and other quantiles read from histograms.
 *
 * The distribution functions (normal, Student t, binomial) are implemented here
 * rather than taken from a package: the few needed are short, well-known
 * algorithms (Lanczos log-gamma, the incomplete beta and gamma continued
 * fractions of Numerical Recipes, Acklam's normal quantile refined by one Halley
 * step), and the stats packages on the registry either pull in hundreds of
 * modules (@stdlib) or are unmaintained (jstat); the unit tests check them
 * against published tables. No DOM: this module runs in the browser and in Node.
 */
import { binEdges, histogramQuantile, type Binning, type HistogramBin } from "./binning.js";

/** The level every verdict and interval on the site uses unless a caller says otherwise. */
export const CONFIDENCE_LEVEL = 0.95;

export interface Interval {
  /** The point estimate the interval is around. */
  estimate: number;
  lower: number;
  upper: number;
  /** The nominal two-sided confidence level, e.g. 0.95. */
  level: number;
}

// ---------------------------------------------------------------------------
// Distribution functions

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7; about 15 significant digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0] as number;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += (LANCZOS[i] as number) / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

const EPSILON = 1e-15;
const TINY = 1e-300;
const MAX_ITERATIONS = 10_000;

/** The continued fraction of the incomplete beta function (modified Lentz). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a - 1 + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + 1 + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  return h;
}

/** The regularized incomplete beta function I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  // The fraction converges fast on this side of the mean; use the symmetry otherwise.
  return x < (a + 1) / (a + b + 2) ? (front * betaContinuedFraction(x, a, b)) / a : 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

/** The regularized upper incomplete gamma function Q(a, x). */
function upperIncompleteGamma(a: number, x: number): number {
  if (x <= 0) return 1;
  const logFront = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    // Series for P(a, x).
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n <= MAX_ITERATIONS; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPSILON) break;
    }
    return 1 - sum * Math.exp(logFront);
  }
  // Continued fraction for Q(a, x).
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i <= MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  return Math.exp(logFront) * h;
}

/** Φ(x), the standard normal distribution function. */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  // Φ(x) = erfc(−x/√2)/2 and erfc(y) = Q(1/2, y²) for y ≥ 0.
  const tail = 0.5 * upperIncompleteGamma(0.5, (x * x) / 2);
  return x >= 0 ? 1 - tail : tail;
}

function normalDensity(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

// Acklam's rational approximation (relative error 1.15e-9), then one Halley step.
const ACKLAM_A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const ACKLAM_B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const ACKLAM_C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const ACKLAM_D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

function polynomial(coefficients: readonly number[], x: number): number {
  return coefficients.reduce((sum, coefficient) => sum * x + coefficient, 0);
}

/** Φ⁻¹(p), the standard normal quantile, for 0 < p < 1. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return -Infinity;
    if (p === 1) return Infinity;
    return NaN;
  }
  const low = 0.02425;
  let x: number;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = polynomial(ACKLAM_C, q) / (polynomial(ACKLAM_D, q) * q + 1);
  } else if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    x = (polynomial(ACKLAM_A, r) * q) / (polynomial(ACKLAM_B, r) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log1p(-p));
    x = -polynomial(ACKLAM_C, q) / (polynomial(ACKLAM_D, q) * q + 1);
  }
  const error = normalCdf(x) - p;
  const u = error / normalDensity(x);
  return x - u / (1 + (x * u) / 2);
}

/** The z of a two-sided interval at `level` (1.959964 for 0.95). */
export function twoSidedZ(level: number): number {
  assertLevel(level);
  return normalQuantile(1 - (1 - level) / 2);
}

/** P(T ≤ t) for Student's t with `df` degrees of freedom (any real df > 0). */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) return NaN;
  if (!Number.isFinite(t)) return t > 0 ? 1 : 0;
  // P(|T| > t) = I_{df/(df+t²)}(df/2, 1/2).
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The p-quantile of Student's t with `df` degrees of freedom, by bisection on the distribution function. */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) return NaN;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  if (p === 0.5) return 0;
  // The t quantile is at least the normal one; widen until it brackets p.
  let low = normalQuantile(p);
  let high = Math.max(1, 2 * low);
  while (studentTCdf(high, df) < p) {
    low = high;
    high *= 2;
  }
  for (let i = 0; i < 200 && high - low > 1e-13 * high; i++) {
    const middle = (low + high) / 2;
    if (studentTCdf(middle, df) < p) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

function assertLevel(level: number): void {
  if (!(level > 0 && level < 1)) throw new RangeError(`A confidence level is between 0 and 1 (got ${level}).`);
}

// ---------------------------------------------------------------------------
// Intervals

/**
 * The Wilson score interval for a share x/n (without continuity correction;
 * Brown, Cai & DasGupta 2001 recommend it over the Wald interval). `z` defaults
 * to the two-sided z of `level`. Null when n is 0.
 */
export function wilsonInterval(successes: number, n: number, level: number = CONFIDENCE_LEVEL, z: number = twoSidedZ(level)): Interval | null {
  if (!(n > 0)) return null;
  if (successes < 0 || successes > n) throw new RangeError(`A share's successes are between 0 and n (got ${successes} of ${n}).`);
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const halfWidth = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  // At 0 or n the bound is exactly 0 or 1; rounding must not move it.
  return {
    estimate: p,
    lower: successes === 0 ? 0 : Math.max(0, centre - halfWidth),
    upper: successes === n ? 1 : Math.min(1, centre + halfWidth),
    level,
  };
}

/** A mean as the loaders can publish it: additive sums over the cases. */
export interface MeanSummary {
  n: number;
  sum: number;
  sumOfSquares: number;
}

export interface MeanInterval extends Interval {
  /** The sample standard deviation (n − 1 in the denominator). */
  standardDeviation: number;
  standardError: number;
  degreesOfFreedom: number;
}

/** The sample variance from n, Σx and Σx² (clamped at 0: rounding can make it slightly negative). */
function varianceOf({ n, sum, sumOfSquares }: MeanSummary): number {
  return Math.max(0, (sumOfSquares - (sum * sum) / n) / (n - 1));
}

/**
 * mean ± t(1 − α/2, n − 1)·s/√n, with s from Σx and Σx². The t quantile is used
 * at every n (it tends to z as n grows), so small samples get the wider interval
 * they need. Null with fewer than 2 cases (no spread to estimate).
 */
export function meanInterval(summary: MeanSummary, level: number = CONFIDENCE_LEVEL): MeanInterval | null {
  assertLevel(level);
  const { n, sum } = summary;
  if (!(n >= 2)) return null;
  const mean = sum / n;
  const standardDeviation = Math.sqrt(varianceOf(summary));
  const standardError = standardDeviation / Math.sqrt(n);
  const degreesOfFreedom = n - 1;
  const halfWidth = studentTQuantile(1 - (1 - level) / 2, degreesOfFreedom) * standardError;
  return { estimate: mean, lower: mean - halfWidth, upper: mean + halfWidth, level, standardDeviation, standardError, degreesOfFreedom };
}

/**
 * P(Y ≤ k) for Y ~ Binomial(n, p), as a function of k, computed exactly from the
 * terms around the mode (the terms further out are below 1e-20 of the mode's and
 * are dropped): O(√n) work for any n.
 */
export function binomialCdf(n: number, p: number): (k: number) => number {
  if (!(n >= 0 && Number.isInteger(n)) || !(p >= 0 && p <= 1)) throw new RangeError(`Binomial(${n}, ${p}) is not a distribution.`);
  if (p === 0 || p === 1 || n === 0) {
    const atom = p === 1 ? n : 0;
    return (k) => (k < atom ? 0 : 1);
  }
  const mode = Math.min(n, Math.floor((n + 1) * p));
  const odds = p / (1 - p);
  const below: number[] = [];
  for (let k = mode, term = 1; k > 0; k--) {
    term *= (k / (n - k + 1)) / odds;
    if (term < 1e-20) break;
    below.push(term);
  }
  const above: number[] = [];
  for (let k = mode, term = 1; k < n; k++) {
    term *= ((n - k) / (k + 1)) * odds;
    if (term < 1e-20) break;
    above.push(term);
  }
  const first = mode - below.length;
  const terms = [...below.reverse(), 1, ...above];
  const cumulative = new Float64Array(terms.length);
  let running = 0;
  for (let i = 0; i < terms.length; i++) cumulative[i] = running += terms[i] as number;
  return (k) => {
    const index = Math.floor(k) - first;
    if (index < 0) return 0;
    if (index >= terms.length) return 1;
    return (cumulative[index] as number) / running;
  };
}

export interface OrderStatisticRanks {
  /** 1-based ranks of the sorted items that bound the quantile. */
  lowerRank: number;
  upperRank: number;
  /** The exact coverage of [x(lowerRank), x(upperRank)], at least the level asked for. */
  achievedLevel: number;
}

/**
 * The distribution-free confidence interval for the q-quantile of n items
 * (Conover, Practical Nonparametric Statistics, §3.2; Campbell & Gardner, BMJ
 * 1988): ranks r and s with P(Y ≤ r − 1) ≤ α/2 and P(Y ≥ s) ≤ α/2 for
 * Y ~ Binomial(n, q), so [x(r), x(s)] covers the quantile with probability at
 * least `level` (the conservative choice). Null when n is too small for either
 * rank to exist (fewer than 6 items for a 95% interval for the median).
 */
export function orderStatisticRanks(n: number, q: number, level: number = CONFIDENCE_LEVEL): OrderStatisticRanks | null {
  assertLevel(level);
  if (!(q > 0 && q < 1)) throw new RangeError(`A quantile is between 0 and 1 (got ${q}).`);
  if (!(n >= 1)) return null;
  const cdf = binomialCdf(n, q);
  const tail = (1 - level) / 2;
  // A hair of slack so a tail that is exactly α/2 is not lost to rounding.
  const slack = 1e-12;
  // r − 1 = the largest k with P(Y ≤ k) ≤ α/2; found by bisection (the CDF increases).
  let lo = -1;
  let hi = n;
  while (hi - lo > 1) {
    const k = Math.floor((lo + hi) / 2);
    if (cdf(k) <= tail + slack) lo = k;
    else hi = k;
  }
  const lowerRank = lo + 1;
  // s − 1 = the smallest k with P(Y ≤ k) ≥ 1 − α/2.
  lo = -1;
  hi = n;
  while (hi - lo > 1) {
    const k = Math.floor((lo + hi) / 2);
    if (cdf(k) >= 1 - tail - slack) hi = k;
    else lo = k;
  }
  const upperRank = hi + 1;
  if (lowerRank < 1 || upperRank > n) return null;
  return { lowerRank, upperRank, achievedLevel: cdf(upperRank - 1) - cdf(lowerRank - 1) };
}

/** The histogram bin holding the item of 1-based rank `rank` (items sorted by bin). */
function binOfRank(histogram: readonly HistogramBin[], rank: number): HistogramBin | null {
  let before = 0;
  for (const bin of histogram) {
    if (rank <= before + bin.n) return bin;
    before += bin.n;
  }
  return null;
}

/** The bins in value order (mergeHistogram already sorts them; a hand-built histogram may not be). */
function sortedBins(histogram: readonly HistogramBin[]): readonly HistogramBin[] {
  return histogram.every((bin, i) => i === 0 || (histogram[i - 1] as HistogramBin).bin <= bin.bin) ? histogram : [...histogram].sort((a, b) => a.bin - b.bin);
}

function itemCount(histogram: readonly HistogramBin[]): number {
  return histogram.reduce((sum, { n }) => sum + n, 0);
}

export interface QuantileInterval extends Interval, OrderStatisticRanks {
  /** Items behind it. */
  n: number;
}

/**
 * The order-statistic confidence interval for the q-quantile (q = 0.5: the
 * median) of the items a histogram counts (bins sorted by value, as
 * mergeHistogram returns them). The bounds are bin edges: the lower edge of the
 * bin holding rank r and the upper edge of the bin holding rank s, so the
 * interval is conservative for the binning too (with `exact` bins the edges are
 * the values). The estimate is histogramQuantile's. Null when there are too few
 * items (see orderStatisticRanks).
 */
export function histogramQuantileInterval(unsorted: readonly HistogramBin[], binning: Binning, q: number, level: number = CONFIDENCE_LEVEL): QuantileInterval | null {
  const histogram = sortedBins(unsorted);
  const n = itemCount(histogram);
  const ranks = orderStatisticRanks(n, q, level);
  const estimate = histogramQuantile(histogram, binning, q);
  if (!ranks || estimate === null) return null;
  const lowerBin = binOfRank(histogram, ranks.lowerRank);
  const upperBin = binOfRank(histogram, ranks.upperRank);
  if (!lowerBin || !upperBin) return null;
  return { estimate, lower: binEdges(binning, lowerBin.bin)[0], upper: binEdges(binning, upperBin.bin)[1], level, n, ...ranks };
}

export interface HistogramQuantileEstimate {
  /** histogramQuantile's value (interpolated inside the bins). */
  value: number;
  /**
   * Where the exact sample quantile (DuckDB's quantile_cont over the items) can
   * be, given only the bins: the lower edge of the bin of the item below the
   * quantile's position and the upper edge of the bin of the item above it.
   */
  binLower: number;
  binUpper: number;
  n: number;
}

/** A quantile read from a histogram, with the bounds the binning leaves on it. Null for an empty histogram. */
export function histogramQuantileWithBinError(unsorted: readonly HistogramBin[], binning: Binning, q: number): HistogramQuantileEstimate | null {
  const histogram = sortedBins(unsorted);
  const n = itemCount(histogram);
  const value = histogramQuantile(histogram, binning, q);
  if (value === null || n <= 0) return null;
  const position = q * (n - 1);
  const below = binOfRank(histogram, Math.floor(position) + 1);
  const above = binOfRank(histogram, Math.ceil(position) + 1);
  if (!below || !above) return null;
  return { value, binLower: binEdges(binning, below.bin)[0], binUpper: binEdges(binning, above.bin)[1], n };
}

export interface P90Estimate extends HistogramQuantileEstimate {
  /** The order-statistic interval for the population p90 (null with too few items: fewer than 36 at 95%). */
  interval: QuantileInterval | null;
}

/** The 90th percentile of a histogram, with its binning bounds and its confidence interval. */
export function histogramP90(histogram: readonly HistogramBin[], binning: Binning, level: number = CONFIDENCE_LEVEL): P90Estimate | null {
  const estimate = histogramQuantileWithBinError(histogram, binning, 0.9);
  if (!estimate) return null;
  return { ...estimate, interval: histogramQuantileInterval(histogram, binning, 0.9, level) };
}

// ---------------------------------------------------------------------------
// Tests

export interface TestResult {
  /** The test statistic (z or t). */
  statistic: number;
  /** Two-sided p-value. */
  pValue: number;
  /** first − second, in the measure's unit (a fraction for shares). */
  difference: number;
}

/**
 * The two-proportion z-test with the pooled variance (equivalent to Pearson's
 * χ² test of the 2×2 table without continuity correction: z² = χ²). Null when
 * either n is 0, or when the pooled share is 0 or 1 (no variation: no test).
 */
export function twoProportionZTest(successes1: number, n1: number, successes2: number, n2: number): TestResult | null {
  if (!(n1 > 0 && n2 > 0)) return null;
  const pooled = (successes1 + successes2) / (n1 + n2);
  const variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2);
  if (!(variance > 0)) return null;
  const difference = successes1 / n1 - successes2 / n2;
  const statistic = difference / Math.sqrt(variance);
  return { statistic, pValue: 2 * normalCdf(-Math.abs(statistic)), difference };
}

/**
 * Newcombe's hybrid score interval for p₁ − p₂ (Newcombe 1998, Statistics in
 * Medicine 17:873–890, method 10), built from the two Wilson intervals.
 */
export function newcombeDifferenceInterval(successes1: number, n1: number, successes2: number, n2: number, level: number = CONFIDENCE_LEVEL): Interval | null {
  const first = wilsonInterval(successes1, n1, level);
  const second = wilsonInterval(successes2, n2, level);
  if (!first || !second) return null;
  const difference = first.estimate - second.estimate;
  const lower = difference - Math.sqrt((first.estimate - first.lower) ** 2 + (second.upper - second.estimate) ** 2);
  const upper = difference + Math.sqrt((first.upper - first.estimate) ** 2 + (second.estimate - second.lower) ** 2);
  return { estimate: difference, lower, upper, level };
}

export interface WelchResult extends TestResult {
  /** Welch–Satterthwaite degrees of freedom. */
  degreesOfFreedom: number;
  standardError: number;
}

/**
 * Welch's two-sample t-test from summary statistics (unequal variances,
 * Welch–Satterthwaite degrees of freedom). Null with fewer than 2 cases on a
 * side, or when both sides have no spread.
 */
export function welchTTest(first: MeanSummary, second: MeanSummary): WelchResult | null {
  if (!(first.n >= 2 && second.n >= 2)) return null;
  const a = varianceOf(first) / first.n;
  const b = varianceOf(second) / second.n;
  const variance = a + b;
  if (!(variance > 0)) return null;
  const difference = first.sum / first.n - second.sum / second.n;
  const standardError = Math.sqrt(variance);
  const statistic = difference / standardError;
  const degreesOfFreedom = (variance * variance) / ((a * a) / (first.n - 1) + (b * b) / (second.n - 1));
  return { statistic, pValue: 2 * studentTCdf(-Math.abs(statistic), degreesOfFreedom), difference, degreesOfFreedom, standardError };
}

/** The interval for the difference of means a Welch test implies: difference ± t(df)·SE. */
export function welchDifferenceInterval(result: WelchResult, level: number = CONFIDENCE_LEVEL): Interval {
  const halfWidth = studentTQuantile(1 - (1 - level) / 2, result.degreesOfFreedom) * result.standardError;
  return { estimate: result.difference, lower: result.difference - halfWidth, upper: result.difference + halfWidth, level };
}

/**
 * Mood's median test as a two-proportion z-test: the share of each period's
 * items above the pooled median. From histograms the pooled median is a bin, so
 * items are counted as "above that bin" or not (for exact bins this is the
 * usual "greater than the median" split with ties counted below).
 */
export function moodMedianTest(first: readonly HistogramBin[], second: readonly HistogramBin[]): TestResult | null {
  const n1 = itemCount(first);
  const n2 = itemCount(second);
  if (!(n1 > 0 && n2 > 0)) return null;
  const pooled = new Map<number, number>();
  for (const { bin, n } of [...first, ...second]) pooled.set(bin, (pooled.get(bin) ?? 0) + n);
  const sorted = [...pooled].map(([bin, n]) => ({ bin, n })).sort((x, y) => x.bin - y.bin);
  const medianBin = binOfRank(sorted, Math.ceil((n1 + n2) / 2));
  if (!medianBin) return null;
  const count = (histogram: readonly HistogramBin[], keep: (bin: number) => boolean) => histogram.filter(({ bin }) => keep(bin)).reduce((sum, { n }) => sum + n, 0);
  const above = (bin: number) => bin > medianBin.bin;
  // When nothing lies above the median's bin (its ties fill the top), count the items from that bin up instead.
  const fromMedian = (bin: number) => bin >= medianBin.bin;
  return (
    twoProportionZTest(count(first, above), n1, count(second, above), n2) ??
    twoProportionZTest(count(first, fromMedian), n1, count(second, fromMedian), n2)
  );
}

// ---------------------------------------------------------------------------
// The change rule

/** What a period's figure is computed from, by kind of measure. */
export type PeriodEstimate =
  | { kind: "share"; successes: number; n: number }
  | ({ kind: "mean" } & MeanSummary)
  | { kind: "median"; histogram: readonly HistogramBin[]; binning: Binning };

/** The interval of a period's estimate at `level` (Wilson, t, order statistic). */
export function estimateInterval(estimate: PeriodEstimate, level: number = CONFIDENCE_LEVEL): Interval | null {
  switch (estimate.kind) {
    case "share":
      return wilsonInterval(estimate.successes, estimate.n, level);
    case "mean":
      return meanInterval(estimate, level);
    case "median":
      return histogramQuantileInterval(estimate.histogram, estimate.binning, 0.5, level);
  }
}

export interface ChangeVerdict {
  /**
   * "up" / "down": the change is unlikely to be noise at `level` (show the
   * arrow); "within-noise": within normal variation (no arrow);
   * "insufficient-data": too few cases in a period to test.
   */
  verdict: "up" | "down" | "within-noise" | "insufficient-data";
  level: number;
  test: "two-proportion z-test" | "Welch t-test" | "Mood's median test";
  /** Two-sided p-value, null when no test could be made. */
  pValue: number | null;
  /** current − previous of the point estimates (null when either is missing). */
  difference: number | null;
  /** Short text for the card, e.g. "within normal variation". */
  text: string;
}

const TESTS: Record<PeriodEstimate["kind"], ChangeVerdict["test"]> = {
  share: "two-proportion z-test",
  mean: "Welch t-test",
  median: "Mood's median test",
};

function pointEstimate(estimate: PeriodEstimate): number | null {
  switch (estimate.kind) {
    case "share":
      return estimate.n > 0 ? estimate.successes / estimate.n : null;
    case "mean":
      return estimate.n > 0 ? estimate.sum / estimate.n : null;
    case "median":
      return histogramQuantile(sortedBins(estimate.histogram), estimate.binning, 0.5);
  }
}

function percent(level: number): string {
  return `${Math.round(level * 1000) / 10}%`;
}

/**
 * Whether the change from `previous` to `current` is unlikely to be noise: the
 * one place the site's "arrow or within normal variation" rule lives. Shares: a
 * two-proportion z-test; means: Welch's t-test; medians: Mood's median test;
 * each two-sided at `level` (95%). An arrow also needs the point estimates to
 * move the way the test says (a median can stay on the same bin while the items
 * above it grow: no arrow on the median then). `changeRuleExplanation` says the
 * same in words for the footnotes.
 */
export function changeVerdict(current: PeriodEstimate, previous: PeriodEstimate, level: number = CONFIDENCE_LEVEL): ChangeVerdict {
  assertLevel(level);
  if (current.kind !== previous.kind) throw new TypeError(`A ${current.kind} cannot be compared with a ${previous.kind}.`);
  const test = TESTS[current.kind];
  const now = pointEstimate(current);
  const before = pointEstimate(previous);
  const difference = now === null || before === null ? null : now - before;
  let result: TestResult | null;
  if (current.kind === "share" && previous.kind === "share") result = twoProportionZTest(current.successes, current.n, previous.successes, previous.n);
  else if (current.kind === "mean" && previous.kind === "mean") result = welchTTest(current, previous);
  else if (current.kind === "median" && previous.kind === "median") result = moodMedianTest(current.histogram, previous.histogram);
  else result = null;
  const tooFew = (estimate: PeriodEstimate) =>
    estimate.kind === "share" ? !(estimate.n > 0) : estimate.kind === "mean" ? !(estimate.n >= 2) : itemCount(estimate.histogram) === 0;
  if (tooFew(current) || tooFew(previous) || difference === null) {
    return { verdict: "insufficient-data", level, test, pValue: null, difference, text: "too few cases to compare" };
  }
  const noise = { verdict: "within-noise" as const, level, test, difference, text: "within normal variation" };
  // No variation on either side (every share 0 or 1, every value equal): only a real difference counts.
  if (!result) return difference === 0 || current.kind === "median" ? { ...noise, pValue: null } : { verdict: difference > 0 ? "up" : "down", level, test, pValue: null, difference, text: `change unlikely to be noise (${percent(level)} level)` };
  const significant = result.pValue < 1 - level;
  const sameWay = Math.sign(result.difference) === Math.sign(difference) && difference !== 0;
  if (!significant || !sameWay) return { ...noise, pValue: result.pValue };
  return { verdict: difference > 0 ? "up" : "down", level, test, pValue: result.pValue, difference, text: `change unlikely to be noise (${percent(level)} level)` };
}

/** The footnote that explains the change rule, at `level`. */
export function changeRuleExplanation(level: number = CONFIDENCE_LEVEL): string {
  const alpha = Math.round((1 - level) * 1000) / 10;
  return (
    `A change against the previous period gets an arrow only when it is unlikely to be noise: ` +
    `when a two-sided test at the ${percent(level)} level rejects "no change" (a chance of at most ${alpha}% of seeing a change this large if nothing changed). ` +
    `Shares use a two-proportion z-test, averages Welch's t-test, medians Mood's median test. ` +
    `Otherwise the card says "within normal variation". Two intervals can overlap a little while the change is still unlikely to be noise. ` +
    `Counts are compared as the mean of their daily counts (Welch's t-test over the days of each period), so the usual day-to-day swings of a count, wider than chance alone would give, are not read as a change. ` +
    // "Wilson's", not " Wilson ": the demo's simulated visitors include a Wilson, and the privacy scan rightly flags any 8 characters of a name.
    `Intervals are ${percent(level)} intervals: for shares Wilson's score interval, for averages the t interval, for medians the order-statistic interval (from the histogram bins, conservative), and for a count the daily mean's t interval times the days.`
  );
}
