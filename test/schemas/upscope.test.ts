import { describe, expect, it } from "vitest";
import { ErrorResponse, ListResponse, Session, UsageResponse, Visitor, VisitorResponse } from "../../data-loaders/upscope/schemas.js";
import { parseWithDrift } from "../../data-loaders/drift/policy.js";
import { clone, readSeedFixture } from "./fixtures.js";

const driftResponse = readSeedFixture("upscope-drift-visitor.json");
const documentedSession = readSeedFixture("upscope-documented-session.json") as Record<string, unknown>;

function issuePaths(result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }): string[] {
  return (result.error?.issues ?? []).map((issue) => issue.path.join("."));
}

describe("Upscope schemas", () => {
  it("parses a session with every documented field (seeds 000 and 001)", () => {
    const session = Session.parse(documentedSession);
    expect(session.id).toBe("ses_9f2k1");
    expect(session.video_status).toBe("ready");
    expect(session.source).toBe("search");
    expect(session.agents?.[0]?.id).toBe("ea_4k2j");
    expect(session.quality_feedback?.[0]?.rating).toBe(5);
  });

  it("tolerates the documented drift and turns numeric ids into strings", () => {
    const parsed = VisitorResponse.parse(driftResponse);
    const visitor = parsed.visitor;
    expect(visitor.short_id).toBe("48213");
    expect(visitor.unique_id).toBe("1234");
    expect(visitor.added_at).toBeUndefined();
    expect(visitor.first_seen_at).toBe("2018-07-05T11:53:38.000+01:00");
    const session = visitor.sessions?.[0];
    expect(session?.id).toBe("1");
    expect(session?.visitor_id).toBe("48213");
    expect(session?.team?.id).toBe("1");
    expect(session?.formatted_call_length).toBe("-");
    expect(session?.started_at).toBe("2018-07-05T11:53:38.000+01:00");
    expect(session?.agents?.[0]?.agent_identifier).toBe("crm-agent-17");
    expect(session?.agents?.[0]?._type).toBe("external_agent");
    expect(session?.agents?.[1]?.id).toBe("7");
  });

  it("keeps unknown extra fields instead of failing", () => {
    const parsed = VisitorResponse.parse(driftResponse);
    expect((parsed.visitor as Record<string, unknown>)["some_future_field"]).toEqual({ anything: true });
  });

  it("accepts null where the docs say nullable", () => {
    const session = clone(documentedSession);
    session["video_status"] = null;
    session["source"] = null;
    session["start_url"] = null;
    expect(Session.safeParse(session).success).toBe(true);
    const visitor = { short_id: "abc", device_type: null, sdk: "ios", browser_name: null };
    expect(Visitor.safeParse(visitor).success).toBe(true);
  });

  it("fails a missing required field with a path naming it", () => {
    const session = clone(documentedSession);
    delete session["started_at"];
    const result = Session.safeParse(session);
    expect(result.success).toBe(false);
    expect(issuePaths(result)).toContain("started_at");
  });

  it("fails a wrong type with a path naming the field", () => {
    const session = clone(documentedSession);
    session["length_seconds"] = "seventy";
    const result = Session.safeParse(session);
    expect(result.success).toBe(false);
    expect(issuePaths(result)).toContain("length_seconds");
  });

  it("keeps a value outside a documented list (video_status, source, device_type) as its own text, reported as drift", () => {
    for (const [field, value] of [
      ["video_status", "exploded"],
      ["source", "carrier pigeon"],
    ] as const) {
      const session = clone(documentedSession);
      session[field] = value;
      const result = parseWithDrift(Session, session);
      expect(result.success && result.data[field]).toBe(value);
      expect(result.success && result.drift).toEqual([{ path: field, kind: "unknown_enum_value", example: value }]);
    }
    const result = parseWithDrift(Visitor, { short_id: "x", device_type: "toaster" });
    expect(result.success && result.drift).toEqual([{ path: "device_type", kind: "unknown_enum_value", example: "toaster" }]);
  });

  it("reports the nested path of a broken session inside a visitor response", () => {
    const broken = clone(driftResponse) as { visitor: { sessions: Record<string, unknown>[] } };
    const first = broken.visitor.sessions[0];
    if (first) first["started_at"] = "yesterday";
    const result = VisitorResponse.safeParse(broken);
    expect(issuePaths(result)).toContain("visitor.sessions.0.started_at");
  });

  it("rejects an agent with neither id nor agent_identifier", () => {
    const session = clone(documentedSession);
    session["agents"] = [{ name: "ghost" }];
    expect(issuePaths(Session.safeParse(session))).toContain("agents.0.id");
  });

  it("parses list, usage and error bodies", () => {
    expect(ListResponse.parse({ status: "ok", visitors: [{ short_id: 5 }] }).visitors[0]?.short_id).toBe("5");
    expect(UsageResponse.safeParse({ status: "ok", usage: { agents: 3, today: { visitors: 1, sessions: 2, session_seconds: 30 } } }).success).toBe(true);
    for (const error of ["invalid_api_key", "no_subscription", "api_not_enabled", "please_contact_team"]) {
      expect(ErrorResponse.safeParse({ status: "error", error }).success).toBe(true);
    }
    expect(issuePaths(ErrorResponse.safeParse({ status: "error", error: "bad_luck" }))).toContain("error");
  });
});
