/**
 * The seed-002 shapes: every documented event and instruction validates, a value
 * outside a documented list is kept as drift (not invalid) while an unreadable measure
 * or an unknown event type is invalid, what the seed leaves undefined may be absent, structured-clone Dates become
 * ISO text; the recorder's field setting keeps visitor personal data, URLs and custom
 * message content on the page by default, and what it sends is a valid wire event.
 */
import { describe, expect, it } from "vitest";
import { filterEvent, filterUnknown, resolveFieldSettings } from "../../embedded/fields.js";
import {
  EMBEDDED_ERROR_CODES,
  EmbeddedEvent,
  EmbeddedInstruction,
  EventBatch,
  RecordedEvent,
  WireEvent,
  formatIssuePath,
} from "../../embedded/schemas.js";
import { parseWithDrift } from "../../data-loaders/drift/policy.js";
import { documentedConnection, documentedState, recordedEvent, stateUpdate } from "./fixtures.js";

const issuesOf = (value: unknown) => {
  const parsed = EmbeddedEvent.safeParse(value);
  return parsed.success ? [] : parsed.error.issues.map((issue) => formatIssuePath(issue.path));
};
/** `path kind example` of each drift the event carries (empty when it has none or is invalid). */
const driftOf = (value: unknown) => {
  const parsed = parseWithDrift(EmbeddedEvent, value);
  return parsed.success ? parsed.drift.map((finding) => `${finding.path} ${finding.kind} ${finding.example}`) : ["invalid"];
};

describe("the events the iframe posts (seed 002)", () => {
  it("accepts a full state snapshot, sessionEnded, customMessage and each of the 11 error codes", () => {
    expect(issuesOf(stateUpdate())).toEqual([]);
    expect(driftOf(stateUpdate())).toEqual([]); // the documented shapes carry no drift
    expect(issuesOf({ type: "sessionEnded", reason: "ended" })).toEqual([]);
    expect(issuesOf({ type: "sessionEnded", reason: "error" })).toEqual([]);
    expect(issuesOf({ type: "customMessage", message: { plan: "pro", nested: { a: 1 } } })).toEqual([]);
    expect(EMBEDDED_ERROR_CODES).toHaveLength(11);
    for (const code of EMBEDDED_ERROR_CODES) expect(issuesOf({ type: "error", error: code }), code).toEqual([]);
  });

  it("keeps a value outside a documented list as its own text and reports it as drift", () => {
    expect(issuesOf(stateUpdate({ mode: "picture_in_picture" }))).toEqual([]);
    expect(driftOf(stateUpdate({ mode: "picture_in_picture" }))).toEqual(["state.mode unknown_enum_value picture_in_picture"]);
    expect(driftOf(stateUpdate({ agentIdleness: "asleep" }))).toEqual(["state.agentIdleness unknown_enum_value asleep"]);
    expect(driftOf(stateUpdate({ availableModes: ["visitor_browser", "other_agent_screen"] }))).toEqual(["state.availableModes[] unknown_enum_value other_agent_screen"]);
    expect(driftOf(stateUpdate({ connections: [documentedConnection("c", { status: "gone" })] }))).toEqual(["state.connections[].status unknown_enum_value gone"]);
    expect(driftOf({ type: "error", error: "remote_control:laser_not_allowed" })).toEqual(["error unknown_enum_value remote_control:laser_not_allowed"]);
    expect(driftOf({ type: "sessionEnded", reason: "timeout" })).toEqual(["reason unknown_enum_value timeout"]);
    const kept = parseWithDrift(EmbeddedEvent, stateUpdate({ mode: "picture_in_picture", dataBounceSpeed: "120" }));
    expect(kept.success && kept.data.type === "upscope.sessionState.update" && [kept.data.state.mode, kept.data.state.dataBounceSpeed]).toEqual(["picture_in_picture", 120]);
  });

  it("still refuses what cannot be used, naming the failing field", () => {
    expect(issuesOf(stateUpdate({ dataBounceSpeed: "fast" }))).toEqual(["state.dataBounceSpeed"]);
    expect(issuesOf(stateUpdate({ dataBounceSpeed: -5 }))).toEqual(["state.dataBounceSpeed"]);
    expect(issuesOf({ type: "somethingNew" })).toEqual(["type"]);
    expect(issuesOf("upscope.sessionState.update")).toEqual(["(event)"]);
    expect(driftOf(stateUpdate({ mode: "picture_in_picture", dataBounceSpeed: "fast" }))).toEqual(["invalid"]);
  });

  it("reads the video states with their id suffix, and keeps a bare state as drift without its id", () => {
    for (const [agentState, visitorState] of [
      ["off", "off"],
      ["authorizing:obs-1", "ringing"],
      ["active:obs-1", "authorizing:conn-1"],
      ["active:obs-2", "active:conn-2"],
    ]) {
      expect(issuesOf(stateUpdate({ videoAgentState: agentState, videoVisitorState: visitorState }))).toEqual([]);
    }
    expect(driftOf(stateUpdate({ videoAgentState: "active" }))).toEqual(["state.videoAgentState unknown_enum_value active"]);
    expect(driftOf(stateUpdate({ videoAgentState: "ringing" }))).toEqual(["state.videoAgentState unknown_enum_value ringing"]);
    expect(driftOf(stateUpdate({ videoVisitorState: "active:" }))).toEqual(["state.videoVisitorState unknown_enum_value active"]);
    // A new state with an id: the example is the state, never the id.
    expect(driftOf(stateUpdate({ videoVisitorState: "paused:conn-secret-1" }))).toEqual(["state.videoVisitorState unknown_enum_value paused"]);
  });

  it("lets what the seed types as undefined be absent (a session not started yet), and keeps unknown fields", () => {
    const { mode: _mode, visitor: _visitor, size: _size, activeConnectionId: _active, ...notStarted } = documentedState({ sessionStatus: "waiting" });
    expect(issuesOf({ type: "upscope.sessionState.update", state: notStarted })).toEqual([]);
    expect(issuesOf(stateUpdate({ controlTool: null, currentUrl: null }))).toEqual([]);
    const { agentIdleness: _idle, ...missing } = documentedState();
    expect(issuesOf({ type: "upscope.sessionState.update", state: missing })).toEqual(["state.agentIdleness"]);
    const parsed = EmbeddedEvent.parse(stateUpdate({ newVendorField: 7 }));
    expect(parsed.type === "upscope.sessionState.update" && parsed.state.newVendorField).toBe(7);
  });

  it("turns the Dates structured clone delivers into ISO text", () => {
    const at = new Date("2026-05-01T10:01:00.000Z");
    const parsed = EmbeddedEvent.parse(stateUpdate({ connections: [documentedConnection("c", { lastFocusAt: at, activeSince: at })] }));
    if (parsed.type !== "upscope.sessionState.update") throw new Error("not a state update");
    expect(parsed.state.connections[0]?.lastFocusAt).toBe("2026-05-01T10:01:00.000Z");
    expect(parsed.state.connections[0]?.activeSince).toBe("2026-05-01T10:01:00.000Z");
  });
});

describe("the instructions (seed 002)", () => {
  it("accepts every documented action with its parameters", () => {
    const documented = [
      { action: "endSession" },
      { action: "setMode", mode: "draw" },
      { action: "setMode", mode: null },
      { action: "switchColor" },
      { action: "switchColor", color: "#ff0000" },
      { action: "toggleAudio", on: true },
      { action: "toggleVideo" },
      { action: "setMuted", muted: true },
      { action: "beginVideo" },
      { action: "endVideo" },
      { action: "forceRefresh" },
      { action: "historyBack" },
      { action: "historyForward" },
      { action: "reloadPage" },
      { action: "requestControl" },
      { action: "requestFullTab" },
      { action: "runConsoleCommand", command: "location.reload()" },
      { action: "sendCustomMessage", message: { step: 2 } },
      { action: "setActiveConnection", connectionId: "conn-2" },
      { action: "setCurrentUrl", url: "https://shop.example.com/" },
      { action: "stopFullTab" },
      { action: "emojiConfetti", emoji: "🎉" },
    ];
    expect(new Set(documented.map((instruction) => instruction.action)).size).toBe(20);
    for (const instruction of documented) expect(EmbeddedInstruction.safeParse(instruction).success, instruction.action).toBe(true);
    expect(EmbeddedInstruction.safeParse({ action: "setMode", mode: "laser" }).success).toBe(false);
    expect(EmbeddedInstruction.safeParse({ action: "toggleAudio" }).success).toBe(false);
    expect(EmbeddedInstruction.safeParse({ action: "setActiveConnection", connectionId: "" }).success).toBe(false);
  });
});

describe("what the recorder sends", () => {
  const defaults = resolveFieldSettings();

  it("by default leaves visitor personal data, URLs, free text and custom message content on the page", () => {
    const sent = filterEvent(EmbeddedEvent.parse(stateUpdate()), defaults);
    const text = JSON.stringify(sent);
    for (const secret of ["zelda", "198.51.100.23", "cust-000042", "4411", "Lyon", "checkout", "Ask before typing", "Back soon"]) expect(text).not.toContain(secret);
    if (sent.type !== "upscope.sessionState.update") throw new Error("not a state update");
    expect(sent.state.visitor).toEqual({ shortId: "vis123", sdk: "web", deviceType: "desktop", browserName: "Chrome", isSupported: true });
    expect(sent.state.dataBounceSpeed).toBe(120);
    expect(sent.state.connections).toHaveLength(2);
    expect(WireEvent.safeParse(sent).success).toBe(true);
    expect(filterEvent(EmbeddedEvent.parse({ type: "customMessage", message: { email: "zelda@example.org" } }), defaults)).toEqual({ type: "customMessage", message: {} });
  });

  it("sends exactly the fields a setting allows", () => {
    const fields = resolveFieldSettings({ state: ["dataBounceSpeed", "visitor", "currentUrl"], visitor: ["shortId", "email"], customMessageKeys: ["step"] });
    const sent = filterEvent(EmbeddedEvent.parse(stateUpdate()), fields);
    expect(sent).toEqual({
      type: "upscope.sessionState.update",
      state: { dataBounceSpeed: 120, currentUrl: "https://shop.example.com/checkout?email=zelda%40example.org", visitor: { shortId: "vis123", email: "zelda@example.org" } },
    });
    expect(WireEvent.safeParse(sent).success).toBe(true);
    expect(filterEvent(EmbeddedEvent.parse({ type: "customMessage", message: { step: 2, secret: "x" } }), fields)).toEqual({ type: "customMessage", message: { step: 2 } });
  });

  it("cuts an invalid message down the same way before reporting it", () => {
    const raw = { type: "upscope.sessionState.update", state: { ...documentedState(), mode: "picture_in_picture" } };
    const cut = JSON.stringify(filterUnknown(raw, defaults));
    expect(cut).toContain("picture_in_picture");
    expect(cut).not.toContain("zelda");
    expect(filterUnknown({ type: "whatever", secret: "zelda" }, defaults)).toEqual({ type: "whatever" });
    expect(filterUnknown(42, defaults)).toBe(42);
  });

  it("wraps each event in an envelope with exactly one of `event` and `invalid`", () => {
    expect(RecordedEvent.safeParse(recordedEvent()).success).toBe(true);
    const report = recordedEvent({ event: undefined, invalid: { type: "upscope.sessionState.update", issues: [{ path: "state.mode", message: "bad" }], raw: null } });
    expect(RecordedEvent.safeParse(report).success).toBe(true);
    const both = recordedEvent({ invalid: { type: null, issues: [{ path: "(event)", message: "bad" }], raw: null } });
    expect(RecordedEvent.safeParse(both).success).toBe(false);
    expect(RecordedEvent.safeParse(recordedEvent({ event: undefined })).success).toBe(false);
    expect(RecordedEvent.safeParse(recordedEvent({ id: "has spaces" })).success).toBe(false);
    expect(EventBatch.safeParse({ events: [] }).success).toBe(false);
  });
});
