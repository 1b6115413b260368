/**
 * Retry policies: pure functions from "what went wrong, how often" to "wait how
 * long, or give up". Kept free of I/O and clocks so the delays are unit-testable
 * and the client can scale them for tests.
 */

export type RequestFailure =
  | { kind: "status"; status: number; retryAfterMs: number | undefined }
  | { kind: "network"; code: string }
  | { kind: "invalid-json" };

export type RetryDecision =
  | { retry: false }
  /** `pauseSource`: every request of the source waits, not only this one (LivePerson's "no bursts" after a 429). */
  | { retry: true; delayMs: number; pauseSource: boolean };

export interface RetryPolicy {
  readonly name: string;
  /** Total attempts including the first. */
  readonly maxAttempts: number;
  /** `failedAttempts` counts this failure too (1 after the first attempt failed). `random` returns [0, 1). */
  decide(failure: RequestFailure, failedAttempts: number, random: () => number): RetryDecision;
}

/** Network error codes worth retrying: the request may not have reached the server, or its answer was cut short. */
export const RETRYABLE_NETWORK_CODES: ReadonlySet<string> = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_RES_CONTENT_LENGTH_MISMATCH",
  "UND_ERR_CLOSED",
]);

/**
 * `Retry-After` is either delta-seconds or an HTTP-date (RFC 9110 §10.2.3).
 * Returns milliseconds from `nowMs`, never negative; undefined when absent or unparseable.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const dateMs = Date.parse(trimmed);
  if (Number.isNaN(dateMs)) return undefined;
  return Math.max(0, dateMs - nowMs);
}

function exponential(baseMs: number, failedAttempts: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, failedAttempts - 1));
}

/** "Equal jitter": half fixed, half random, so retries spread out but never collapse to zero. */
function withJitter(delayMs: number, random: () => number): number {
  return Math.round(delayMs / 2 + (random() * delayMs) / 2);
}

export interface JitteredExponentialOptions {
  baseDelayMs?: number;
  maxDelayMs?: number;
  maxAttempts?: number;
  retryStatuses?: readonly number[];
}

/** Generic policy for Upscope and Agendize, which publish none. */
export function jitteredExponentialPolicy(options: JitteredExponentialOptions = {}): RetryPolicy {
  const baseDelayMs = options.baseDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  const retryStatuses = new Set(options.retryStatuses ?? [408, 425, 429, 500, 502, 503, 504]);
  return {
    name: "jittered-exponential",
    maxAttempts: options.maxAttempts ?? 6,
    decide(failure, failedAttempts, random) {
      if (failure.kind === "status" && !retryStatuses.has(failure.status)) return { retry: false };
      const backoff = withJitter(exponential(baseDelayMs, failedAttempts, maxDelayMs), random);
      const retryAfterMs = failure.kind === "status" ? failure.retryAfterMs : undefined;
      // Retry-After is the server's explicit instruction and replaces the guess.
      const delayMs = retryAfterMs ?? backoff;
      return { retry: true, delayMs, pauseSource: failure.kind === "status" && failure.status === 429 };
    },
  };
}

export interface LivePersonPolicyOptions {
  maxAttempts?: number;
  /** Cap of the exponential phase after the published 5/10/15 s schedule. */
  maxDelayMs?: number;
  /** Minimum pause after a 429 (published: at least 1 s). */
  minRateLimitDelayMs?: number;
  /** Backoff for network errors and truncated bodies, which the published policy does not cover. */
  networkBaseDelayMs?: number;
}

/**
 * LivePerson's published policy: 429 -> wait at least 1 s and avoid bursts (the whole
 * source pauses); 5xx -> retry after 5, 10, 15 s, then back off exponentially;
 * any other 4xx -> never retry. A Retry-After header, when sent, is a floor.
 */
export function livePersonPolicy(options: LivePersonPolicyOptions = {}): RetryPolicy {
  const maxDelayMs = options.maxDelayMs ?? 120_000;
  const minRateLimitDelayMs = options.minRateLimitDelayMs ?? 1_000;
  const networkBaseDelayMs = options.networkBaseDelayMs ?? 1_000;
  const serverErrorSchedule = [5_000, 10_000, 15_000];
  return {
    name: "liveperson",
    maxAttempts: options.maxAttempts ?? 8,
    decide(failure, failedAttempts, random) {
      if (failure.kind === "status") {
        const retryAfterMs = failure.retryAfterMs ?? 0;
        if (failure.status === 429) {
          // Doubling on repeated 429s keeps a rate-limited source from bursting again at the 1 s mark.
          const delayMs = Math.max(retryAfterMs, exponential(minRateLimitDelayMs, failedAttempts, maxDelayMs));
          return { retry: true, delayMs, pauseSource: true };
        }
        if (failure.status >= 500) {
          const scheduled = serverErrorSchedule[failedAttempts - 1];
          const last = serverErrorSchedule[serverErrorSchedule.length - 1] ?? 15_000;
          const delayMs =
            scheduled ?? Math.min(maxDelayMs, last * 2 ** (failedAttempts - serverErrorSchedule.length));
          return { retry: true, delayMs: Math.max(retryAfterMs, delayMs), pauseSource: false };
        }
        return { retry: false };
      }
      return {
        retry: true,
        delayMs: withJitter(exponential(networkBaseDelayMs, failedAttempts, maxDelayMs), random),
        pauseSource: false,
      };
    },
  };
}
