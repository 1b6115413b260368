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

export function exponential(baseMs: number, failedAttempts: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, failedAttempts - 1));
}

/** "Equal jitter": half fixed, half random, so retries spread out but never collapse to zero. */
export function withJitter(delayMs: number, random: () => number): number {
  return Math.round(delayMs / 2 + (random() * delayMs) / 2);
}

export interface JitteredExponentialOptions {
  baseDelayMs?: number;
  maxDelayMs?: number;
  maxAttempts?: number;
  retryStatuses?: readonly number[];
}

/** Generic policy for vendors that publish none (Upscope, Agendize); LivePerson's own is in liveperson/retry-policy.ts. */
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
