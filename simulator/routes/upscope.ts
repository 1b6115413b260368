/**
 * Upscope REST API (`/upscope/v1.3`, header `X-Api-Key`) and its on-premise variant
 * (`/upscope-onprem/api`, raw `Authorization: <REST key>`). Same bodies on both.
 */
import { DEMO_CREDENTIALS } from "../credentials.js";
import type { UpscopeData } from "../generate/upscope.js";
import { header, json } from "../http.js";
import type { SimRequest, SimResponse } from "../http.js";

export const UPSCOPE_PREFIX = "/upscope/v1.3";
export const UPSCOPE_ONPREM_PREFIX = "/upscope-onprem/api";

type AuthResult = { ok: true } | { ok: false; response: SimResponse };

function unauthorized(error: string): AuthResult {
  return { ok: false, response: json(401, { status: "error", error }) };
}

function checkApiKey(key: string | undefined): AuthResult {
  if (key === DEMO_CREDENTIALS.upscope.apiKey) return { ok: true };
  for (const [error, errorKey] of Object.entries(DEMO_CREDENTIALS.upscope.errorKeys)) if (key === errorKey) return unauthorized(error);
  return unauthorized("invalid_api_key");
}

function checkRestKey(key: string | undefined): AuthResult {
  return key === DEMO_CREDENTIALS.upscope.onPremiseRestKey ? { ok: true } : unauthorized("invalid_api_key");
}

const notFound = (): SimResponse => json(404, { status: "error", error: "not_found" });

export function upscopeRoutes(data: UpscopeData, listCap: number) {
  function visitorResponse(request: SimRequest, id: string): SimResponse {
    const withHistory = request.url.searchParams.get("with_history") === "true";
    const visitor = data.visitor(decodeURIComponent(id), request.nowMs, withHistory);
    return visitor ? json(200, { status: "ok", visitor }) : notFound();
  }

  function list(request: SimRequest, search: string): SimResponse {
    return json(200, { status: "ok", visitors: data.list(search, listCap, request.nowMs) });
  }

  return {
    /** `/upscope/v1.3/...` */
    cloud(request: SimRequest, path: string): SimResponse {
      const auth = checkApiKey(header(request, "x-api-key"));
      if (!auth.ok) return auth.response;
      if (request.method !== "GET") return json(405, { status: "error", error: "method_not_allowed" });
      if (path === "/list") return list(request, request.url.searchParams.get("search") ?? "");
      if (path === "/usage") return json(200, { status: "ok", usage: data.usage(request.nowMs) });
      const visitor = /^\/visitors\/([^/]+)$/.exec(path);
      if (visitor?.[1]) return visitorResponse(request, visitor[1]);
      return notFound();
    },
    /** `/upscope-onprem/api/...` */
    onPremise(request: SimRequest, path: string): SimResponse {
      const auth = checkRestKey(header(request, "authorization"));
      if (!auth.ok) return auth.response;
      if (request.method !== "GET") return json(405, { status: "error", error: "method_not_allowed" });
      if (path === "/visitors/list/latest") return list(request, "");
      if (path === "/visitors/list/search") {
        return list(request, request.url.searchParams.get("search") ?? request.url.searchParams.get("q") ?? "");
      }
      const visitor = /^\/visitors\/([^/]+)$/.exec(path);
      if (visitor?.[1]) return visitorResponse(request, visitor[1]);
      return notFound();
    },
  };
}
