import { describe, expect, it } from "vitest";
import {
  evaluateTarget,
  extrapolateQuadratic,
  formatBytes,
  formatSeconds,
  missText,
  ratio,
  requestBoundPerSecond,
  searchBoundRecordsPerSecond,
} from "../../bench/lib/bound.js";

describe("the throughput bound", () => {
  it("is C x 100 records per L", () => {
    expect(searchBoundRecordsPerSecond(4, 50)).toBe(8000);
    expect(searchBoundRecordsPerSecond(8, 50)).toBe(16000);
    expect(searchBoundRecordsPerSecond(1, 250)).toBe(400);
    expect(requestBoundPerSecond(4, 50)).toBe(80);
  });

  it("refuses a zero latency or concurrency, which has no bound", () => {
    expect(() => searchBoundRecordsPerSecond(0, 50)).toThrow(RangeError);
    expect(() => searchBoundRecordsPerSecond(4, 0)).toThrow(RangeError);
  });
});

describe("ratios and targets", () => {
  it("gives no ratio for a missing or zero denominator", () => {
    expect(ratio(10, 4)).toBe(2.5);
    expect(ratio(10, 0)).toBeNull();
    expect(ratio(null, 4)).toBeNull();
    expect(ratio(10, undefined)).toBeNull();
  });

  it("judges lower and upper limits, including the limit itself", () => {
    const base = { id: "x", label: "x", unit: "ratio" as const };
    expect(evaluateTarget({ ...base, measured: 0.9, limit: 0.9, direction: "at-least" }).met).toBe(true);
    expect(evaluateTarget({ ...base, measured: 0.89, limit: 0.9, direction: "at-least" }).met).toBe(false);
    expect(evaluateTarget({ ...base, measured: 2, limit: 2, direction: "at-most" }).met).toBe(true);
    expect(evaluateTarget({ ...base, measured: 2.01, limit: 2, direction: "at-most" }).met).toBe(false);
    const unmeasured = evaluateTarget({ ...base, measured: null, limit: 2, direction: "at-most" });
    expect(unmeasured.met).toBeNull();
    expect(unmeasured.miss).toBe("not measured");
  });

  it("says by how much a target is missed", () => {
    expect(missText(0.45, 0.9, "at-least")).toBe("by 2.0x (50% short)");
    expect(missText(0.8, 0.9, "at-least")).toBe("by 11%");
    expect(missText(3, 2, "at-most")).toBe("by 50%");
    expect(missText(5, 1, "at-most")).toBe("by 5.0x");
    expect(missText(40, 1, "at-most")).toBe("by 40x");
    expect(evaluateTarget({ id: "x", label: "x", unit: "ratio", measured: 0.9, limit: 0.9, direction: "at-least" }).miss).toBe("");
  });
});

describe("formatting", () => {
  it("uses binary units, as the limits mean them", () => {
    expect(formatBytes(1024 ** 3)).toBe("1.0 GiB");
    expect(formatBytes(2 * 1024 ** 2)).toBe("2.0 MiB");
    expect(formatBytes(812 * 1024 ** 2)).toBe("812 MiB");
    expect(formatBytes(900)).toBe("900 B");
    expect(formatBytes(null)).toBe("–");
  });

  it("writes durations for a reader", () => {
    expect(formatSeconds(0.25)).toBe("250 ms");
    expect(formatSeconds(12.34)).toBe("12.3 s");
    expect(formatSeconds(3723)).toBe("62 min 3 s");
  });
});

describe("extrapolation", () => {
  it("recovers a quadratic cost from two runs", () => {
    const cost = (n: number) => 0.002 * n + 1e-7 * n * n;
    const predicted = extrapolateQuadratic([{ records: 30_000, seconds: cost(30_000) }, { records: 120_000, seconds: cost(120_000) }], 1_000_000);
    expect(predicted).toBeCloseTo(cost(1_000_000), 6);
  });

  it("declines when the runs do not fit a growing cost", () => {
    expect(extrapolateQuadratic([{ records: 100, seconds: 10 }, { records: 100, seconds: 20 }], 1000)).toBeNull();
    expect(extrapolateQuadratic([{ records: 100, seconds: 10 }, { records: 200, seconds: 5 }], 1000)).toBeNull();
    expect(extrapolateQuadratic([{ records: 100, seconds: 10 }], 1000)).toBeNull();
  });
});
