/**
 * Which fields of an event the recorder sends: an allow-list per object, so a field
 * the vendor adds later is not sent until someone allows it. The defaults send what
 * the reports need and no visitor personal data: no email, name, IP, identities,
 * unique id, lookup code or link, no URL (paths and queries carry personal data),
 * and no custom message content (the visitor's SDK chooses what goes in it).
 */
import { Connection, EmbeddedSessionState, EmbeddedVisitor, STATE_UPDATE, type EmbeddedEvent, type WireEvent } from "./schemas.js";

export type StateField = keyof typeof EmbeddedSessionState.shape & string;
export type ConnectionField = keyof typeof Connection.shape & string;
export type VisitorField = keyof typeof EmbeddedVisitor.shape & string;

export const STATE_FIELDS = Object.keys(EmbeddedSessionState.shape) as StateField[];
export const CONNECTION_FIELDS = Object.keys(Connection.shape) as ConnectionField[];
export const VISITOR_FIELDS = Object.keys(EmbeddedVisitor.shape) as VisitorField[];

export const DEFAULT_STATE_FIELDS: readonly StateField[] = STATE_FIELDS.filter((field) => field !== "currentUrl");
export const DEFAULT_CONNECTION_FIELDS: readonly ConnectionField[] = CONNECTION_FIELDS.filter(
  // agentPrompt is free text the account wrote; expectedDisconnect's message and title too.
  (field) => field !== "currentUrl" && field !== "agentPrompt" && field !== "expectedDisconnect",
);
export const DEFAULT_VISITOR_FIELDS: readonly VisitorField[] = ["shortId", "sdk", "deviceType", "browserName", "isSupported"];

export interface FieldSettings {
  /** State properties to send (default: all but `currentUrl`). `connections` and `visitor` are further cut by the two lists below. */
  state?: readonly StateField[];
  /** Connection properties to send (default: all but `currentUrl`, `agentPrompt`, `expectedDisconnect`). */
  connection?: readonly ConnectionField[];
  /** Visitor properties to send (default: `shortId`, `sdk`, `deviceType`, `browserName`, `isSupported`). */
  visitor?: readonly VisitorField[];
  /** Keys of a `customMessage` to keep (default none: the message is sent as `{}`). */
  customMessageKeys?: readonly string[];
}

export interface ResolvedFieldSettings {
  state: ReadonlySet<string>;
  connection: ReadonlySet<string>;
  visitor: ReadonlySet<string>;
  customMessageKeys: ReadonlySet<string>;
}

export function resolveFieldSettings(settings: FieldSettings = {}): ResolvedFieldSettings {
  return {
    state: new Set(settings.state ?? DEFAULT_STATE_FIELDS),
    connection: new Set(settings.connection ?? DEFAULT_CONNECTION_FIELDS),
    visitor: new Set(settings.visitor ?? DEFAULT_VISITOR_FIELDS),
    customMessageKeys: new Set(settings.customMessageKeys ?? []),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function pickKeys(value: Record<string, unknown>, allowed: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) if (allowed.has(key) && value[key] !== undefined) out[key] = value[key];
  return out;
}

/** A state object (valid or not) cut down to the allowed fields, connections and visitor included. */
function filterState(state: Record<string, unknown>, fields: ResolvedFieldSettings): Record<string, unknown> {
  const out = pickKeys(state, fields.state);
  if (Array.isArray(out.connections)) {
    out.connections = out.connections.map((connection) => (isRecord(connection) ? pickKeys(connection, fields.connection) : null));
  }
  if (isRecord(out.visitor)) out.visitor = pickKeys(out.visitor, fields.visitor);
  return out;
}

/** The event as it will be sent: a validated event with only the allowed fields. */
export function filterEvent(event: EmbeddedEvent, fields: ResolvedFieldSettings): WireEvent {
  switch (event.type) {
    case STATE_UPDATE:
      return { type: STATE_UPDATE, state: filterState(event.state, fields) } as WireEvent;
    case "customMessage":
      return { type: "customMessage", message: pickKeys(event.message, fields.customMessageKeys) };
    case "sessionEnded":
      return { type: "sessionEnded", reason: event.reason };
    case "error":
      return { type: "error", error: event.error };
  }
}

/**
 * Best effort for a message that failed validation: the same cut, applied to whatever
 * shape arrived, so an invalid message never carries more than a valid one would.
 * Anything that is not an object of a known type keeps only its `type`.
 */
export function filterUnknown(raw: unknown, fields: ResolvedFieldSettings): unknown {
  if (!isRecord(raw)) return typeof raw === "string" || typeof raw === "number" || typeof raw === "boolean" || raw === null ? raw : null;
  const type = typeof raw.type === "string" ? raw.type : undefined;
  switch (type) {
    case STATE_UPDATE:
      return { type, ...(isRecord(raw.state) ? { state: filterState(raw.state, fields) } : { state: raw.state === undefined ? undefined : typeof raw.state }) };
    case "customMessage":
      return { type, message: isRecord(raw.message) ? pickKeys(raw.message, fields.customMessageKeys) : typeof raw.message };
    case "sessionEnded":
      return { type, reason: typeof raw.reason === "string" ? raw.reason.slice(0, 200) : typeof raw.reason };
    case "error":
      return { type, error: typeof raw.error === "string" ? raw.error.slice(0, 200) : typeof raw.error };
    default:
      return { type: type === undefined ? null : type.slice(0, 200) };
  }
}
