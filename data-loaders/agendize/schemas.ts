/**
 * Raw Agendize chat history shapes (seed 004, vendor-apis.md §3).
 *
 * Times are local wall-clock strings without offset plus an IANA `timeZone`; the email
 * field is really spelled `emaillAddress`. Each field declares its drift policy
 * (data-loaders/drift/policy.ts): the chat's `id` (key) and the times with their zones
 * are strict, since a chat must be keyed and placed in time; the message `source` is an
 * open category (a new value is kept as its own), descriptive fields are open, nulls
 * leave arrays, and undocumented fields are kept and reported as drift.
 */
import { z } from "zod";
import { arrayWithoutNulls, lenientId, lenientNumber, openEnum, openObject, openText, recordKey } from "../drift/policy.js";

export const AgendizeId = lenientId();

/** RFC 3339 date-time without zone (`2026-10-25T02:30:00`); a trailing offset is tolerated. */
export const LocalDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/, "expected a local RFC 3339 date-time");

/** An IANA zone name that this runtime can convert with (e.g. Europe/Paris): strict, it places the time. */
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

export const ZonedDateTime = openObject({
  dateTime: LocalDateTime,
  timeZone: IanaTimeZone,
});
export type ZonedDateTime = z.infer<typeof ZonedDateTime>;

export const MESSAGE_SOURCES = ["operator", "visitor"] as const;
export const MessageSource = openEnum(MESSAGE_SOURCES);
export type MessageSource = z.infer<typeof MessageSource>;

export const ChatMessage = openObject({
  id: AgendizeId,
  sessionId: AgendizeId.nullish(),
  message: openText().nullish(),
  source: MessageSource.nullish(),
  sent: ZonedDateTime,
});
export type ChatMessage = z.infer<typeof ChatMessage>;

export const ChatButton = openObject({
  id: AgendizeId.nullish(),
  name: openText().nullish(),
});
export type ChatButton = z.infer<typeof ChatButton>;

export const ChatVisitor = openObject({
  name: openText().nullish(),
  /** Sic: the vendor's spelling. */
  emaillAddress: openText().nullish(),
  networkAddress: openText().nullish(),
  startPage: openText().nullish(),
  country: openText().nullish(),
  city: openText().nullish(),
  operatingSystem: openText().nullish(),
  browser: openText().nullish(),
  userAgent: openText().nullish(),
});
export type ChatVisitor = z.infer<typeof ChatVisitor>;

export const ChatSession = openObject({
  id: recordKey(),
  button: ChatButton.nullish(),
  visitor: ChatVisitor.nullish(),
  start: ZonedDateTime,
  messages: arrayWithoutNulls(ChatMessage),
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
  messages: arrayWithoutNulls(ChatMessage.extend({ sent: ZonedDateTimeOptionalZone })),
});
export type ChatSessionRecord = z.infer<typeof ChatSessionRecord>;

export const ChatHistorySummary = openObject({
  /** Seconds (float): a measure. */
  averageChatSessionDuration: lenientNumber(),
  chatSessions: lenientNumber({ int: true }).refine((count) => count >= 0, "expected a count of 0 or more"),
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
