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

/** Error body (Google-style, as Agendize's other APIs answer): `{error:{code, message}}`. */
export const ErrorResponse = z.looseObject({
  error: z.looseObject({ code: z.number().int(), message: z.string() }),
});
export type ErrorResponse = z.infer<typeof ErrorResponse>;
