/**
 * Embedded session control (seed 002, vendor-apis.md §4): the events the co-browsing
 * iframe posts to the agent's page, the instructions the page posts back, and the
 * envelope our recorder wraps each event in on its way to a collector and the lake.
 *
 * One source of truth for three readers: the browser recorder (bundled with zod into
 * embedded/dist/recorder.js), the reference collector, and the sync
 * (data-loaders/embedded). Nothing here may import Node or DOM modules.
 *
 * Two strengths on purpose:
 * - `EmbeddedEvent` is the vendor's shape as documented: documented fields required,
 *   times strict, categories open (data-loaders/drift/policy.ts: a new mode, state or
 *   error code is kept as its own text and reported as drift, as is a number sent as
 *   text or an undocumented field). The recorder checks every message from the iframe
 *   against it; only a message that is not usable becomes an `invalid` report.
 * - `WireEvent` is what travels: the same event after the recorder's field setting
 *   left fields out, so every state, connection and visitor field is optional there,
 *   but a field that is present still has its documented type.
 */
// A namespace import (not `{ z }`) lets esbuild drop the parts of zod the recorder never
// uses (locales among them): the bundle is a quarter of the size.
import * as z from "zod";
import { arrayWithoutNulls, lenientNumber, openCategory, openEnum, openObject, openText } from "../data-loaders/drift/policy.js";

/** Round-trip latency above which the vendor calls a connection slow (seed 002, `dataBounceSpeed`). */
export const SLOW_DATA_BOUNCE_MS = 500;

/** A `Date` (what structured clone delivers) or an ISO 8601 text (what JSON delivers), always kept as ISO text. */
const Instant = z.union([z.date().transform((date) => date.toISOString()), z.iso.datetime({ offset: true })]);

export const SHARING_MODES = ["visitor_browser", "visitor_screen", "agent_screen"] as const;
export const SharingMode = openEnum(SHARING_MODES);
export const SessionMode = openEnum([...SHARING_MODES, "other_agent_screen"]);
export type SessionMode = z.infer<typeof SessionMode>;

export const AgentIdleness = openEnum(["active", "willDisconnect", "disconnected"]);
export const AudioState = openEnum(["off", "ringing", "accepted", "authorizing", "active"]);
export const ControlTool = openEnum(["cursor", "drawing", "pointer"]);
export const SessionStatus = openEnum(["waiting", "pendingRequest", "active", "snapshotReceived", "viewerReady", "terminated"]);

/** The state before the ":" of a video state: the id after it is never an example. */
const videoStatePrefix = (value: string) => value.split(":", 1)[0] ?? "";
/** `"off" | "authorizing:<observerId>" | "active:<observerId>"`. */
export const VideoAgentState = openCategory((value) => value === "off" || /^(authorizing|active):.+$/.test(value), {
  error: 'expected "off", "authorizing:<observerId>" or "active:<observerId>"',
  exampleOf: videoStatePrefix,
});
/** `"off" | "ringing" | "authorizing:<connectionId>" | "active:<connectionId>"`. */
export const VideoVisitorState = openCategory((value) => value === "off" || value === "ringing" || /^(authorizing|active):.+$/.test(value), {
  error: 'expected "off", "ringing", "authorizing:<connectionId>" or "active:<connectionId>"',
  exampleOf: videoStatePrefix,
});

export const EMBEDDED_ERROR_CODES = [
  "connection:authentication",
  "connection:data",
  "connection:user_not_found",
  "connection:user_not_online",
  "connection:expired",
  "connection:version_not_supported",
  "remote_control:inactive",
  "remote_control:element_not_allowed",
  "remote_control:click_not_allowed",
  "remote_control:type_not_allowed",
  "remote_control:scroll_not_allowed",
] as const;
export const EmbeddedErrorCode = openEnum(EMBEDDED_ERROR_CODES);
export type EmbeddedErrorCode = z.infer<typeof EmbeddedErrorCode>;

/** A visitor connection (browser tab or app instance), seed 001 "Connection": camelCase, only in the embedded state. */
export const Connection = openObject({
  uniqueConnectionId: z.string().min(1),
  currentUrl: openText().nullable(),
  activeSince: Instant,
  status: openEnum(["active", "disconnected"]),
  expectedDisconnect: openObject({
    returnTimeSeconds: lenientNumber().nullable(),
    message: openText().nullable(),
    title: openText().nullable(),
    ts: lenientNumber(),
  }).nullable(),
  hasFocus: z.boolean(),
  lastFocusAt: Instant.nullable(),
  screenWidth: lenientNumber(),
  screenHeight: lenientNumber(),
  audioSupported: z.boolean(),
  fullTabStatus: openEnum(["off", "authorizing", "active"]),
  requireAuthorizationForSession: z.boolean(),
  requireControlRequest: z.boolean(),
  allowRemoteConsole: z.boolean(),
  allowAgentRedirect: z.boolean(),
  allowRemoteClick: z.boolean(),
  allowRemoteScroll: z.boolean(),
  allowRemoteType: z.boolean(),
  allowFullScreen: z.boolean(),
  allowRequestFullTab: z.boolean(),
  cobrowsingVideoEnabled: openEnum(["two_way", "visitor_to_agent", "agent_to_visitor", "disabled"]),
  cobrowsingVideoAudioRelationship: openEnum(["independent", "video_requires_audio", "automatic"]),
  enableSessionRating: z.boolean(),
  agentPrompt: openText().nullable(),
  assetsProxyConfigured: z.boolean(),
});
export type Connection = z.output<typeof Connection>;

/**
 * The visitor in the embedded state: the Visitor object of seed 001 with camelCase
 * names. Only `shortId` is taken as always there; the rest is typed when present.
 */
export const EmbeddedVisitor = openObject({
  shortId: z.string().min(1),
  addedAt: Instant.nullish(),
  apiKey: z.string().nullish(),
  browserName: z.string().nullish(),
  callName: z.string().nullish(),
  deviceName: z.string().nullish(),
  deviceType: openEnum(["desktop", "console", "mobile", "tablet", "smarttv", "wearable", "embedded"]).nullish(),
  email: z.string().nullish(),
  identities: z.array(z.string()).nullish(),
  integration: z.string().nullish(),
  ipAddress: z.string().nullish(),
  isInSession: z.boolean().nullish(),
  isOnline: z.boolean().nullish(),
  isSupported: z.boolean().nullish(),
  isWaitingForCall: z.boolean().nullish(),
  jsConfiguration: z.boolean().nullish(),
  lastSeenAt: Instant.nullish(),
  lastUrl: z.string().nullish(),
  locationCity: z.string().nullish(),
  locationCountryName: z.string().nullish(),
  locationCountry: z.string().nullish(),
  lookupCode: z.string().nullish(),
  name: z.string().nullish(),
  nickname: z.string().nullish(),
  tags: z.array(z.string()).nullish(),
  uniqueId: z.string().nullish(),
  watchLink: z.string().nullish(),
  sdk: openEnum(["web", "ios", "android"]).nullish(),
});
export type EmbeddedVisitor = z.output<typeof EmbeddedVisitor>;

/**
 * EmbeddedSessionState: the full snapshot every `upscope.sessionState.update` carries.
 * Properties the seed types as "… | undefined" (or optional) are optional; null is
 * tolerated for them too, since JSON has no undefined.
 */
export const EmbeddedSessionState = openObject({
  activeConnectionId: z.string().nullish(),
  agentIdleness: AgentIdleness,
  audioState: AudioState,
  availableModes: arrayWithoutNulls(SharingMode),
  color: openText(),
  connected: z.boolean(),
  connections: arrayWithoutNulls(Connection),
  controlTool: ControlTool.nullable(),
  currentUrl: openText().nullable(),
  /** A measure: a numeric text reads as the number; anything else makes the event invalid. */
  dataBounceSpeed: lenientNumber().refine((ms) => ms >= 0, "expected a latency of 0 ms or more"),
  isVideoOn: z.boolean(),
  mode: SessionMode.nullish(),
  muted: z.boolean(),
  observersCount: lenientNumber({ int: true }).refine((count) => count >= 0, "expected a count of 0 or more"),
  sessionStatus: SessionStatus,
  size: openObject({ width: lenientNumber(), height: lenientNumber() }).nullish(),
  videoAgentState: VideoAgentState,
  videoVisitorState: VideoVisitorState,
  viewerAudioAvailable: z.boolean(),
  visitor: EmbeddedVisitor.nullish(),
  visitorAudioAvailable: z.boolean(),
});
export type EmbeddedSessionState = z.output<typeof EmbeddedSessionState>;

export const STATE_UPDATE = "upscope.sessionState.update";

export const StateUpdateEvent = openObject({ type: z.literal(STATE_UPDATE), state: EmbeddedSessionState });
export const SessionEndedEvent = openObject({ type: z.literal("sessionEnded"), reason: openEnum(["ended", "error"]) });
export const CustomMessageEvent = openObject({ type: z.literal("customMessage"), message: z.record(z.string(), z.unknown()) });
export const ErrorEvent = openObject({ type: z.literal("error"), error: EmbeddedErrorCode });

/** Any event the iframe sends to the parent frame, as documented. */
export const EmbeddedEvent = z.discriminatedUnion("type", [StateUpdateEvent, SessionEndedEvent, CustomMessageEvent, ErrorEvent]);
export type EmbeddedEvent = z.output<typeof EmbeddedEvent>;
export type EmbeddedEventInput = z.input<typeof EmbeddedEvent>;
export type EmbeddedEventType = EmbeddedEvent["type"];
export const EMBEDDED_EVENT_TYPES: readonly EmbeddedEventType[] = [STATE_UPDATE, "sessionEnded", "customMessage", "error"];

// ---------------------------------------------------------------------------
// Instructions (parent → iframe)

export const EmbeddedInstruction = z.discriminatedUnion("action", [
  z.object({ action: z.literal("endSession") }),
  z.object({ action: z.literal("setMode"), mode: z.enum(["draw", "pointer", "cursor"]).nullable() }),
  z.object({ action: z.literal("switchColor"), color: z.string().optional() }),
  z.object({ action: z.literal("toggleAudio"), on: z.boolean() }),
  z.object({ action: z.literal("toggleVideo") }),
  z.object({ action: z.literal("setMuted"), muted: z.boolean() }),
  z.object({ action: z.literal("beginVideo") }),
  z.object({ action: z.literal("endVideo") }),
  z.object({ action: z.literal("forceRefresh") }),
  z.object({ action: z.literal("historyBack") }),
  z.object({ action: z.literal("historyForward") }),
  z.object({ action: z.literal("reloadPage") }),
  z.object({ action: z.literal("requestControl") }),
  z.object({ action: z.literal("requestFullTab") }),
  z.object({ action: z.literal("runConsoleCommand"), command: z.string() }),
  z.object({ action: z.literal("sendCustomMessage"), message: z.record(z.string(), z.unknown()) }),
  z.object({ action: z.literal("setActiveConnection"), connectionId: z.string().min(1) }),
  z.object({ action: z.literal("setCurrentUrl"), url: z.string() }),
  z.object({ action: z.literal("stopFullTab") }),
  z.object({ action: z.literal("emojiConfetti"), emoji: z.string().min(1) }),
]);
export type EmbeddedInstruction = z.infer<typeof EmbeddedInstruction>;

// ---------------------------------------------------------------------------
// The wire: what the recorder sends, the collector stores (one NDJSON line each) and the sync reads

/** The state as sent: every field may have been left out by the recorder's field setting. */
export const WireSessionState = EmbeddedSessionState.extend({
  connections: arrayWithoutNulls(Connection.partial()),
  visitor: EmbeddedVisitor.partial().nullish(),
}).partial();

export const WireEvent = z.discriminatedUnion("type", [
  StateUpdateEvent.extend({ state: WireSessionState }),
  SessionEndedEvent,
  CustomMessageEvent,
  ErrorEvent,
]);
export type WireEvent = z.output<typeof WireEvent>;

/** What the recorder sends instead of an event that failed `EmbeddedEvent`: never silently dropped. */
export const InvalidEventReport = z.looseObject({
  /** The message's `type`, when it had a string one. */
  type: z.string().max(200).nullable(),
  issues: z.array(z.looseObject({ path: z.string().max(500), message: z.string().max(2000) })).min(1).max(20),
  /** The message as received, cut down by the same field setting as valid events (null when it could not be serialized). */
  raw: z.unknown(),
});
export type InvalidEventReport = z.output<typeof InvalidEventReport>;

const Id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:-]+$/, "ids are letters, digits and . _ : -");

/** What the page that hosts the iframe knows, to join events to the REST API's sessions. */
export const EventContext = z.looseObject({
  /** The Upscope session id, when the agent console knows it. */
  sessionId: z.string().min(1).max(200).optional(),
  /** The visitor's Upscope short id. */
  visitorId: z.string().min(1).max(200).optional(),
  /** The agent's Upscope id (`ea_…` or `u_…`) or the console's own agent id. */
  agentId: z.string().min(1).max(200).optional(),
});
export type EventContext = z.output<typeof EventContext>;

export const WIRE_VERSION = 1;

/** At most this many drift findings travel with one event. */
export const MAX_RECORDED_DRIFT = 50;

/** One drift finding as the recorder sends it (the kind is text, so a newer recorder's kinds still pass a collector). */
export const RecordedDrift = z.looseObject({
  path: z.string().min(1).max(300),
  kind: z.string().min(1).max(40),
  example: z.string().max(40).nullable(),
});
export type RecordedDrift = z.output<typeof RecordedDrift>;

/**
 * One recorded event: an id made by the recorder when the message arrived (the key the
 * collector de-duplicates on and the lake merges on), when and where it was recorded,
 * and either the event or the report of why it was not valid.
 */
export const RecordedEvent = z
  .looseObject({
    v: z.literal(WIRE_VERSION),
    id: Id,
    recordedAt: z.iso.datetime({ offset: true }),
    /** One recorder instance: one iframe on one page load. */
    embedId: Id,
    /** Order of the messages within an embedId. */
    sequence: z.number().int().nonnegative(),
    context: EventContext.optional(),
    event: WireEvent.optional(),
    /**
     * The message's drift from the documented shapes that the recorder accepted (a new
     * mode, a number sent as text …), as the drift ledger counts it: paths are relative
     * to the event, examples only from categories and numbers.
     */
    drift: z.array(RecordedDrift).max(MAX_RECORDED_DRIFT).optional(),
    invalid: InvalidEventReport.optional(),
    /** Set by the collector when it stored the line. */
    receivedAt: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((value) => (value.event === undefined) !== (value.invalid === undefined), {
    message: "a recorded event carries exactly one of `event` and `invalid`",
    path: ["event"],
  });
export type RecordedEvent = z.output<typeof RecordedEvent>;

/** The body of `POST /events`. */
export const EventBatch = z.object({ events: z.array(RecordedEvent).min(1, "a batch holds at least one event") });
export type EventBatch = z.output<typeof EventBatch>;

/** `events[3].event.state.dataBounceSpeed`: a zod path the way people write it. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out || "(event)";
}
