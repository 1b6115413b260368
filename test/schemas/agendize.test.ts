import { describe, expect, it } from "vitest";
import { parseWithDrift } from "../../data-loaders/drift/policy.js";
import { ChatHistoryListResponse, ChatSession } from "../../data-loaders/agendize/schemas.js";
import { clone, readSeedFixture } from "./fixtures.js";

const listBody = readSeedFixture("agendize-chat-session.json");

function firstItem(): Record<string, unknown> {
  const item = (clone(listBody) as { items: Record<string, unknown>[] }).items[0];
  if (!item) throw new Error("fixture has no item");
  return item;
}

function issuePaths(result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }): string[] {
  return (result.error?.issues ?? []).map((issue) => issue.path.join("."));
}

describe("Agendize schemas", () => {
  it("parses a list response shaped like seed 004", () => {
    const parsed = ChatHistoryListResponse.parse(listBody);
    expect(parsed.summary.chatSessions).toBe(1);
    const chat = parsed.items[0];
    expect(chat?.visitor?.emaillAddress).toBe("jane@example.com");
    expect(chat?.start).toEqual({ dateTime: "2026-10-25T02:30:00", timeZone: "Europe/Paris" });
    expect(chat?.messages.map((message) => message.source)).toEqual(["visitor", "operator"]);
  });

  it("fails a missing start, a wrong type and an unreadable message time with paths; keeps a new message source", () => {
    const missing = firstItem();
    delete missing["start"];
    expect(issuePaths(ChatSession.safeParse(missing))).toContain("start");

    const wrongType = firstItem();
    (wrongType["start"] as Record<string, unknown>)["dateTime"] = 1729816200000;
    expect(issuePaths(ChatSession.safeParse(wrongType))).toContain("start.dateTime");

    const unknownEnum = firstItem();
    const message = (unknownEnum["messages"] as Record<string, unknown>[])[0];
    if (message) message["source"] = "bot";
    const kept = parseWithDrift(ChatSession, unknownEnum);
    expect(kept.success && kept.data.messages[0]?.source).toBe("bot");
    expect(kept.success && kept.drift).toEqual([{ path: "messages[].source", kind: "unknown_enum_value", example: "bot" }]);

    const unreadable = firstItem();
    const sent = (unreadable["messages"] as { sent: Record<string, unknown> }[])[0]?.sent;
    if (sent) sent["dateTime"] = "yesterday at ten";
    expect(issuePaths(ChatSession.safeParse(unreadable))).toContain("messages.0.sent.dateTime");
  });

  it("rejects an unknown time zone", () => {
    const item = firstItem();
    (item["start"] as Record<string, unknown>)["timeZone"] = "Mars/Olympus_Mons";
    expect(issuePaths(ChatSession.safeParse(item))).toContain("start.timeZone");
  });
});
