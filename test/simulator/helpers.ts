/** Shared helpers for the simulator contract tests: start a simulator, call it over real HTTP. */
import { request } from "undici";
import { DEMO_CREDENTIALS, startSimulator } from "../../simulator/index.js";
import type { SimulatorOptions } from "../../simulator/index.js";

/** A fixed clock shared by the tests: its 60-day history covers the European and US DST ends and Sydney's DST start. */
export const NOW = "2026-11-20T12:00:00.000Z";
export const NOW_MS = Date.parse(NOW);
export const DAY_MS = 86_400_000;

export interface Started {
  url: string;
  stop(): Promise<void>;
}

/** Starts a simulator on a free port with test defaults (seed 1, fixed clock, 60 days). */
export function start(options: SimulatorOptions = {}): Promise<Started> {
  return startSimulator({ port: 0, seed: 1, now: NOW, days: 60, ...options });
}

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export async function http(url: string, init: { method?: "GET" | "POST"; headers?: Record<string, string>; body?: string } = {}): Promise<HttpResult> {
  const response = await request(url, { method: init.method ?? "GET", headers: init.headers ?? {}, ...(init.body !== undefined ? { body: init.body } : {}) });
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, text };
}

export function jsonOf(result: HttpResult): unknown {
  return JSON.parse(result.text) as unknown;
}

export const upscopeHeaders = { "x-api-key": DEMO_CREDENTIALS.upscope.apiKey };
export const agendizeQuery = `apiKey=${DEMO_CREDENTIALS.agendize.apiKey}&token=${DEMO_CREDENTIALS.agendize.token}`;
export const bearer = { authorization: `Bearer ${DEMO_CREDENTIALS.liveperson.bearerToken}`, "content-type": "application/json" };

export function searchUrl(base: string, query = ""): string {
  return `${base}/liveperson/interaction_history/api/account/${DEMO_CREDENTIALS.liveperson.accountId}/interactions/search${query ? `?${query}` : ""}`;
}

/** POSTs a LivePerson search with the demo bearer token. */
export function lpSearch(base: string, filter: unknown, query = "", headers: Record<string, string> = bearer): Promise<HttpResult> {
  return http(searchUrl(base, query), { method: "POST", headers, body: JSON.stringify(filter) });
}

/** A start window of `days` days ending `endDaysAgo` days before NOW. */
export function window(days: number, endDaysAgo = 0): { from: number; to: number } {
  const to = NOW_MS - endDaysAgo * DAY_MS;
  return { from: to - days * DAY_MS, to };
}
