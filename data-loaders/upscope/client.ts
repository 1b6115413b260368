/**
 * Upscope REST client (vendor-apis.md §1): the cloud API (`X-Api-Key`, `/list`,
 * `/visitors/{short_id}`, `/usage`) and the on-premise variant (`{BASE}/api`, raw
 * `Authorization: <REST key>`, `/visitors/list/latest`, `/visitors/list/search`,
 * `/visitors/{id}`). Responses are validated as envelopes only: visitors and sessions
 * come back unvalidated so that the sync can quarantine one bad record and go on.
 * Every method returns the body as received, for the raw archive.
 */
import type { UpscopeConfig } from "./config.js";
import { HttpStatusError, jitteredExponentialPolicy, type HttpClient, type RetryPolicy } from "../http/index.js";
import { ErrorResponse, ListResponseEnvelope, UsageResponse, VisitorResponseEnvelope, type UpscopeErrorCode } from "./schemas.js";

/**
 * Upscope publishes no retry policy, so the generic jittered exponential one: 429,
 * 408/425 and 5xx are retried with equal-jitter backoff (a `Retry-After`, when sent,
 * replaces the guess; a 429 pauses every request of the source), other 4xx never.
 */
export function upscopePolicy(): RetryPolicy {
  return jitteredExponentialPolicy({ baseDelayMs: 500, maxDelayMs: 30_000, maxAttempts: 8 });
}

/** What each documented 401 error code means for whoever reads the log. */
const AUTH_ERROR_HINTS: Record<UpscopeErrorCode, string> = {
  invalid_api_key: "the key is wrong or was revoked: check UPSCOPE_API_KEY (UPSCOPE_REST_KEY on-premise)",
  no_subscription: "the Upscope account has no active subscription",
  api_not_enabled: "the REST API is not enabled for this Upscope account: ask Upscope to enable it",
  please_contact_team: "Upscope asks the account owner to contact their team",
};

/** The API refused the credentials (HTTP 401/403); `code` is the documented error code when the body had one. */
export class UpscopeAuthError extends Error {
  constructor(
    readonly status: number,
    readonly code: UpscopeErrorCode | undefined,
    readonly url: string,
  ) {
    super(
      code
        ? `upscope refused the credentials (HTTP ${status} "${code}"): ${AUTH_ERROR_HINTS[code]} [${url}]`
        : `upscope refused the credentials (HTTP ${status}, no documented error code in the body) [${url}]`,
    );
    this.name = "UpscopeAuthError";
  }
}

/** A 2xx response that is not the documented envelope. */
export class UpscopeResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UpscopeResponseError";
  }
}

/** One response, as the archive keeps it. */
export interface UpscopeExchange {
  url: string;
  status: number;
  text: string;
}

export interface VisitorListPage extends UpscopeExchange {
  search: string;
  /** Unvalidated Visitor objects. */
  visitors: unknown[];
}

export interface VisitorPage extends UpscopeExchange {
  shortId: string;
  /** The unvalidated Visitor (with its `sessions`), or null when the API answered 404 (the visitor is gone). */
  visitor: Record<string, unknown> | null;
}

export class UpscopeClient {
  private readonly base: string;

  constructor(
    private readonly config: UpscopeConfig,
    private readonly http: HttpClient,
  ) {
    const trimmed = config.baseUrl.replace(/\/+$/, "");
    // On-premise installs serve the API under `{BASE}/api`; accept a URL given with or without it.
    this.base = config.onPremise && !/\/api$/.test(trimmed) ? `${trimmed}/api` : trimmed;
  }

  private headers(): Record<string, string> {
    const auth = this.config.auth;
    return auth.kind === "api-key" ? { "x-api-key": auth.apiKey } : { authorization: auth.restKey };
  }

  /** The URL listing visitors: the latest ones for an empty search. */
  listUrl(search: string): string {
    if (!this.config.onPremise) return `${this.base}/list?${new URLSearchParams({ search })}`;
    return search === "" ? `${this.base}/visitors/list/latest` : `${this.base}/visitors/list/search?${new URLSearchParams({ search })}`;
  }

  visitorUrl(shortId: string): string {
    return `${this.base}/visitors/${encodeURIComponent(shortId)}`;
  }

  private async get(url: string, acceptStatuses: readonly number[] = []) {
    try {
      return await this.http.requestJson({ method: "GET", url, headers: this.headers(), policy: upscopePolicy(), acceptStatuses });
    } catch (error) {
      if (error instanceof HttpStatusError && (error.status === 401 || error.status === 403)) {
        throw new UpscopeAuthError(error.status, documentedErrorCode(error.bodySnippet), error.url);
      }
      throw error;
    }
  }

  /** `GET /list?search=` (empty: the latest visitors; the cap is undocumented, there is no paging). */
  async listVisitors(search: string): Promise<VisitorListPage> {
    const url = this.listUrl(search);
    const response = await this.get(url);
    const envelope = ListResponseEnvelope.safeParse(response.json);
    if (!envelope.success) throw new UpscopeResponseError(`upscope visitor list (search "${search}") is not a list response: ${firstIssue(envelope.error)}`);
    return { url, status: response.status, text: response.text, search, visitors: envelope.data.visitors };
  }

  /** `GET /visitors/{short_id}`: the visitor with its recent sessions; null when it is gone (404). */
  async getVisitor(shortId: string): Promise<VisitorPage> {
    const url = this.visitorUrl(shortId);
    const response = await this.get(url, [404]);
    if (response.status === 404) return { url, status: 404, text: response.text, shortId, visitor: null };
    const envelope = VisitorResponseEnvelope.safeParse(response.json);
    if (!envelope.success) throw new UpscopeResponseError(`upscope visitor ${shortId} is not a visitor response: ${firstIssue(envelope.error)}`);
    return { url, status: response.status, text: response.text, shortId, visitor: envelope.data.visitor };
  }

  /** `GET /usage` (cloud only; not documented on-premise): aggregate counts, for a cross-check. */
  async usage(): Promise<UsageResponse | null> {
    if (this.config.onPremise) return null;
    const response = await this.get(`${this.base}/usage`);
    const parsed = UsageResponse.safeParse(response.json);
    return parsed.success ? parsed.data : null;
  }
}

function documentedErrorCode(body: string): UpscopeErrorCode | undefined {
  try {
    const parsed = ErrorResponse.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data.error : undefined;
  } catch {
    return undefined;
  }
}

function firstIssue(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.map(String).join(".") || "(body)"}: ${issue.message}` : "unknown problem";
}
