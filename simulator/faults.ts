/**
 * Request faults. Each kind has a rate (0..1); whether a request is faulted is decided by
 * hashing (seed, kind, request signature, attempt number), and only the first
 * `faultedAttempts` attempts of a signature can be faulted, so a retrying client always
 * gets through and a rerun with the same seed sees the same faults.
 */
import { createHash } from "node:crypto";
import { LruCache } from "./lru.js";
import { unitFromKey } from "./rng.js";

export interface FaultRates {
  /** Adds `faultLatencyMs` before the response. */
  latency: number;
  /** 429 with a `Retry-After` header. */
  rateLimit: number;
  /** 429 without `Retry-After` (LivePerson documents none). */
  rateLimitWithoutRetryAfter: number;
  /** 500, 502 or 503. */
  serverError: number;
  /** The socket is destroyed after part of the body. */
  connectionReset: number;
  /** A 200 whose body is truncated or otherwise invalid JSON. */
  truncatedBody: number;
  /** The body trickles out in chunks over `slowBodyMs`. */
  slowBody: number;
  /** LivePerson search pages with `partialResult: true` and a shard's records missing. */
  partialResult: number;
  /** Share of records (not requests) that break the schema, the same in every response and in the export. */
  invalidRecord: number;
}

export const NO_FAULTS: FaultRates = {
  latency: 0,
  rateLimit: 0,
  rateLimitWithoutRetryAfter: 0,
  serverError: 0,
  connectionReset: 0,
  truncatedBody: 0,
  slowBody: 0,
  partialResult: 0,
  invalidRecord: 0,
};

/** Every fault switched on at the same rate (the CLI's --fault-rate, the demo's SI_DEMO_FAULT_RATE). */
export function everyFaultAt(rate: number): FaultRates {
  return Object.fromEntries(Object.keys(NO_FAULTS).map((fault) => [fault, rate])) as unknown as FaultRates;
}

export type StatusFault = "rate_limit" | "rate_limit_no_retry_after" | "server_error";
export type BodyFault = "connection_reset" | "truncated_body" | "slow_body";

export interface FaultDecision {
  attempt: number;
  latency: boolean;
  status: StatusFault | null;
  /** 500, 502 or 503 when `status` is server_error. */
  serverErrorCode: 500 | 502 | 503;
  body: BodyFault | null;
  /** For truncated_body: cut the JSON short (true) or corrupt it (false). */
  truncate: boolean;
  partialResult: boolean;
}

export interface FaultSettings {
  seed: number;
  rates: FaultRates;
  faultedAttempts: number;
}

export class FaultPlan {
  /** Attempts seen per request signature (bounded; an evicted signature starts over). */
  private readonly attempts = new LruCache<string, number>(100_000);

  constructor(private readonly settings: FaultSettings) {}

  /** Counts this attempt and decides its faults. */
  decide(signature: string): FaultDecision {
    const attempt = this.attempts.get(signature) ?? 0;
    this.attempts.set(signature, attempt + 1);
    const { seed, rates, faultedAttempts } = this.settings;
    const eligible = attempt < faultedAttempts;
    const hit = (kind: string, rate: number): boolean => eligible && rate > 0 && unitFromKey(seed, "fault", kind, signature, attempt) < rate;
    let status: StatusFault | null = null;
    if (hit("rate_limit", rates.rateLimit)) status = "rate_limit";
    else if (hit("rate_limit_no_retry_after", rates.rateLimitWithoutRetryAfter)) status = "rate_limit_no_retry_after";
    else if (hit("server_error", rates.serverError)) status = "server_error";
    let body: BodyFault | null = null;
    if (status === null) {
      if (hit("connection_reset", rates.connectionReset)) body = "connection_reset";
      else if (hit("truncated_body", rates.truncatedBody)) body = "truncated_body";
      else if (hit("slow_body", rates.slowBody)) body = "slow_body";
    }
    const codes = [500, 502, 503] as const;
    return {
      attempt,
      latency: hit("latency", rates.latency),
      status,
      serverErrorCode: codes[Math.floor(unitFromKey(seed, "fault-code", signature, attempt) * 3)] ?? 500,
      body,
      truncate: unitFromKey(seed, "fault-truncate", signature, attempt) < 0.5,
      partialResult: status === null && body === null && hit("partial_result", rates.partialResult),
    };
  }
}

/**
 * What identifies "the same request" for retries: method, path, query (OAuth parameters
 * excluded: their nonce changes on every retry) and a hash of the body.
 */
export function requestSignature(method: string, url: URL, body: string): string {
  const query = [...url.searchParams.entries()]
    .filter(([name]) => !name.startsWith("oauth_"))
    .sort(([a, av], [b, bv]) => (a === b ? av.localeCompare(bv) : a.localeCompare(b)))
    .map(([name, value]) => `${name}=${value}`)
    .join("&");
  const bodyHash = body ? createHash("sha1").update(body).digest("hex") : "";
  return `${method} ${url.pathname}?${query} ${bodyHash}`;
}
