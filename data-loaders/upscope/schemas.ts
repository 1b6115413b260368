/**
 * Raw Upscope / Co-Browsing API shapes (seeds 000 and 001, vendor-apis.md §1).
 *
 * These schemas are the single source of the external shapes, and each field declares
 * its drift policy (data-loaders/drift/policy.ts): the session's `id` and the visitor's
 * `short_id` (keys) and the timestamps are strict, so a record without them is
 * quarantined; the measures (`length_seconds`, `call_length_seconds`, ratings) read a
 * numeric text as the number and quarantine anything else; categories (`source`,
 * `video_status`, `device_type`, `sdk`) and descriptive fields are open: a new value is
 * kept as its text, a number for a text or an id as its text, nulls leave arrays,
 * undocumented fields stay in the record, and each of those is reported as drift. The
 * documented real-world drift (numeric ids, `first_seen_at`, `agent_identifier`,
 * `formatted_call_length: "-"`, timestamps with offsets) passes the same way.
 */
import { z } from "zod";
import { arrayWithoutNulls, lenientId, lenientNumber, openEnum, openObject, openText, recordKey } from "../drift/policy.js";

/** Ids arrive as strings per the docs but as numbers in a published example: always a string. */
export const UpscopeId = lenientId();

/** ISO 8601 with `Z` or a numeric offset (`2018-07-05T11:53:38.000+01:00`). Strict: a time places the record. */
export const UpscopeDateTime = z.iso.datetime({ offset: true });

export const DEVICE_TYPES = ["desktop", "console", "mobile", "tablet", "smarttv", "wearable", "embedded"] as const;
export const DeviceType = openEnum(DEVICE_TYPES);
export type DeviceType = z.infer<typeof DeviceType>;

export const SESSION_SOURCES = ["api", "search", "lookup code", "personal link", "agent request", "integration"] as const;
export const SessionSource = openEnum(SESSION_SOURCES);
export type SessionSource = z.infer<typeof SessionSource>;

export const VIDEO_STATUSES = ["pending", "recording", "not_available", "ready", "expired", "removed"] as const;
export const VideoStatus = openEnum(VIDEO_STATUSES);
export type VideoStatus = z.infer<typeof VideoStatus>;

export const SDKS = ["web", "ios", "android"] as const;
export const Sdk = openEnum(SDKS);
export type Sdk = z.infer<typeof Sdk>;

export const UpscopeErrorCode = z.enum(["invalid_api_key", "no_subscription", "api_not_enabled", "please_contact_team"]);
export type UpscopeErrorCode = z.infer<typeof UpscopeErrorCode>;

const ScreenshotSize = openObject({ url: openText(), height: lenientNumber({ int: true }), width: lenientNumber({ int: true }) });

export const Screenshot = openObject({
  small: ScreenshotSize.nullish(),
  medium: ScreenshotSize.nullish(),
  large: ScreenshotSize.nullish(),
});
export type Screenshot = z.infer<typeof Screenshot>;

export const PageviewEvent = openObject({
  icon: openText().nullish(),
  title: openText(),
  ts: UpscopeDateTime,
  uuid: lenientId(),
});
export type PageviewEvent = z.infer<typeof PageviewEvent>;

export const Pageview = openObject({
  events: arrayWithoutNulls(PageviewEvent).nullish(),
  pageview_id: lenientId(),
  screenshot: Screenshot.nullish(),
  ts: UpscopeDateTime,
  url: openText(),
});
export type Pageview = z.infer<typeof Pageview>;

/**
 * An agent: documented with `id`, seen in the wild as an external agent with
 * `agent_identifier` and `_type: "external_agent"` (and sometimes a numeric id).
 */
export const Agent = openObject({
  id: UpscopeId.optional(),
  agent_identifier: UpscopeId.optional(),
  _type: openText().optional(),
  agent_nickname: openText().nullish(),
  email: openText().nullish(),
  external_id: UpscopeId.nullish(),
  name: openText().nullish(),
  on_premise: z.boolean().nullish(),
}).refine((agent) => agent.id !== undefined || agent.agent_identifier !== undefined, {
  message: "agent needs an id or an agent_identifier",
  path: ["id"],
});
export type Agent = z.infer<typeof Agent>;

export const Team = openObject({
  id: UpscopeId.nullish(),
  domain: openText().nullish(),
  _type: openText().optional(),
});
export type Team = z.infer<typeof Team>;

export const AgentNote = openObject({ text: openText().nullish(), by: UpscopeId.nullish() });
export type AgentNote = z.infer<typeof AgentNote>;

export const QualityFeedback = openObject({
  /** A measure: a numeric text reads as the number, anything else quarantines the session. */
  rating: lenientNumber(),
  feedback: openText().nullish(),
  /** The agent's id, or the visitor's: no example is kept. */
  by: lenientId({ personal: true }).nullish(),
});
export type QualityFeedback = z.infer<typeof QualityFeedback>;

export const Session = openObject({
  id: recordKey(),
  visitor_id: lenientId({ personal: true }).optional(),
  agents: arrayWithoutNulls(Agent).nullish(),
  agent_notes: arrayWithoutNulls(AgentNote).nullish(),
  call_length_seconds: lenientNumber({ int: true }).nullish(),
  call_name: openText().nullish(),
  started_at: UpscopeDateTime,
  ended_at: UpscopeDateTime.nullish(),
  features_used: arrayWithoutNulls(openText()).nullish(),
  /** "00:11", or "-" when there was no call (drift). */
  formatted_call_length: openText().nullish(),
  formatted_length: openText().nullish(),
  length_seconds: lenientNumber({ int: true }).nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
  quality_feedback: arrayWithoutNulls(QualityFeedback).nullish(),
  visitor_agent_feedback: openText().nullish(),
  visitor_agent_rating: lenientNumber().nullish(),
  visitor_email: openText().nullish(),
  visitor_ip_address: openText().nullish(),
  visitor_unique_id: lenientId({ personal: true }).nullish(),
  on_premise: z.boolean().nullish(),
  public_video_url: openText().nullish(),
  secret_video_url: openText().nullish(),
  session_authorized: z.boolean().nullish(),
  source: SessionSource.nullish(),
  start_url: openText().nullish(),
  team: Team.nullish(),
  video_status: VideoStatus.nullish(),
  went_live: z.boolean().nullish(),
});
export type Session = z.infer<typeof Session>;

/** A visitor; `added_at` may arrive as `first_seen_at` (drift), so both are optional. */
export const Visitor = openObject({
  short_id: recordKey({ personal: true }),
  added_at: UpscopeDateTime.optional(),
  first_seen_at: UpscopeDateTime.optional(),
  api_key: openText().nullish(),
  browser_name: openText().nullish(),
  call_name: openText().nullish(),
  device_name: openText().nullish(),
  device_type: DeviceType.nullish(),
  email: openText().nullish(),
  history: arrayWithoutNulls(Pageview).nullish(),
  identities: arrayWithoutNulls(openText()).nullish(),
  integration: openText().nullish(),
  ip_address: openText().nullish(),
  is_in_session: z.boolean().nullish(),
  is_online: z.boolean().nullish(),
  is_supported: z.boolean().nullish(),
  is_waiting_for_call: z.boolean().nullish(),
  js_configuration: z.boolean().nullish(),
  last_seen_at: UpscopeDateTime.nullish(),
  last_url: openText().nullish(),
  location_city: openText().nullish(),
  location_country_name: openText().nullish(),
  location_country: openText().nullish(),
  lookup_code: lenientId({ personal: true }).nullish(),
  name: openText().nullish(),
  nickname: openText().nullish(),
  sessions: z.array(Session).nullish(),
  tags: arrayWithoutNulls(openText()).nullish(),
  unique_id: lenientId({ personal: true }).nullish(),
  watch_link: openText().nullish(),
  sdk: Sdk.nullish(),
});
export type Visitor = z.infer<typeof Visitor>;

/** `GET /list?search=` (and on-premise `/visitors/list/latest|search`). */
export const ListResponse = z.looseObject({
  status: z.literal("ok"),
  visitors: z.array(Visitor),
});
export type ListResponse = z.infer<typeof ListResponse>;

/** `GET /visitors/{short_id}`. */
export const VisitorResponse = z.looseObject({
  status: z.literal("ok"),
  visitor: Visitor,
});
export type VisitorResponse = z.infer<typeof VisitorResponse>;

/** Session count and seconds over one period. */
export const UsagePeriod = z.looseObject({
  visitors: z.number().int().nonnegative(),
  sessions: z.number().int().nonnegative(),
  session_seconds: z.number().nonnegative(),
  call_seconds: z.number().nonnegative().optional(),
});
export type UsagePeriod = z.infer<typeof UsagePeriod>;

/**
 * `GET /usage`: documented only as "aggregate counts (visitors, agents, session counts
 * and seconds for today and the last 30 days)". The exact field names are not confirmed,
 * so everything beyond `status` is optional and unknown keys are kept.
 */
export const UsageResponse = z.looseObject({
  status: z.literal("ok"),
  usage: z
    .looseObject({
      agents: z.number().int().nonnegative().optional(),
      today: UsagePeriod.optional(),
      last_30_days: UsagePeriod.optional(),
    })
    .optional(),
});
export type UsageResponse = z.infer<typeof UsageResponse>;

/** The documented 401 body. */
export const ErrorResponse = z.looseObject({
  status: z.literal("error"),
  error: UpscopeErrorCode,
});
export type ErrorResponse = z.infer<typeof ErrorResponse>;

/** A file of Session objects (customer export or stored webhooks) as a JSON array. */
export const SessionFile = z.array(Session);
export type SessionFile = z.infer<typeof SessionFile>;

/*
 * Envelopes: the sync validates a response's outer shape only, then every Visitor and
 * Session on its own, so that one bad record is quarantined instead of failing the
 * page (or a whole visitor because one of its sessions broke).
 */

/** `GET /list` (and on-premise `/visitors/list/…`) with the visitors left unvalidated. */
export const ListResponseEnvelope = z.looseObject({
  status: z.literal("ok"),
  visitors: z.array(z.unknown()),
});
export type ListResponseEnvelope = z.infer<typeof ListResponseEnvelope>;

/** `GET /visitors/{short_id}` with the visitor (and its sessions) left unvalidated. */
export const VisitorResponseEnvelope = z.looseObject({
  status: z.literal("ok"),
  visitor: z.record(z.string(), z.unknown()),
});
export type VisitorResponseEnvelope = z.infer<typeof VisitorResponseEnvelope>;

/**
 * A `.json` session file: an array of Session objects (an export), or one Session
 * object (a stored webhook body). The sessions are validated one by one afterwards.
 */
export const SessionFileEnvelope = z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]);
export type SessionFileEnvelope = z.infer<typeof SessionFileEnvelope>;
