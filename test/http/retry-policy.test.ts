import { describe, expect, it } from "vitest";
import {
  jitteredExponentialPolicy,
  parseRetryAfter,
  type RequestFailure,
} from "../../data-loaders/http/retry-policy.js";
import { livePersonPolicy } from "../../data-loaders/liveperson/retry-policy.js";

const status = (code: number, retryAfterMs?: number): RequestFailure => ({ kind: "status", status: code, retryAfterMs });
const delays = (decide: (attempt: number) => { retry: boolean; delayMs?: number }, attempts: number) =>
  Array.from({ length: attempts }, (_, index) => {
    const decision = decide(index + 1);
    return decision.retry ? decision.delayMs : "stop";
  });

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  it("reads delta-seconds", () => expect(parseRetryAfter("7", now)).toBe(7000));
  it("reads an HTTP-date relative to now", () =>
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:30 GMT", now)).toBe(30_000));
  it("clamps a date in the past to 0", () => expect(parseRetryAfter("Wed, 31 Dec 2025 23:00:00 GMT", now)).toBe(0));
  it("ignores absent and garbage values", () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
  });
});

describe("livePersonPolicy (published policy)", () => {
  const policy = livePersonPolicy();
  const random = () => 0.5;

  it("5xx: 5, 10, 15 s then exponential, capped", () => {
    expect(delays((n) => policy.decide(status(503), n, random), 7)).toEqual([5000, 10000, 15000, 30000, 60000, 120000, 120000]);
    expect(policy.decide(status(500), 1, random)).toEqual({ retry: true, delayMs: 5000, pauseSource: false });
  });

  it("429: at least 1 s, doubling, and pauses the whole source", () => {
    expect(policy.decide(status(429), 1, random)).toEqual({ retry: true, delayMs: 1000, pauseSource: true });
    expect(policy.decide(status(429), 3, random)).toEqual({ retry: true, delayMs: 4000, pauseSource: true });
    expect(policy.decide(status(429, 0), 1, random)).toMatchObject({ delayMs: 1000 });
    expect(policy.decide(status(429, 9000), 1, random)).toMatchObject({ delayMs: 9000 });
  });

  it("Retry-After is a floor for 5xx too", () => {
    expect(policy.decide(status(503, 20_000), 1, random)).toMatchObject({ delayMs: 20_000 });
    expect(policy.decide(status(503, 1_000), 1, random)).toMatchObject({ delayMs: 5_000 });
  });

  it("other 4xx: never", () => {
    for (const code of [400, 401, 403, 404, 409, 422]) expect(policy.decide(status(code), 1, random)).toEqual({ retry: false });
  });

  it("network errors and unparseable bodies are retried with backoff", () => {
    expect(policy.decide({ kind: "network", code: "ECONNRESET" }, 1, () => 0)).toEqual({ retry: true, delayMs: 500, pauseSource: false });
    expect(policy.decide({ kind: "invalid-json" }, 2, () => 0.999999)).toMatchObject({ retry: true, delayMs: 2000 });
  });
});

describe("jitteredExponentialPolicy (Upscope, Agendize)", () => {
  const policy = jitteredExponentialPolicy({ baseDelayMs: 1000, maxDelayMs: 8000 });

  it("doubles with equal jitter between half and the full delay, capped", () => {
    expect(delays((n) => policy.decide(status(502), n, () => 0), 5)).toEqual([500, 1000, 2000, 4000, 4000]);
    expect(delays((n) => policy.decide(status(502), n, () => 0.999999), 5)).toEqual([1000, 2000, 4000, 8000, 8000]);
  });

  it("honours Retry-After exactly when present", () => {
    expect(policy.decide(status(429, 12_000), 1, () => 0)).toEqual({ retry: true, delayMs: 12_000, pauseSource: true });
    expect(policy.decide(status(503, 0), 3, () => 0)).toMatchObject({ delayMs: 0 });
  });

  it("does not retry client errors", () => {
    expect(policy.decide(status(400), 1, () => 0)).toEqual({ retry: false });
    expect(policy.decide(status(401), 1, () => 0)).toEqual({ retry: false });
  });
});
