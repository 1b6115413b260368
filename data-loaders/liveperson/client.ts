/**
 * LivePerson Engagement History client: domain discovery through CSDS, then the
 * search endpoint with Bearer or OAuth 1.0a auth. Pages are validated as an
 * envelope only; records are handed back unvalidated so that one bad record is
 * quarantined by the sync instead of failing its page.
 */
import type { LivePersonConfig } from "./config.js";
import type { HttpClient } from "../http/index.js";
import { livePersonPolicy } from "./retry-policy.js";
import { signOAuth1Request } from "./oauth1.js";
import { CsdsDomainResponse, SearchResponseEnvelope, type SearchFilterInput, type SearchMetadata } from "./schemas.js";

export const PAGE_SIZE = 100;
/** LivePerson rejects a search window longer than a month. */
export const MAX_WINDOW_MS = 30 * 24 * 3600 * 1000;

export interface SearchPage {
  metadata: SearchMetadata;
  records: unknown[];
  /** The response body as received, for the raw archive. */
  text: string;
  url: string;
}

export class LivePersonResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LivePersonResponseError";
  }
}

export class LivePersonClient {
  private domain: Promise<string> | undefined;

  constructor(
    private readonly config: LivePersonConfig,
    private readonly http: HttpClient,
  ) {}

  private authHeaders(method: "GET" | "POST", url: string): () => Record<string, string> {
    const auth = this.config.auth;
    if (auth.kind === "bearer") return () => ({ authorization: `Bearer ${auth.token}` });
    // A fresh nonce and timestamp for every attempt of a retried request.
    return () => ({ authorization: signOAuth1Request({ method, url, credentials: auth }).authorization });
  }

  /** The Engagement History host for the account, looked up once per run. */
  baseUri(): Promise<string> {
    this.domain ??= (async () => {
      const url = `${this.config.csdsUrl.replace(/\/$/, "")}/api/account/${encodeURIComponent(this.config.accountId)}/service/engHistDomain/baseURI.json?version=1.0`;
      const response = await this.http.requestJson({ method: "GET", url, headers: this.authHeaders("GET", url), policy: livePersonPolicy() });
      const parsed = CsdsDomainResponse.safeParse(response.json);
      if (!parsed.success) throw new LivePersonResponseError(`CSDS answered without a baseURI for account ${this.config.accountId}`);
      return parsed.data.baseURI;
    })();
    return this.domain;
  }

  /** The search URL; the scheme follows the CSDS URL's (https in production). */
  private async searchUrl(offset: number, limit: number): Promise<string> {
    const scheme = new URL(this.config.csdsUrl).protocol;
    const base = `${scheme}//${(await this.baseUri()).replace(/\/$/, "")}`;
    const params = new URLSearchParams({ offset: String(offset), limit: String(limit), sort: "start:asc", source: this.config.source });
    return `${base}/interaction_history/api/account/${encodeURIComponent(this.config.accountId)}/interactions/search?${params}`;
  }

  async search(filter: SearchFilterInput, offset: number, limit = PAGE_SIZE): Promise<SearchPage> {
    const url = await this.searchUrl(offset, limit);
    const response = await this.http.requestJson({
      method: "POST",
      url,
      headers: this.authHeaders("POST", url),
      body: filter as Parameters<HttpClient["requestJson"]>[0]["body"],
      policy: livePersonPolicy(),
    });
    const envelope = SearchResponseEnvelope.safeParse(response.json);
    if (!envelope.success) {
      const issue = envelope.error.issues[0];
      throw new LivePersonResponseError(`liveperson search page (offset ${offset}) is not a search response: ${issue?.path.join(".") ?? ""} ${issue?.message ?? ""}`);
    }
    return { metadata: envelope.data._metadata, records: envelope.data.interactionHistoryRecords, text: response.text, url };
  }
}
