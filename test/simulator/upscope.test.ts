import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrorResponse, ListResponse, Session, UsageResponse, VisitorResponse } from "../../data-loaders/upscope/schemas.js";
import type { Visitor } from "../../data-loaders/upscope/schemas.js";
import { DEMO_CREDENTIALS } from "../../simulator/index.js";
import { http, jsonOf, start, upscopeHeaders } from "./helpers.js";
import type { Started } from "./helpers.js";

let sim: Started;
let api: string;
let latest: Visitor[];

async function list(search = "", base = api): Promise<Visitor[]> {
  const result = await http(`${base}/list?search=${encodeURIComponent(search)}`, { headers: upscopeHeaders });
  expect(result.status).toBe(200);
  return ListResponse.parse(jsonOf(result)).visitors;
}

beforeAll(async () => {
  sim = await start();
  api = `${sim.url}/upscope/v1.3`;
  latest = await list();
});
afterAll(() => sim.stop());

describe("Upscope auth", () => {
  it("rejects a missing or wrong X-Api-Key with 401 invalid_api_key", async () => {
    const attempts: Record<string, string>[] = [{}, { "x-api-key": "wrong" }];
    for (const headers of attempts) {
      const result = await http(`${api}/list`, { headers });
      expect(result.status).toBe(401);
      expect(ErrorResponse.parse(jsonOf(result)).error).toBe("invalid_api_key");
    }
  });

  it("answers the other documented errors for the demo error keys", async () => {
    for (const [error, key] of Object.entries(DEMO_CREDENTIALS.upscope.errorKeys)) {
      const result = await http(`${api}/usage`, { headers: { "x-api-key": key } });
      expect(result.status).toBe(401);
      expect(ErrorResponse.parse(jsonOf(result))).toEqual({ status: "error", error });
    }
  });
});

describe("Upscope /list", () => {
  it("returns the latest visitors by last_seen_at, capped at 100 by default", () => {
    expect(latest).toHaveLength(100);
    const seen = latest.map((visitor) => Date.parse(visitor.last_seen_at ?? ""));
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    expect(new Set(latest.map((visitor) => visitor.short_id)).size).toBe(100);
  });

  it("honours a configured cap", async () => {
    const capped = await start({ upscopeListCap: 7 });
    try {
      expect(await list("", `${capped.url}/upscope/v1.3`)).toHaveLength(7);
    } finally {
      await capped.stop();
    }
  });

  it("finds a visitor by email, ip:, id:, lookup code and #tag", async () => {
    const withEmail = latest.find((visitor) => visitor.email);
    const email = withEmail?.email ?? "";
    expect((await list(email)).map((visitor) => visitor.email)).toContain(email);
    expect((await list(email)).every((visitor) => visitor.email === email)).toBe(true);

    const ip = latest[0]?.ip_address ?? "";
    const byIp = await list(`ip:${ip}`);
    expect(byIp.length).toBeGreaterThan(0);
    expect(byIp.every((visitor) => visitor.ip_address === ip)).toBe(true);

    const withUniqueId = latest.find((visitor) => visitor.unique_id);
    const byId = await list(`id:${withUniqueId?.unique_id ?? ""}`);
    expect(byId.map((visitor) => visitor.short_id)).toEqual([withUniqueId?.short_id]);

    const code = latest[1]?.lookup_code ?? "";
    expect(code).toMatch(/^\d{4}$/);
    const byCode = await list(code);
    expect(byCode.length).toBeGreaterThan(0);
    expect(byCode.every((visitor) => visitor.lookup_code === code)).toBe(true);

    const tagged = latest.find((visitor) => (visitor.tags ?? []).length > 0);
    const tag = tagged?.tags?.[0] ?? "";
    const byTag = await list(`#${tag}`);
    expect(byTag.length).toBeGreaterThan(0);
    expect(byTag.every((visitor) => visitor.tags?.includes(tag))).toBe(true);
  });

  it("splits online and -online visitors", async () => {
    const online = await list("online");
    const offline = await list("-online");
    expect(online.every((visitor) => visitor.is_online === true)).toBe(true);
    expect(offline.every((visitor) => visitor.is_online === false)).toBe(true);
    expect(offline.length).toBeGreaterThan(0);
    // Online means seen within the last five minutes of the simulator clock.
    for (const visitor of online) expect(Date.parse("2026-11-20T12:00:00Z") - Date.parse(visitor.last_seen_at ?? "")).toBeLessThanOrEqual(5 * 60_000);
  });

  it("returns nothing for a search that matches nobody", async () => {
    expect(await list("nobody-at-all@nowhere.invalid")).toEqual([]);
  });
});

describe("Upscope /visitors/{id} and /usage", () => {
  it("returns a visitor with recent sessions that parse", async () => {
    let withSessions: Visitor | undefined;
    for (const visitor of latest.slice(0, 60)) {
      const result = await http(`${api}/visitors/${visitor.short_id}`, { headers: upscopeHeaders });
      expect(result.status).toBe(200);
      const parsed = VisitorResponse.parse(jsonOf(result)).visitor;
      expect(parsed.short_id).toBe(visitor.short_id);
      if ((parsed.sessions ?? []).length > 0) {
        withSessions = parsed;
        break;
      }
    }
    expect(withSessions).toBeDefined();
    for (const session of withSessions?.sessions ?? []) expect(session.visitor_id).toBe(withSessions?.short_id);
  });

  it("adds pageviews with_history=true", async () => {
    const id = latest[0]?.short_id ?? "";
    const result = await http(`${api}/visitors/${id}?with_history=true`, { headers: upscopeHeaders });
    const visitor = VisitorResponse.parse(jsonOf(result)).visitor;
    expect((visitor.history ?? []).length).toBeGreaterThan(0);
    expect(visitor.history?.[0]?.screenshot?.small?.width).toBe(100);
  });

  it("answers 404 for an unknown visitor", async () => {
    const result = await http(`${api}/visitors/zz-not-a-visitor`, { headers: upscopeHeaders });
    expect(result.status).toBe(404);
  });

  it("reports usage for today and the last 30 days", async () => {
    const usage = UsageResponse.parse(jsonOf(await http(`${api}/usage`, { headers: upscopeHeaders }))).usage;
    expect(usage?.agents).toBeGreaterThan(0);
    expect(usage?.last_30_days?.sessions).toBeGreaterThan(usage?.today?.sessions ?? 0);
    expect(usage?.last_30_days?.session_seconds).toBeGreaterThan(0);
  });
});

describe("Upscope data", () => {
  it("carries every documented session field and the documented drift in a share of records", async () => {
    const sessions: Record<string, unknown>[] = [];
    for (const visitor of latest) {
      const body = jsonOf(await http(`${api}/visitors/${visitor.short_id}`, { headers: upscopeHeaders })) as { visitor: { sessions: Record<string, unknown>[] } };
      sessions.push(...body.visitor.sessions);
    }
    expect(sessions.length).toBeGreaterThan(20);
    for (const session of sessions) expect(Session.safeParse(session).success).toBe(true);
    expect(sessions.some((session) => typeof session["id"] === "number")).toBe(true);
    expect(sessions.some((session) => typeof session["id"] === "string")).toBe(true);
    expect(sessions.some((session) => /[+-]\d{2}:\d{2}$/.test(String(session["started_at"])))).toBe(true);
    expect(sessions.some((session) => session["formatted_call_length"] === "-")).toBe(true);
    const agents = sessions.flatMap((session) => session["agents"] as Record<string, unknown>[]);
    expect(agents.some((agent) => agent["_type"] === "external_agent" && typeof agent["agent_identifier"] === "string")).toBe(true);
    const parsed = sessions.map((session) => Session.parse(session));
    expect(parsed.every((session) => typeof session.id === "string")).toBe(true);
    expect(new Set(parsed.map((session) => session.video_status)).size).toBeGreaterThanOrEqual(4);
    expect(parsed.some((session) => (session.call_length_seconds ?? 0) > 0)).toBe(true);
    expect(parsed.some((session) => session.visitor_agent_rating !== null && session.visitor_agent_rating !== undefined)).toBe(true);
    expect(parsed.some((session) => (session.features_used ?? []).length > 0)).toBe(true);
    const drifted = latest.length > 0 ? (await list("")).some((visitor) => visitor.first_seen_at !== undefined) : false;
    expect(drifted).toBe(true);
  });
});

describe("Upscope on-premise variant", () => {
  const restKey = { authorization: DEMO_CREDENTIALS.upscope.onPremiseRestKey };

  it("serves /visitors/list/latest, /visitors/list/search and /visitors/{id} with the REST key", async () => {
    const base = `${sim.url}/upscope-onprem/api`;
    const latestOnPrem = ListResponse.parse(jsonOf(await http(`${base}/visitors/list/latest`, { headers: restKey }))).visitors;
    expect(latestOnPrem.map((visitor) => visitor.short_id)).toEqual(latest.map((visitor) => visitor.short_id));
    const code = latest[0]?.lookup_code ?? "";
    const found = ListResponse.parse(jsonOf(await http(`${base}/visitors/list/search?search=${code}`, { headers: restKey }))).visitors;
    expect(found.every((visitor) => visitor.lookup_code === code)).toBe(true);
    const one = await http(`${base}/visitors/${latest[0]?.short_id ?? ""}`, { headers: restKey });
    expect(VisitorResponse.parse(jsonOf(one)).visitor.short_id).toBe(latest[0]?.short_id);
    const denied = await http(`${base}/visitors/list/latest`, { headers: { authorization: "nope" } });
    expect(denied.status).toBe(401);
    expect(ErrorResponse.parse(jsonOf(denied)).error).toBe("invalid_api_key");
  });
});
