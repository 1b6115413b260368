/**
 * LivePerson: CSDS domain lookup and Engagement History search, with bearer or OAuth 1.0a
 * authentication. Errors use `{message, status, code}` (the real body is undocumented).
 */
import { SearchFilter } from "../../data-loaders/liveperson/schemas.js";
import { DEMO_CREDENTIALS } from "../credentials.js";
import { shardOf } from "../generate/liveperson.js";
import type { LivePersonData } from "../generate/liveperson.js";
import { header, json } from "../http.js";
import type { SimRequest, SimResponse } from "../http.js";
import { parsePageParams, search } from "../liveperson-search.js";
import type { PageParams } from "../liveperson-search.js";
import { verifyOAuth1 } from "../oauth1.js";
import type { World } from "../world.js";

export const LIVEPERSON_PREFIX = "/liveperson";
const TOTAL_SHARDS = 6;

function error(status: number, code: string, message: string): SimResponse {
  return json(status, { message, status, code });
}

function authenticate(request: SimRequest, accountId: string): SimResponse | null {
  const authorization = header(request, "authorization");
  if (!authorization) return error(401, "unauthorized", "missing Authorization header");
  const credentials = DEMO_CREDENTIALS.liveperson;
  if (/^Bearer\s/i.test(authorization)) {
    if (authorization.slice(7).trim() !== credentials.bearerToken) return error(401, "unauthorized", "invalid bearer token");
  } else if (/^OAuth\s/i.test(authorization)) {
    const verdict = verifyOAuth1(request.method, request.url, authorization, credentials.oauth1);
    if (!verdict.ok) return error(401, "unauthorized", `OAuth 1.0a: ${verdict.reason}`);
  } else {
    return error(401, "unauthorized", "unsupported Authorization scheme");
  }
  if (accountId !== credentials.accountId) return error(401, "unauthorized", "credentials do not grant this account");
  return null;
}

function pageHref(request: SimRequest, accountId: string, page: PageParams, offset: number): string {
  const params = new URLSearchParams({ offset: String(offset), limit: String(page.limit) });
  if (page.sortText) params.set("sort", page.sortText);
  if (page.source) params.set("source", page.source);
  return `${request.origin}${LIVEPERSON_PREFIX}/interaction_history/api/account/${encodeURIComponent(accountId)}/interactions/search?${params}`;
}

export function livePersonRoutes(data: LivePersonData, world: World) {
  function csds(request: SimRequest, accountId: string, service: string): SimResponse {
    if (request.method !== "GET") return error(405, "method_not_allowed", "use GET");
    if (accountId !== DEMO_CREDENTIALS.liveperson.accountId) return error(404, "not_found", "unknown account");
    if (service !== "engHistDomain") return error(404, "not_found", `unknown service ${service}`);
    // baseURI is host plus path prefix; a client builds
    // `http://{baseURI}/interaction_history/api/account/{accountId}/interactions/search`
    // exactly as it builds `https://{baseURI}/…` against the real host name.
    return json(200, { service, account: accountId, baseURI: `${new URL(request.origin).host}${LIVEPERSON_PREFIX}` });
  }

  function interactionsSearch(request: SimRequest, accountId: string): SimResponse {
    if (request.method !== "POST") return error(405, "method_not_allowed", "use POST");
    const denied = authenticate(request, accountId);
    if (denied) return denied;
    const page = parsePageParams(request.url.searchParams);
    if (!page.ok) return error(400, "bad_request", page.message);
    let body: unknown;
    try {
      body = request.body.trim() === "" ? {} : (JSON.parse(request.body) as unknown);
    } catch {
      return error(400, "bad_request", "the body is not valid JSON");
    }
    const filter = SearchFilter.safeParse(body);
    if (!filter.success) {
      const issues = filter.error.issues.map((issue) => `${issue.path.join(".") || "(body)"}: ${issue.message}`).join("; ");
      return error(400, "bad_request", `invalid filter: ${issues}`);
    }
    const result = search(data, world, filter.data, page.value, request.nowMs);
    if (!result.ok) return error(400, "bad_request", result.message);
    const { count, page: skeletons, complete } = result.value;
    const failedShard = request.partialResult && count > 0 ? shardOf(world.seed, page.value.offset, TOTAL_SHARDS) : null;
    const records = skeletons
      .filter((skeleton) => failedShard === null || shardOf(world.seed, skeleton.number, TOTAL_SHARDS) !== failedShard)
      .map((skeleton) => data.buildRecord(skeleton, complete).record);
    const { offset, limit } = page.value;
    const lastOffset = count === 0 ? 0 : Math.floor((count - 1) / limit) * limit;
    const faultHeader: Record<string, string> = failedShard === null ? {} : { "x-simulator-fault": "partial_result" };
    return json(200, {
      _metadata: {
        count,
        ...(offset + limit < count ? { next: { rel: "next", href: pageHref(request, accountId, page.value, offset + limit) } } : {}),
        ...(offset > 0 ? { prev: { rel: "prev", href: pageHref(request, accountId, page.value, Math.max(0, offset - limit)) } } : {}),
        last: { rel: "last", href: pageHref(request, accountId, page.value, lastOffset) },
        self: { rel: "self", href: pageHref(request, accountId, page.value, offset) },
        shardsStatusResult:
          failedShard === null
            ? { failureShards: 0, totalShards: TOTAL_SHARDS, partialResult: false }
            : { failureShards: 1, totalShards: TOTAL_SHARDS, partialResult: true },
      },
      interactionHistoryRecords: records,
    }, faultHeader);
  }

  return (request: SimRequest, path: string): SimResponse => {
    const csdsMatch = /^\/csds\/api\/account\/([^/]+)\/service\/([^/]+)\/baseURI\.json$/.exec(path);
    if (csdsMatch?.[1] && csdsMatch[2]) return csds(request, decodeURIComponent(csdsMatch[1]), csdsMatch[2]);
    const searchMatch = /^\/interaction_history\/api\/account\/([^/]+)\/interactions\/search$/.exec(path);
    if (searchMatch?.[1]) return interactionsSearch(request, decodeURIComponent(searchMatch[1]));
    return error(404, "not_found", `no route ${path}`);
  };
}
