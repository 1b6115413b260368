/** LivePerson's published retry policy (vendor-apis.md), on the shared backoff helpers. */
import { exponential, withJitter, type RetryPolicy } from "../http/index.js";

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
