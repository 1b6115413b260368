/**
 * Agendize chat history client: `GET {baseUrl}{listPath}?startDate=&endDate=` with
 * `apiKey` + `token` headers or an OAuth 2.0 Bearer token. The list path is not
 * confirmed by the vendor, so it comes from configuration (AGENDIZE_LIST_PATH).
 *
 * A response is checked as an envelope only (an `items` array); records and the
 * summary are handed back unvalidated so the sync can quarantine a bad one alone.
 */
import type { AgendizeConfig } from "./config.js";
import { jitteredExponentialPolicy, redactUrl, type HttpClient, type RetryPolicy } from "../http/index.js";
import { ChatHistoryListItems, ErrorResponse } from "./schemas.js";

/** Statuses read here instead of thrown by the HTTP layer, to explain them. */
const EXPLAINED_STATUSES = [401, 403, 404] as const;

/** Agendize publishes no retry policy: jittered exponential backoff, Retry-After honoured when sent. */
export function agendizePolicy(): RetryPolicy {
  return jitteredExponentialPolicy();
}

export interface ChatHistoryRequest {
  /** Sent as `startDate` (RFC 3339, UTC). */
  startDate: Date;
  /** Sent as `endDate` (RFC 3339, UTC). */
  endDate: Date;
}

export interface ChatHistoryPage {
  request: ChatHistoryRequest;
  /** The vendor's `summary`, unvalidated (undefined when absent). */
  summary: unknown;
  items: unknown[];
  /** The body exactly as received, for the raw archive. */
  text: string;
  /** Redacted. */
  url: string;
  status: number;
  fetchedAt: Date;
}

/** The credentials were refused (401/403): a configuration problem, never retried. */
export class AgendizeAuthError extends Error {
  constructor(
    readonly status: number,
    readonly vendorMessage: string,
    auth: AgendizeConfig["auth"]["kind"],
  ) {
    const variables = auth === "bearer" ? "AGENDIZE_BEARER_TOKEN" : "AGENDIZE_API_KEY and AGENDIZE_TOKEN";
    super(`agendize refused the credentials (HTTP ${status}: ${vendorMessage}); check ${variables}`);
    this.name = "AgendizeAuthError";
  }
}

export class AgendizeResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AgendizeResponseError";
  }
}

/** RFC 3339 in UTC, whole seconds when possible (`2026-04-02T00:00:00Z`). */
export function formatRfc3339(instant: Date): string {
  return instant.toISOString().replace(".000Z", "Z");
}

/** The envelope of a list body, or an error naming what is wrong (shared with `--replay`). */
export function parseListBody(json: unknown, where: string): { summary: unknown; items: unknown[] } {
  const envelope = ChatHistoryListItems.safeParse(json);
  if (!envelope.success) {
    const issue = envelope.error.issues[0];
    throw new AgendizeResponseError(
      `agendize ${where} is not a chat history list (${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}); check AGENDIZE_LIST_PATH`,
    );
  }
  return { summary: envelope.data.summary, items: envelope.data.items };
}

function vendorMessage(json: unknown, text: string): string {
  const parsed = ErrorResponse.safeParse(json);
  if (parsed.success) return parsed.data.error.message;
  return text.trim().slice(0, 200) || "no message";
}

export class AgendizeClient {
  constructor(
    private readonly config: AgendizeConfig,
    private readonly http: HttpClient,
  ) {}

  private authHeaders(): Record<string, string> {
    const auth = this.config.auth;
    if (auth.kind === "bearer") return { authorization: `Bearer ${auth.token}` };
    // Headers rather than the query parameters of the official samples: keeps the secrets out of URLs and logs.
    return { apiKey: auth.apiKey, token: auth.token };
  }

  listUrl(request: ChatHistoryRequest): string {
    const base = this.config.baseUrl.replace(/\/+$/, "");
    const path = this.config.listPath.startsWith("/") ? this.config.listPath : `/${this.config.listPath}`;
    const params = new URLSearchParams({ startDate: formatRfc3339(request.startDate), endDate: formatRfc3339(request.endDate) });
    return `${base}${path}?${params}`;
  }

  async listChats(request: ChatHistoryRequest): Promise<ChatHistoryPage> {
    const url = this.listUrl(request);
    const response = await this.http.requestJson({
      method: "GET",
      url,
      headers: this.authHeaders(),
      policy: agendizePolicy(),
      acceptStatuses: EXPLAINED_STATUSES,
    });
    const fetchedAt = new Date();
    if (response.status === 401 || response.status === 403) {
      throw new AgendizeAuthError(response.status, vendorMessage(response.json, response.text), this.config.auth.kind);
    }
    if (response.status === 404) {
      throw new AgendizeResponseError(
        `agendize answered 404 for ${redactUrl(url)} (${vendorMessage(response.json, response.text)}); the list path is not confirmed by the vendor: check AGENDIZE_LIST_PATH (now "${this.config.listPath}")`,
      );
    }
    const { summary, items } = parseListBody(response.json, `list ${redactUrl(url)}`);
    return { request, summary, items, text: response.text, url: redactUrl(url), status: response.status, fetchedAt };
  }
}
