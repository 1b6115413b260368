/**
 * Raw Agendize chat history shapes (seed 004, vendor-apis.md §3).
 *
 * Times are local wall-clock strings without offset plus an IANA `timeZone`; the email
 * field is really spelled `emaillAddress`. Unknown fields are kept (loose objects).
 */
import { z } from "zod";

export const AgendizeId = z.union([z.string(), z.number()]).transform((value) => String(value));

/** RFC 3339 date-time without zone (`2026-10-25T02:30:00`); a trailing offset is tolerated. */
export const LocalDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/, "expected a local RFC 3339 date-time");

/** An IANA zone name that this runtime can convert with (e.g. Europe/Paris). */
export const IanaTimeZone = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { message: "unknown IANA time zone" },
);

export const ZonedDateTime = z.looseObject({
  dateTime: LocalDateTime,
  timeZone: IanaTimeZone,
});
export type ZonedDateTime = z.infer<typeof ZonedDateTime>;

export const MessageSource = z.enum(["operator", "visitor"]);
export type MessageSource = z.infer<typeof MessageSource>;

export const ChatMessage = z.looseObject({
  id: AgendizeId,
  sessionId: AgendizeId.optional(),
  message: z.string(),
  source: MessageSource,
  sent: ZonedDateTime,
});
export type ChatMessage = z.infer<typeof ChatMessage>;

export const ChatButton = z.looseObject({
  id: AgendizeId,
  name: z.string().nullish(),
});
export type ChatButton = z.infer<typeof ChatButton>;

export const ChatVisitor = z.looseObject({
  name: z.string().nullish(),
  /** Sic: the vendor's spelling. */
  emaillAddress: z.string().nullish(),
  networkAddress: z.string().nullish(),
  startPage: z.string().nullish(),
  country: z.string().nullish(),
  city: z.string().nullish(),
  operatingSystem: z.string().nullish(),
  browser: z.string().nullish(),
  userAgent: z.string().nullish(),
});
export type ChatVisitor = z.infer<typeof ChatVisitor>;

export const ChatSession = z.looseObject({
  id: AgendizeId,
  button: ChatButton.nullish(),
  visitor: ChatVisitor.nullish(),
  start: ZonedDateTime,
  messages: z.array(ChatMessage),
});
export type ChatSession = z.infer<typeof ChatSession>;

/**
 * A chat session as the sync reads it: the same shape, except that a `timeZone` may
 * be absent, since the seed documents "the default value is the time zone of the
 * company" (AGENDIZE_COMPANY_TIME_ZONE) rather than promising the field.
 */
export const ZonedDateTimeOptionalZone = ZonedDateTime.extend({ timeZone: IanaTimeZone.nullish() });
export type ZonedDateTimeOptionalZone = z.infer<typeof ZonedDateTimeOptionalZone>;

export const ChatSessionRecord = ChatSession.extend({
  start: ZonedDateTimeOptionalZone,
  messages: z.array(ChatMessage.extend({ sent: ZonedDateTimeOptionalZone })),
});
export type ChatSessionRecord = z.infer<typeof ChatSessionRecord>;

export const ChatHistorySummary = z.looseObject({
  /** Seconds (float). */
  averageChatSessionDuration: z.number(),
  chatSessions: z.number().int().nonnegative(),
});
export type ChatHistorySummary = z.infer<typeof ChatHistorySummary>;

export const ChatHistoryListResponse = z.looseObject({
  summary: ChatHistorySummary,
  items: z.array(ChatSession),
});
export type ChatHistoryListResponse = z.infer<typeof ChatHistoryListResponse>;

/** The list envelope alone, items left unparsed so a client can quarantine records one by one. */
export const ChatHistoryListEnvelope = z.looseObject({
  summary: ChatHistorySummary,
  items: z.array(z.unknown()),
});
export type ChatHistoryListEnvelope = z.infer<typeof ChatHistoryListEnvelope>;

/**
 * What a sync needs of a list response: the items, unparsed, so one bad record is
 * quarantined alone, and the summary, unparsed, so a drifted summary is quarantined
 * without losing the window's records.
 */
export const ChatHistoryListItems = z.looseObject({
  summary: z.unknown().optional(),
  items: z.array(z.unknown()),
});
export type ChatHistoryListItems = z.infer<typeof ChatHistoryListItems>;

/** Error body (Google-style, as Agendize's other APIs answer): `{error:{code, message}}`. */
export const ErrorResponse = z.looseObject({
  error: z.looseObject({ code: z.number().int(), message: z.string() }),
});
export type ErrorResponse = z.infer<typeof ErrorResponse>;
