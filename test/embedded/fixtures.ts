/**
 * Events in the shapes seed 002 documents (and seed 001's Connection and camelCase
 * Visitor), with every documented property set, for the schema, collector, sync and
 * Chromium tests.
 */
import { randomUUID } from "node:crypto";

export function documentedConnection(id = "conn-1", overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    uniqueConnectionId: id,
    currentUrl: "https://shop.example.com/checkout?email=zelda%40example.org",
    activeSince: "2026-05-01T10:00:00.000Z",
    status: "active",
    expectedDisconnect: { returnTimeSeconds: null, message: "Back soon", title: "Navigating", ts: 1777629600000 },
    hasFocus: true,
    lastFocusAt: "2026-05-01T10:01:00.000Z",
    screenWidth: 1920,
    screenHeight: 1080,
    audioSupported: true,
    fullTabStatus: "off",
    requireAuthorizationForSession: true,
    requireControlRequest: false,
    allowRemoteConsole: false,
    allowAgentRedirect: true,
    allowRemoteClick: true,
    allowRemoteScroll: true,
    allowRemoteType: true,
    allowFullScreen: false,
    allowRequestFullTab: true,
    cobrowsingVideoEnabled: "two_way",
    cobrowsingVideoAudioRelationship: "video_requires_audio",
    enableSessionRating: true,
    agentPrompt: "Ask before typing",
    assetsProxyConfigured: false,
    ...overrides,
  };
}

/** A visitor with personal data in it: the recorder's default setting must keep it on the page. */
export function documentedVisitor(): Record<string, unknown> {
  return {
    shortId: "vis123",
    addedAt: "2025-01-01T00:00:00.000Z",
    apiKey: "pk_demo",
    browserName: "Chrome",
    callName: null,
    deviceName: null,
    deviceType: "desktop",
    email: "zelda@example.org",
    identities: ["Zelda Visitorname", "zelda@example.org"],
    integration: null,
    ipAddress: "198.51.100.23",
    isInSession: true,
    isOnline: true,
    isSupported: true,
    isWaitingForCall: false,
    jsConfiguration: false,
    lastSeenAt: "2026-05-01T10:00:00.000Z",
    lastUrl: "https://shop.example.com/account/zelda",
    locationCity: "Lyon",
    locationCountryName: "France",
    locationCountry: "FR",
    lookupCode: "4411",
    name: "Zelda Visitorname",
    nickname: "zelda",
    tags: ["vip"],
    uniqueId: "cust-000042",
    watchLink: "https://app.upscope.io/w/vis123",
    sdk: "web",
  };
}

export function documentedState(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    activeConnectionId: "conn-1",
    agentIdleness: "active",
    audioState: "off",
    availableModes: ["visitor_browser", "visitor_screen", "agent_screen"],
    color: "#2196f3",
    connected: true,
    connections: [documentedConnection("conn-1"), documentedConnection("conn-2", { hasFocus: false })],
    controlTool: "cursor",
    currentUrl: "https://shop.example.com/checkout?email=zelda%40example.org",
    dataBounceSpeed: 120,
    isVideoOn: false,
    mode: "visitor_browser",
    muted: false,
    observersCount: 1,
    sessionStatus: "viewerReady",
    size: { width: 1280, height: 720 },
    videoAgentState: "off",
    videoVisitorState: "off",
    viewerAudioAvailable: true,
    visitor: documentedVisitor(),
    visitorAudioAvailable: true,
    ...overrides,
  };
}

export const stateUpdate = (overrides: Record<string, unknown> = {}) => ({ type: "upscope.sessionState.update", state: documentedState(overrides) });

/** A recorded event as the recorder sends it (a small state by default). */
export function recordedEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    v: 1,
    id: randomUUID(),
    recordedAt: "2026-05-01T10:00:00.000Z",
    embedId: "embed-1",
    sequence: 0,
    context: { sessionId: "ses_1", visitorId: "vis123", agentId: "ea_1" },
    event: { type: "upscope.sessionState.update", state: { dataBounceSpeed: 150, connected: true, sessionStatus: "viewerReady", agentIdleness: "active" } },
    ...overrides,
  };
}
