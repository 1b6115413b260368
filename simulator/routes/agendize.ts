/**
 * Agendize chat history: `GET /chat/history` (optional startDate/endDate) and
 * `GET /chat/history/{id}`. Auth: apiKey + token (query or headers) or a bearer token.
 */
import { DEMO_CREDENTIALS } from "../credentials.js";
import { summarise } from "../generate/agendize.js";
import type { AgendizeData, ChatSkeleton } from "../generate/agendize.js";
import { header, json } from "../http.js";
import type { SimRequest, SimResponse } from "../http.js";
import { dayIndexOf } from "../time.js";
import type { World } from "../world.js";

export const AGENDIZE_PREFIX = "/agendize/api/2.0";

function error(status: number, message: string): SimResponse {
  return json(status, { error: { code: status, message } });
}

function authenticated(request: SimRequest): boolean {
  const credentials = DEMO_CREDENTIALS.agendize;
  const authorization = header(request, "authorization");
  if (authorization && /^Bearer\s/i.test(authorization)) return authorization.slice(7).trim() === credentials.bearerToken;
  const params = request.url.searchParams;
  const apiKey = params.get("apiKey") ?? header(request, "apikey");
  const token = params.get("token") ?? header(request, "token");
  return apiKey === credentials.apiKey && token === credentials.token;
}

function parseInstant(value: string | null): number | null | "invalid" {
  if (value === null || value === "") return null;
  const instant = Date.parse(value);
  return Number.isNaN(instant) ? "invalid" : instant;
}

export function agendizeRoutes(data: AgendizeData, world: World) {
  /**
   * The seed swaps the descriptions of startDate ("upper bound") and endDate ("lower
   * bound"). The simulator reads them naturally (startDate ≤ start < endDate) and, when
   * startDate is after endDate, as the docs literally say (swapped). Clients should still
   * fetch in windows, filter by the record's own start and de-duplicate by id.
   */
  function list(request: SimRequest): SimResponse {
    const startDate = parseInstant(request.url.searchParams.get("startDate"));
    const endDate = parseInstant(request.url.searchParams.get("endDate"));
    if (startDate === "invalid" || endDate === "invalid") return error(400, "startDate and endDate must be RFC 3339 timestamps");
    let lower = startDate;
    let upper = endDate;
    if (lower !== null && upper !== null && lower > upper) [lower, upper] = [upper, lower];
    const nowMs = request.nowMs;
    const firstDay = dayIndexOf(Math.max(world.historyStartMs(nowMs), lower ?? -Infinity));
    const lastDay = dayIndexOf(Math.min(nowMs, upper ?? Infinity));
    const chats: ChatSkeleton[] = [];
    for (let day = firstDay; day <= lastDay; day++) {
      for (const chat of data.day(day)) {
        if (!data.isVisible(chat, nowMs) || !world.isServed(chat.id)) continue;
        if (lower !== null && chat.startMs < lower) continue;
        if (upper !== null && chat.startMs >= upper) continue;
        chats.push(chat);
      }
    }
    return json(200, { summary: summarise(chats), items: chats.map((chat) => data.buildChat(chat).record) });
  }

  return (request: SimRequest, path: string): SimResponse => {
    if (!authenticated(request)) return error(401, "Invalid or missing credentials");
    if (request.method !== "GET") return error(405, "Method not allowed");
    if (path === "/chat/history") return list(request);
    const one = /^\/chat\/history\/([^/]+)$/.exec(path);
    if (one?.[1]) {
      const chat = data.findById(decodeURIComponent(one[1]));
      if (!chat || !data.isVisible(chat, request.nowMs)) return error(404, "Chat session not found");
      return json(200, data.buildChat(chat).record);
    }
    return error(404, `No route ${path}`);
  };
}
