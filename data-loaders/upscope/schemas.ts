/**
 * Raw Upscope / Co-Browsing API shapes (seeds 000 and 001, vendor-apis.md §1).
 *
 * These schemas are the single source of the external shapes. They are tolerant of the
 * documented real-world drift (numeric ids, `first_seen_at`, `agent_identifier`,
 * `formatted_call_length: "-"`, timestamps with offsets) and keep unknown fields
 * (loose objects), but enums are strict so an unknown value fails and can be quarantined.
 */
import { z } from "zod";

/** Ids arrive as strings per the docs but as numbers in a published example: always a string. */
export const UpscopeId = z.union([z.string(), z.number()]).transform((value) => String(value));

/** ISO 8601 with `Z` or a numeric offset (`2018-07-05T11:53:38.000+01:00`). */
export const UpscopeDateTime = z.iso.datetime({ offset: true });

export const DeviceType = z.enum(["desktop", "console", "mobile", "tablet", "smarttv", "wearable", "embedded"]);
export type DeviceType = z.infer<typeof DeviceType>;

export const SessionSource = z.enum(["api", "search", "lookup code", "personal link", "agent request", "integration"]);
export type SessionSource = z.infer<typeof SessionSource>;

export const VideoStatus = z.enum(["pending", "recording", "not_available", "ready", "expired", "removed"]);
export type VideoStatus = z.infer<typeof VideoStatus>;

export const Sdk = z.enum(["web", "ios", "android"]);
export type Sdk = z.infer<typeof Sdk>;

export const UpscopeErrorCode = z.enum(["invalid_api_key", "no_subscription", "api_not_enabled", "please_contact_team"]);
export type UpscopeErrorCode = z.infer<typeof UpscopeErrorCode>;

const ScreenshotSize = z.looseObject({ url: z.string(), height: z.number().int(), width: z.number().int() });

export const Screenshot = z.looseObject({
  small: ScreenshotSize.optional(),
  medium: ScreenshotSize.optional(),
  large: ScreenshotSize.optional(),
});
export type Screenshot = z.infer<typeof Screenshot>;

export const PageviewEvent = z.looseObject({
  icon: z.string().nullish(),
  title: z.string(),
  ts: UpscopeDateTime,
  uuid: z.string(),
});
export type PageviewEvent = z.infer<typeof PageviewEvent>;

export const Pageview = z.looseObject({
  events: z.array(PageviewEvent).nullish(),
  pageview_id: z.string(),
  screenshot: Screenshot.nullish(),
  ts: UpscopeDateTime,
  url: z.string(),
});
export type Pageview = z.infer<typeof Pageview>;

/**
 * An agent: documented with `id`, seen in the wild as an external agent with
 * `agent_identifier` and `_type: "external_agent"` (and sometimes a numeric id).
 */
export const Agent = z
  .looseObject({
    id: UpscopeId.optional(),
    agent_identifier: UpscopeId.optional(),
    _type: z.string().optional(),
    agent_nickname: z.string().nullish(),
    email: z.string().nullish(),
    external_id: UpscopeId.nullish(),
    name: z.string().nullish(),
    on_premise: z.boolean().optional(),
  })
  .refine((agent) => agent.id !== undefined || agent.agent_identifier !== undefined, {
    message: "agent needs an id or an agent_identifier",
    path: ["id"],
  });
export type Agent = z.infer<typeof Agent>;

export const Team = z.looseObject({
  id: UpscopeId,
  domain: z.string().nullish(),
  _type: z.string().optional(),
});
export type Team = z.infer<typeof Team>;

export const AgentNote = z.looseObject({ text: z.string(), by: UpscopeId });
export type AgentNote = z.infer<typeof AgentNote>;

export const QualityFeedback = z.looseObject({
  rating: z.number(),
  feedback: z.string().nullable(),
  by: UpscopeId.nullish(),
});
export type QualityFeedback = z.infer<typeof QualityFeedback>;

export const Session = z.looseObject({
  id: UpscopeId,
  visitor_id: UpscopeId.optional(),
  agents: z.array(Agent).optional(),
  agent_notes: z.array(AgentNote).nullish(),
  call_length_seconds: z.number().int().nullish(),
  call_name: z.string().nullish(),
  started_at: UpscopeDateTime,
  ended_at: UpscopeDateTime.nullish(),
  features_used: z.array(z.string()).nullish(),
  /** "00:11", or "-" when there was no call (drift). */
  formatted_call_length: z.string().nullish(),
  formatted_length: z.string().nullish(),
  length_seconds: z.number().int().nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
  quality_feedback: z.array(QualityFeedback).nullish(),
  visitor_agent_feedback: z.string().nullish(),
  visitor_agent_rating: z.number().nullish(),
  visitor_email: z.string().nullish(),
  visitor_ip_address: z.string().nullish(),
  visitor_unique_id: z.string().nullish(),
  on_premise: z.boolean().optional(),
  public_video_url: z.string().nullish(),
  secret_video_url: z.string().nullish(),
  session_authorized: z.boolean().optional(),
  source: SessionSource.nullish(),
  start_url: z.string().nullish(),
  team: Team.nullish(),
  video_status: VideoStatus.nullish(),
  went_live: z.boolean().optional(),
});
export type Session = z.infer<typeof Session>;

/** A visitor; `added_at` may arrive as `first_seen_at` (drift), so both are optional. */
export const Visitor = z.looseObject({
  short_id: UpscopeId,
  added_at: UpscopeDateTime.optional(),
  first_seen_at: UpscopeDateTime.optional(),
  api_key: z.string().optional(),
  browser_name: z.string().nullish(),
  call_name: z.string().nullish(),
  device_name: z.string().nullish(),
  device_type: DeviceType.nullish(),
  email: z.string().nullish(),
  history: z.array(Pageview).nullish(),
  identities: z.array(z.string()).nullish(),
  integration: z.string().nullish(),
  ip_address: z.string().nullish(),
  is_in_session: z.boolean().optional(),
  is_online: z.boolean().optional(),
  is_supported: z.boolean().optional(),
  is_waiting_for_call: z.boolean().optional(),
  js_configuration: z.boolean().optional(),
  last_seen_at: UpscopeDateTime.nullish(),
  last_url: z.string().nullish(),
  location_city: z.string().nullish(),
  location_country_name: z.string().nullish(),
  location_country: z.string().nullish(),
  lookup_code: z.string().nullish(),
  name: z.string().nullish(),
  nickname: z.string().nullish(),
  sessions: z.array(Session).nullish(),
  tags: z.array(z.string()).nullish(),
  unique_id: UpscopeId.nullish(),
  watch_link: z.string().nullish(),
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
