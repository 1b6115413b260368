/**
 * Embedded session events (seed 002) for the simulator's Upscope sessions: what the
 * lead agent's console recorded while the co-browsing iframe ran, as the recorder sends
 * it (default field setting: no visitor personal data, no URLs, no custom message
 * content) and the collector stores it (`receivedAt` added).
 *
 * Each session's stream follows its Upscope record: the status sequence up to
 * `viewerReady` (or a connection error for a session that never went live), state
 * updates with a round-trip latency per sample (about one session in eight on a slow
 * connection, with spikes), the modes and tools its features imply, audio and video
 * for sessions with a call, several visitor tabs for some web visitors (with a switch
 * between them), extra observers for multi-agent sessions, remote-control errors,
 * agents warned or disconnected for idleness, a console reloaded mid-session now and
 * then (a second recorder, `embedId`), and the end. A few sessions' events arrive hours
 * late (a recorder that was offline). Deterministic per seed and session.
 */
import type { Breakage } from "../breakage.js";
import { breakageKindFor } from "../breakage.js";
import { driftKindFor, type AppliedDrift } from "../drift.js";
import { Rng, hashKey } from "../rng.js";
import { isoUtc } from "../time.js";
import type { AgentProfile, World } from "../world.js";
import type { UpscopeData, UpscopeSessionSkeleton } from "./upscope.js";

export interface EmbeddedEventLine {
  recordedAtMs: number;
  receivedAtMs: number;
  /** The stored line's object (a recorded event with `receivedAt`). */
  record: Record<string, unknown>;
  /** Set for a deliberately broken line: the sync must quarantine exactly these. */
  breakage: Breakage | null;
  /** How the iframe's message drifted from the docs (the recorder kept it and said so), or null. */
  drift: AppliedDrift | null;
}

const CONNECTION_ERRORS = ["connection:user_not_online", "connection:expired", "connection:user_not_found", "connection:authentication", "connection:version_not_supported"] as const;
const CONNECTION_ERROR_WEIGHTS = [55, 25, 8, 8, 4];
const REMOTE_ERRORS = {
  remote_click: "remote_control:click_not_allowed",
  remote_typing: "remote_control:type_not_allowed",
  remote_scroll: "remote_control:scroll_not_allowed",
} as const;
const COLORS = ["#e91e63", "#2196f3", "#4caf50", "#ff9800"];
const SCREENS = [
  [1920, 1080],
  [1440, 900],
  [1366, 768],
  [390, 844],
  [2560, 1440],
] as const;

type State = Record<string, unknown> & { connections: Record<string, unknown>[] };

/**
 * A v4-shaped UUID from a key. Ids are not drawn from the session's random stream:
 * two sessions' 32-bit streams can overlap, which would give two events one id.
 */
function keyedUuid(...parts: readonly (string | number)[]): string {
  const hex = [1, 2, 3, 4].map((salt) => hashKey(...parts, salt).toString(16).padStart(8, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${"89ab"[parseInt(hex[16] ?? "0", 16) % 4]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export class EmbeddedData {
  constructor(
    private readonly world: World,
    private readonly upscope: UpscopeData,
  ) {}

  /** The stored lines of one session, in record order. */
  sessionEvents(skeleton: UpscopeSessionSkeleton): EmbeddedEventLine[] {
    const world = this.world;
    const rng = Rng.for(world.seed, "embedded-session", skeleton.key);
    const session = this.upscope.buildSession(skeleton).record as Record<string, unknown>;
    const sessionId = String(session.id);
    const features = new Set(Array.isArray(session.features_used) ? session.features_used.map(String) : []);
    const person = world.person(skeleton.personIndex);
    const agents = skeleton.agentIndexes.map((index) => world.agents[index]).filter((agent): agent is AgentProfile => agent !== undefined);
    const lead = agents[0];
    const context = { sessionId, visitorId: person.upscopeShortId, ...(lead ? { agentId: lead.upscopeId } : {}) };
    const slow = rng.chance(0.12);
    const medianBounce = slow ? 520 + rng.int(0, 400) : 90 + rng.int(0, 120);
    // A recorder that was offline for a while delivers its events hours later.
    const lateByMs = rng.chance(0.03) ? rng.int(1, 30) * 3_600_000 : 0;

    const web = person.sdk === "web";
    const tabCount = web ? rng.weighted([1, 2, 3], [81, 15, 4]) : 1;
    const screen = rng.pick(SCREENS);
    const connections = Array.from({ length: tabCount }, (_, index) => ({
      uniqueConnectionId: `conn_${rng.hex(10)}`,
      activeSince: isoUtc(skeleton.startMs - rng.int(10, 3600) * 1000 * (index + 1)),
      status: "active",
      hasFocus: index === 0,
      lastFocusAt: isoUtc(skeleton.startMs - rng.int(0, 600) * 1000),
      screenWidth: screen[0],
      screenHeight: screen[1],
      audioSupported: true,
      fullTabStatus: "off",
      requireAuthorizationForSession: true,
      requireControlRequest: rng.chance(0.3),
      allowRemoteConsole: false,
      allowAgentRedirect: true,
      allowRemoteClick: true,
      allowRemoteScroll: true,
      allowRemoteType: rng.chance(0.8),
      allowFullScreen: rng.chance(0.6),
      allowRequestFullTab: rng.chance(0.5),
      cobrowsingVideoEnabled: "two_way",
      cobrowsingVideoAudioRelationship: "video_requires_audio",
      enableSessionRating: true,
      assetsProxyConfigured: false,
    }));
    const visitor = { shortId: person.upscopeShortId, sdk: person.sdk, ...(web ? { deviceType: person.platform.deviceType, browserName: person.platform.browser } : {}), isSupported: true };
    const observerIds = agents.map((agent) => `obs_${agent.index}`);
    const state: State = {
      activeConnectionId: connections[0]?.uniqueConnectionId,
      agentIdleness: "active",
      audioState: "off",
      availableModes: ["visitor_browser", ...(web ? ["visitor_screen"] : []), "agent_screen"],
      color: rng.pick(COLORS),
      connected: false,
      connections,
      controlTool: null,
      dataBounceSpeed: 0,
      isVideoOn: false,
      muted: false,
      observersCount: 1,
      sessionStatus: "waiting",
      size: { width: 1280, height: 720 },
      videoAgentState: "off",
      videoVisitorState: "off",
      viewerAudioAvailable: true,
      visitor,
      visitorAudioAvailable: true,
    };

    const lines: EmbeddedEventLine[] = [];
    let recorder = 0;
    let embedId = keyedUuid(world.seed, "embedded-recorder", skeleton.key, recorder);
    let eventIndex = 0;
    let sequence = 0;
    let t = skeleton.startMs;
    const bounce = () => {
      const spike = rng.chance(0.04) ? 3 + rng.next() * 3 : 1;
      return Math.max(12, Math.round(rng.lognormal(medianBounce, 0.35) * spike));
    };
    const emit = (event: Record<string, unknown>) => {
      const id = keyedUuid(world.seed, "embedded-event", skeleton.key, eventIndex++);
      const record: Record<string, unknown> = { v: 1, id, recordedAt: isoUtc(t), embedId, sequence: sequence++, context, event };
      const receivedAtMs = t + rng.int(40, 1500) + lateByMs;
      record.receivedAt = isoUtc(receivedAtMs);
      const drifted = applyDrift(world, id, record);
      lines.push({ recordedAtMs: t, receivedAtMs, ...applyBreakage(world, id, drifted.record), drift: drifted.drift });
    };
    const update = (changes: Record<string, unknown> = {}) => {
      Object.assign(state, changes);
      emit({ type: "upscope.sessionState.update", state: structuredClone(state) });
    };

    update({ dataBounceSpeed: 0 });
    t += rng.int(1, 3) * 1000;
    update({ sessionStatus: "pendingRequest", connected: true, dataBounceSpeed: bounce() });
    if (!skeleton.wentLive) {
      t = Math.max(t + 1000, skeleton.endMs - 1000);
      const code = rng.weighted(CONNECTION_ERRORS, CONNECTION_ERROR_WEIGHTS);
      emit({ type: "error", error: code });
      update({ sessionStatus: "terminated", connected: false });
      emit({ type: "sessionEnded", reason: rng.chance(0.7) ? "error" : "ended" });
      return lines;
    }
    const liveFrom = Math.min(skeleton.endMs - 2000, t + rng.int(3, 12) * 1000);
    t = liveFrom;
    update({ sessionStatus: "active", dataBounceSpeed: bounce() });
    t += 800;
    update({ sessionStatus: "snapshotReceived", mode: "visitor_browser", dataBounceSpeed: bounce() });
    t += 600;
    update({ sessionStatus: "viewerReady", dataBounceSpeed: bounce(), observersCount: Math.min(agents.length, 1 + (agents.length > 1 && rng.chance(0.3) ? 1 : 0)) || 1 });

    const samples = Math.max(3, Math.min(22, Math.round((skeleton.endMs - t) / 50_000)));
    const step = Math.max(1000, Math.floor((skeleton.endMs - t - 2000) / (samples + 1)));
    const callAt = features.has("audio") ? rng.int(0, Math.max(0, samples - 2)) : -1;
    const videoAt = features.has("video") && callAt >= 0 ? Math.min(samples - 1, callAt + 1) : -1;
    const tabSwitchAt = tabCount > 1 ? rng.int(1, samples - 1) : -1;
    const screenAt = features.has("full_screen") ? rng.int(1, samples - 1) : -1;
    const agentScreenAt = features.has("agent_screen") ? rng.int(1, samples - 1) : -1;
    const idle = rng.chance(0.09) ? (rng.chance(0.5) ? "disconnected" : "willDisconnect") : null;
    const idleAt = idle ? samples - 1 : -1;
    const remoteErrors = Object.entries(REMOTE_ERRORS).filter(([feature]) => features.has(feature) && rng.chance(0.12));
    const tools = [features.has("remote_click") ? "cursor" : null, features.has("drawing") ? "drawing" : null, features.has("pointer") ? "pointer" : null].filter(
      (tool): tool is string => tool !== null,
    );
    let endedByIdle = false;

    for (let sample = 0; sample < samples; sample++) {
      t += step;
      const changes: Record<string, unknown> = { dataBounceSpeed: bounce() };
      if (tools.length > 0 && rng.chance(0.35)) changes.controlTool = rng.pick(tools);
      if (sample === callAt) changes.audioState = "ringing";
      if (callAt >= 0 && sample === callAt + 1) changes.audioState = rng.chance(0.1) ? "authorizing" : "active";
      if (sample === videoAt) {
        const observer = observerIds[0] ?? "obs_0";
        Object.assign(changes, { isVideoOn: true, videoAgentState: `active:${observer}`, videoVisitorState: `active:${String(state.activeConnectionId)}` });
      }
      if (sample === tabSwitchAt) {
        const other = connections[1];
        if (other) {
          changes.activeConnectionId = other.uniqueConnectionId;
          changes.connections = connections.map((connection, index) => ({ ...connection, hasFocus: index === 1 }));
        }
      }
      if (sample === screenAt) changes.mode = "visitor_screen";
      else if (sample === agentScreenAt) changes.mode = "agent_screen";
      else if ((screenAt >= 0 && sample === screenAt + 1) || (agentScreenAt >= 0 && sample === agentScreenAt + 1)) changes.mode = "visitor_browser";
      if (agents.length > 1 && sample === Math.floor(samples / 3)) changes.observersCount = agents.length;
      if (agents.length > 2 && sample === Math.floor((2 * samples) / 3)) changes.mode = rng.chance(0.4) ? "other_agent_screen" : state.mode;
      if (sample === idleAt) changes.agentIdleness = "willDisconnect";
      update(changes);
      if (sample === idleAt && idle === "disconnected") {
        t += 30_000;
        update({ agentIdleness: "disconnected", connected: false, dataBounceSpeed: bounce() });
        endedByIdle = true;
        break;
      }
      if (sample === idleAt) {
        t += 5000;
        update({ agentIdleness: "active", dataBounceSpeed: bounce() });
      }
      for (const [, code] of remoteErrors) {
        if (rng.chance(1 / samples)) {
          t += 300;
          emit({ type: "error", error: code });
        }
      }
      if (slow && rng.chance(0.08)) emit({ type: "error", error: "connection:data" });
      if (state.controlTool !== null && rng.chance(0.01)) emit({ type: "error", error: "remote_control:inactive" });
      if (rng.chance(0.02)) emit({ type: "customMessage", message: {} });
      // An agent who reloads the console mid-session: a new recorder, a new embedId.
      if (sample === Math.floor(samples / 2) && rng.chance(0.05)) {
        embedId = keyedUuid(world.seed, "embedded-recorder", skeleton.key, ++recorder);
        sequence = 0;
        t += 4000;
        update({ dataBounceSpeed: bounce() });
      }
    }
    // Errors decided above but never drawn still happened once.
    for (const [, code] of remoteErrors) if (!lines.some((line) => (line.record.event as { error?: unknown } | undefined)?.error === code)) emit({ type: "error", error: code });
    t = Math.max(t + 1000, endedByIdle ? t + 1000 : skeleton.endMs);
    update({ sessionStatus: "terminated", connected: false, audioState: "off", isVideoOn: false, videoAgentState: "off", videoVisitorState: "off" });
    emit({ type: "sessionEnded", reason: endedByIdle || (slow && rng.chance(0.15)) ? "error" : "ended" });
    return lines;
  }
}

/**
 * Vendor drift (drift.ts) as the recorder records it: the iframe sent a state, an error
 * code or an end reason the docs do not list (kept as it came, with the recorder's
 * `drift` note), or an undocumented state field (left on the page by the recorder's
 * field setting, only the note travels). Other kinds do not survive the recorder
 * (it reads numbers and drops nulls before sending), so they are not simulated here.
 */
function applyDrift(world: World, id: string, record: Record<string, unknown>): { record: Record<string, unknown>; drift: AppliedDrift | null } {
  const kind = driftKindFor(world.seed, world.drift, "embedded-event", id, ["unknown_enum_value", "unknown_field"]);
  const event = record.event as Record<string, unknown> | undefined;
  if (!kind || !event) return { record, drift: null };
  let path: (string | number)[];
  let note: { path: string; kind: string; example: string | null };
  const drifted: Record<string, unknown> = { ...event };
  if (kind === "unknown_field" && event.type === "upscope.sessionState.update") {
    path = ["event", "state", "screenShareQuality"];
    note = { path: "state.screenShareQuality", kind, example: null };
  } else if (event.type === "upscope.sessionState.update") {
    drifted.state = { ...(event.state as Record<string, unknown>), sessionStatus: "reconnecting" };
    path = ["event", "state", "sessionStatus"];
    note = { path: "state.sessionStatus", kind: "unknown_enum_value", example: "reconnecting" };
  } else if (event.type === "error") {
    drifted.error = "connection:timeout";
    path = ["event", "error"];
    note = { path: "error", kind: "unknown_enum_value", example: "connection:timeout" };
  } else if (event.type === "sessionEnded") {
    drifted.reason = "timeout";
    path = ["event", "reason"];
    note = { path: "reason", kind: "unknown_enum_value", example: "timeout" };
  } else {
    return { record, drift: null };
  }
  return { record: { ...record, event: drifted, drift: [note] }, drift: { kind: note.kind as AppliedDrift["kind"], path } };
}

/**
 * Deliberately broken lines (the invalid-record fault): a line without `recordedAt`, a
 * line with a text `sequence`, or the report the recorder sends for a message it cannot
 * use (a latency that is not a number; a new mode would be drift, recorded as an event).
 * Each is a property of the event, the same in every export.
 */
function applyBreakage(world: World, id: string, record: Record<string, unknown>): { record: Record<string, unknown>; breakage: Breakage | null } {
  const kind = breakageKindFor(world.seed, world.config.invalidRecordRate, "embedded-event", id);
  if (!kind) return { record, breakage: null };
  if (kind === "missing_required") {
    const { recordedAt: _dropped, ...rest } = record;
    return { record: rest, breakage: { kind, path: ["recordedAt"] } };
  }
  if (kind === "wrong_type") return { record: { ...record, sequence: "seven" }, breakage: { kind, path: ["sequence"] } };
  const { event, ...rest } = record;
  const type = (event as { type?: unknown } | undefined)?.type;
  return {
    record: {
      ...rest,
      invalid: {
        type: typeof type === "string" ? type : null,
        issues: [{ path: "state.dataBounceSpeed", message: "expected a number, received text that is not one" }],
        raw: { type, state: { dataBounceSpeed: "fast" } },
      },
    },
    breakage: { kind, path: ["invalid"] },
  };
}
