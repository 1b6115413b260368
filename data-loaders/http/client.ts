/**
 * The HTTP client every source uses: undici only.
 *
 * - Connections: one undici `Agent` per client, which keeps one keep-alive `Pool`
 *   per origin (host), with connect, headers and body timeouts.
 * - Concurrency: a per-source semaphore (see concurrency.ts).
 * - Retries: a loop written here rather than undici's RetryAgent/RetryHandler,
 *   because the retried unit must include reading the *whole* body and parsing the
 *   JSON (a truncated or unparseable body is retried, never half-used), a 429 from
 *   LivePerson must pause every request of the source (not just the one that got
 *   it), and the run has a total time budget. RetryHandler resumes bodies with
 *   Range requests and sees neither the parsed body nor the other requests.
 * - Secrets: errors and events carry redacted URLs only, and any echo of a secret
 *   value in a response body is scrubbed (see redact.ts).
 */
import { setTimeout as delay, setImmediate as nextMacrotask } from "node:timers/promises";
import { Agent, type Dispatcher } from "undici";
import { createConcurrencyLimiter, type ConcurrencyLimiter } from "./concurrency.js";
import {
  HttpBudgetExhaustedError,
  HttpRetriesExhaustedError,
  HttpStatusError,
  HttpTransportError,
  type HttpErrorDetails,
} from "./errors.js";
import { collectSecretValues, redactUrl, scrubSecrets } from "./redact.js";
import { RETRYABLE_NETWORK_CODES, parseRetryAfter, type RequestFailure, type RetryPolicy } from "./retry-policy.js";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface JsonRequest {
  method: HttpMethod;
  url: string | URL;
  /**
   * Request headers, or a function called before *every* attempt (OAuth 1.0a needs a
   * fresh nonce and timestamp per attempt).
   */
  headers?: Readonly<Record<string, string>> | (() => Readonly<Record<string, string>>);
  /** Sent as JSON (`content-type: application/json` unless given). */
  body?: JsonValue;
  /** Overrides the client's default policy for this request. */
  policy?: RetryPolicy;
  signal?: AbortSignal;
  /**
   * Non-2xx statuses returned as results instead of thrown (e.g. Upscope's 404 for an
   * unknown visitor). Their body is parsed if it is JSON, else `json` is null.
   */
  acceptStatuses?: readonly number[];
}

export interface JsonResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed body: validate it (zod) before use. */
  json: unknown;
  /** The body exactly as received, for the raw archive. */
  text: string;
  attempts: number;
}

interface EventBase {
  source: string;
  method: HttpMethod;
  /** Redacted. */
  url: string;
  attempt: number;
}

export type HttpEvent =
  | (EventBase & { type: "request" })
  | (EventBase & { type: "response"; status: number; durationMs: number })
  | (EventBase & {
      type: "retry";
      reason: string;
      /** As computed by the policy, before `delayScale`. */
      delayMs: number;
      /** What is actually slept. */
      scaledDelayMs: number;
      pauseSource: boolean;
    })
  | (EventBase & { type: "give-up"; reason: string });

export interface HttpClientStats {
  requests: number;
  responses: number;
  retries: number;
  failures: number;
}

export interface HttpClientOptions {
  /** Names the source in events, stats and errors ("upscope", "liveperson", …). */
  source: string;
  defaultPolicy: RetryPolicy;
  /** Requests of this source in flight at once. Default 4. */
  maxConcurrency?: number;
  /** Sockets per origin; defaults to maxConcurrency. */
  connectionsPerHost?: number;
  connectTimeoutMs?: number;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  keepAliveTimeoutMs?: number;
  /**
   * Total time budget, counted from client creation: a retry whose wait would end past
   * it is not attempted and the request fails with HttpBudgetExhaustedError. Default 15 min.
   */
  budgetMs?: number;
  /** Absolute end of the budget (epoch ms), to share one run-wide deadline between sources. Overrides budgetMs. */
  deadline?: number;
  /** Multiplies every retry delay (tests use 0 or 0.001). Default 1. */
  delayScale?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  random?: () => number;
  onEvent?: (event: HttpEvent) => void;
  /** Share one dispatcher between clients; the client then does not close it. */
  dispatcher?: Dispatcher;
}

export interface HttpClient {
  readonly source: string;
  requestJson(request: JsonRequest): Promise<JsonResponse>;
  stats(): HttpClientStats;
  close(): Promise<void>;
}

const BODY_SNIPPET_CHARS = 300;

type AttemptResult = { ok: true; response: JsonResponse } | { ok: false; failure: RequestFailure; detail: string };

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return flat;
}

function errorCode(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "code" in error && typeof error.code === "string") {
    return error.code;
  }
  return undefined;
}

function describeFailure(failure: RequestFailure): string {
  switch (failure.kind) {
    case "status":
      return `HTTP ${failure.status}`;
    case "network":
      return `network error ${failure.code}`;
    case "invalid-json":
      return "response body is not valid JSON";
  }
}

const defaultSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  ms <= 0 ? Promise.resolve() : delay(ms, undefined, signal ? { signal } : undefined);

/** Resolves with `promise`, or rejects as soon as `signal` aborts. */
function abortable(promise: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      () => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const source = options.source;
  const maxConcurrency = options.maxConcurrency ?? 4;
  const limiter: ConcurrencyLimiter = createConcurrencyLimiter(maxConcurrency);
  const headersTimeout = options.headersTimeoutMs ?? 30_000;
  const bodyTimeout = options.bodyTimeoutMs ?? 60_000;
  const ownsDispatcher = options.dispatcher === undefined;
  const dispatcher: Dispatcher =
    options.dispatcher ??
    new Agent({
      connections: options.connectionsPerHost ?? maxConcurrency,
      connect: { timeout: options.connectTimeoutMs ?? 10_000 },
      headersTimeout,
      bodyTimeout,
      keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
    });
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const delayScale = options.delayScale ?? 1;
  const deadline = options.deadline ?? now() + (options.budgetMs ?? 15 * 60_000);
  const budgetMs = deadline - now();
  const emit = options.onEvent ?? (() => {});
  const stats: HttpClientStats = { requests: 0, responses: 0, retries: 0, failures: 0 };
  /**
   * Source-wide pause (LivePerson 429): no request of this source starts while it
   * runs. It is a shared sleep promise rather than a clock comparison so that an
   * injected `sleep` governs it like every other delay.
   */
  let pause: { until: number; done: Promise<void> } | undefined;

  function pauseSource(ms: number): void {
    const until = now() + ms;
    if (pause && pause.until >= until) return;
    const current: { until: number; done: Promise<void> } = {
      until,
      done: sleep(ms).finally(() => {
        if (pause === current) pause = undefined;
      }),
    };
    pause = current;
  }

  async function waitWhilePaused(signal: AbortSignal | undefined): Promise<void> {
    // A loop: another 429 may extend the pause while this request waits.
    while (pause) {
      const current = pause;
      await abortable(current.done, signal);
      if (pause === current) break;
    }
  }

  async function attemptOnce(request: JsonRequest, url: URL, secrets: string[], attempt: number): Promise<AttemptResult> {
    const method = request.method;
    const redacted = redactUrl(url);
    const headers: Record<string, string> = {
      accept: "application/json",
      ...(typeof request.headers === "function" ? request.headers() : request.headers),
    };
    let body: string | undefined;
    if (request.body !== undefined) {
      body = JSON.stringify(request.body);
      if (!Object.keys(headers).some((name) => name.toLowerCase() === "content-type")) {
        headers["content-type"] = "application/json";
      }
    }
    for (const secret of collectSecretValues(url, headers)) if (!secrets.includes(secret)) secrets.push(secret);
    stats.requests++;
    emit({ type: "request", source, method, url: redacted, attempt });
    const startedAt = now();
    let status: number;
    let responseHeaders: Record<string, string>;
    let text: string;
    try {
      const response = await dispatcher.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method,
        headers,
        body,
        signal: request.signal,
        headersTimeout,
        bodyTimeout,
      });
      status = response.statusCode;
      responseHeaders = flattenHeaders(response.headers);
      // Read everything before deciding anything: an error mid-body lands in the catch and is retried.
      text = await response.body.text();
      // undici's pool marks the connection reusable on a 'drain' event that fires just
      // after the body ends; yielding one macrotask lets it, so back-to-back requests
      // reuse the same keep-alive socket instead of opening a second one.
      await nextMacrotask();
    } catch (error) {
      if (request.signal?.aborted) throw error;
      const code = errorCode(error) ?? "UNKNOWN";
      const message = error instanceof Error ? error.message : String(error);
      if (RETRYABLE_NETWORK_CODES.has(code)) {
        return { ok: false, failure: { kind: "network", code }, detail: scrubSecrets(`${code}: ${message}`, secrets) };
      }
      throw new HttpTransportError({ source, method, url: redacted, attempts: attempt }, code, scrubSecrets(message, secrets));
    }
    stats.responses++;
    emit({ type: "response", source, method, url: redacted, attempt, status, durationMs: now() - startedAt });
    const accepted = (status >= 200 && status < 300) || (request.acceptStatuses ?? []).includes(status);
    if (!accepted) {
      return {
        ok: false,
        failure: { kind: "status", status, retryAfterMs: parseRetryAfter(responseHeaders["retry-after"], now()) },
        detail: scrubSecrets(text.slice(0, BODY_SNIPPET_CHARS), secrets),
      };
    }
    let json: unknown = null;
    if (text.trim() !== "") {
      try {
        json = JSON.parse(text);
      } catch {
        // A 2xx body that does not parse is a cut-short or garbled transfer: retry it.
        // An accepted error status (404 …) may legitimately have a non-JSON body.
        if (status >= 200 && status < 300) {
          return { ok: false, failure: { kind: "invalid-json" }, detail: `invalid JSON (${text.length} chars)` };
        }
      }
    }
    return { ok: true, response: { status, headers: responseHeaders, json, text, attempts: attempt } };
  }

  async function requestJson(request: JsonRequest): Promise<JsonResponse> {
    const url = new URL(request.url.toString());
    const policy = request.policy ?? options.defaultPolicy;
    const secrets: string[] = collectSecretValues(url, {});
    const details = (attempts: number): HttpErrorDetails => ({
      source,
      method: request.method,
      url: redactUrl(url),
      attempts,
    });
    for (let attempt = 1; ; attempt++) {
      await waitWhilePaused(request.signal);
      // The semaphore covers the network exchange only: a request waiting out a backoff holds no slot.
      let result: AttemptResult;
      try {
        result = await limiter.run(() => attemptOnce(request, url, secrets, attempt));
      } catch (error) {
        stats.failures++; // aborted, or a non-retryable transport error
        throw error;
      }
      if (result.ok) return result.response;

      const { failure } = result;
      const reason = describeFailure(failure);
      /** Counts and reports the failure; returns the error for the caller to throw. */
      const giveUp = (error: Error): Error => {
        stats.failures++;
        emit({ type: "give-up", source, method: request.method, url: redactUrl(url), attempt, reason });
        return error;
      };
      const decision = policy.decide(failure, attempt, random);
      if (!decision.retry || attempt >= policy.maxAttempts) {
        throw giveUp(
          failure.kind === "status"
            ? new HttpStatusError(details(attempt), failure.status, result.detail)
            : new HttpRetriesExhaustedError(details(attempt), `${reason} (${result.detail})`),
        );
      }
      const scaledDelayMs = decision.delayMs * delayScale;
      if (now() + scaledDelayMs > deadline) {
        throw giveUp(new HttpBudgetExhaustedError(details(attempt), reason, budgetMs));
      }
      stats.retries++;
      emit({
        type: "retry",
        source,
        method: request.method,
        url: redactUrl(url),
        attempt,
        reason,
        delayMs: decision.delayMs,
        scaledDelayMs,
        pauseSource: decision.pauseSource,
      });
      if (decision.pauseSource) {
        pauseSource(scaledDelayMs); // waited out by waitWhilePaused at the top of the loop
      } else {
        await sleep(scaledDelayMs, request.signal);
      }
    }
  }

  return {
    source,
    requestJson,
    stats: () => ({ ...stats }),
    async close() {
      if (ownsDispatcher) await dispatcher.close();
    },
  };
}
