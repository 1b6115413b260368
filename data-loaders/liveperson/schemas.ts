/**
 * Raw LivePerson Engagement History shapes (seed 003, vendor-apis.md §2).
 *
 * Each field of a record declares its drift policy (data-loaders/drift/policy.ts):
 * strict are the key (`info.engagementId`) and the epoch-millisecond times (the
 * required `startTimeL`/`endTimeL`, each line's `timeL`, a co-browse session's
 * `startTimeL`); measures (`duration`, MCS, line scores) read a numeric text as the
 * number and quarantine anything else; categories (line `source`, `textType`, visitor
 * `device` and `operatingSystem`, co-browse `endReason`) and descriptive fields are
 * open: kept, normalised and reported as drift. Unknown fields never fail and are
 * reported. Ids that the seed shows both as strings and as numbers become strings.
 */
import { z } from "zod";
import { arrayWithoutNulls, lenientId, lenientNumber, numberOrTextId, openEnum, openObject, openText, recordKey } from "../drift/policy.js";

/**
 * agentId, skillId, agentGroupId, lobId, campaign ids…: documented as numbers, and `"3"`,
 * `-1` and `213185812` all occur in the seed, so neither form is drift; kept as text.
 */
export const LpId = numberOrTextId();

/** A number that the seed's request examples sometimes send as a string (`"1485330205108"`, `"30"`). */
export const NumberLike = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform((value) => Number(value)),
]);

const EpochMs = z.number().int();

// ---------------------------------------------------------------------------------------
// Request

export const TimeRange = z.looseObject({ from: NumberLike, to: NumberLike });
export const OptionalRange = z.looseObject({ from: NumberLike.optional(), to: NumberLike.optional() });

export const KeywordSearchArea = z.enum([
  "chatLine",
  "surveyAnswer",
  "surveyQuestion",
  "visitorInfo",
  "ea.purchase",
  "ea.viewedProduct",
  "ea.cartStatus",
  "ea.serviceActivity",
  "ea.visitorError",
  "ea.lead",
  "ea.customerInfo",
  "ea.marketingCampaignInfo",
  "ea.personalInfo",
  "mcs",
]);
export type KeywordSearchArea = z.infer<typeof KeywordSearchArea>;

/**
 * The JSON filter posted to `/interactions/search`. `start` is documented as required but
 * searches by `visitor` or `engagementId` ignore time limits, so it is optional here and the
 * server decides. Ranges stay loose so the server can say which bound is missing.
 */
export const SearchFilter = z.looseObject({
  start: TimeRange.optional(),
  interactive: z.boolean().optional(),
  ended: z.boolean().optional(),
  keyword: z.string().optional(),
  keyword_search_area: z.looseObject({ types: z.array(KeywordSearchArea) }).optional(),
  skillIds: z.array(LpId).optional(),
  agentIds: z.array(LpId).optional(),
  agentGroupIds: z.array(LpId).optional(),
  duration: OptionalRange.optional(),
  visitor: z.string().optional(),
  channel: NumberLike.optional(),
  engagementId: LpId.optional(),
  mcs: NumberLike.optional(),
  alertedMcsValues: z.array(LpId).optional(),
  chatMCS: OptionalRange.optional(),
  hasInteractiveCoBrowse: z.boolean().optional(),
  coBrowseDuration: OptionalRange.optional(),
  lineContentTypes: z.array(z.string()).optional(),
});
export type SearchFilter = z.infer<typeof SearchFilter>;
export type SearchFilterInput = z.input<typeof SearchFilter>;

// ---------------------------------------------------------------------------------------
// Response

export const Link = z.looseObject({ rel: z.string(), href: z.string() });
export type Link = z.infer<typeof Link>;

export const ShardsStatusResult = z.looseObject({
  failureShards: z.number().int().optional(),
  totalShards: z.number().int().optional(),
  partialResult: z.boolean(),
});
export type ShardsStatusResult = z.infer<typeof ShardsStatusResult>;

export const SearchMetadata = z.looseObject({
  count: z.number().int().nonnegative(),
  next: Link.optional(),
  prev: Link.optional(),
  last: Link.optional(),
  self: Link.optional(),
  shardsStatusResult: ShardsStatusResult.optional(),
});
export type SearchMetadata = z.infer<typeof SearchMetadata>;

export const EngagementInfo = openObject({
  engagementId: recordKey(),
  startTimeL: EpochMs,
  endTimeL: EpochMs,
  startTime: openText().nullish(),
  endTime: openText().nullish(),
  /** Seconds: a measure. */
  duration: lenientNumber().nullish(),
  visitorId: lenientId({ personal: true }).nullish(),
  visitorName: openText().nullish(),
  sharkEngagementId: lenientId().nullish(),
  isInteractive: z.boolean().nullish(),
  accountId: LpId.nullish(),
  agentId: LpId.nullish(),
  agentName: openText().nullish(),
  agentNickName: openText().nullish(),
  agentLoginName: openText().nullish(),
  agentFullName: openText().nullish(),
  agentDeleted: z.boolean().nullish(),
  skillId: LpId.nullish(),
  skillName: openText().nullish(),
  isAgentSurvey: z.boolean().nullish(),
  isPostChatSurvey: z.boolean().nullish(),
  isPreChatSurvey: z.boolean().nullish(),
  channel: lenientNumber({ int: true }).nullish(),
  startReason: LpId.nullish(),
  startReasonDesc: openText().nullish(),
  endReason: LpId.nullish(),
  endReasonDesc: openText().nullish(),
  engagementSet: lenientNumber({ int: true }).nullish(),
  engagementSequence: lenientNumber({ int: true }).nullish(),
  agentGroupId: LpId.nullish(),
  agentGroupName: openText().nullish(),
  mcs: lenientNumber().nullish(),
  alertedMCS: lenientNumber().nullish(),
  chatMCS: lenientNumber().nullish(),
  chatRequestedTime: openText().nullish(),
  chatRequestedTimeL: EpochMs.nullish(),
  chatStartUrl: openText().nullish(),
  chatStartPage: openText().nullish(),
  isPartial: z.boolean().nullish(),
  interactive: z.boolean().nullish(),
  ended: z.boolean().nullish(),
  chatDataEnriched: z.boolean().nullish(),
});
export type EngagementInfo = z.infer<typeof EngagementInfo>;

export const LINE_SOURCES = ["visitor", "agent", "system"] as const;
export const LineSource = openEnum(LINE_SOURCES);
export type LineSource = z.infer<typeof LineSource>;

export const TEXT_TYPES = ["plain", "html", "url", "rich-content"] as const;
export const TextType = openEnum(TEXT_TYPES);
export type TextType = z.infer<typeof TextType>;

export const TranscriptLine = openObject({
  time: openText().nullish(),
  timeL: EpochMs,
  controlType: lenientNumber({ int: true }).nullish(),
  text: openText().nullish(),
  /** Rich-content payload (structured content), kept as-is. */
  json: z.record(z.string(), z.unknown()).nullish(),
  by: openText().nullish(),
  source: LineSource.nullish(),
  subType: openText().nullish(),
  textType: TextType.nullish(),
  cannedAnswerType: lenientNumber({ int: true }).nullish(),
  agentId: LpId.nullish(),
  /** Documented as text ("78"): a number is drift. */
  lineSeq: lenientId().nullish(),
});
export type TranscriptLine = z.infer<typeof TranscriptLine>;

export const LineScore = openObject({
  lineSeq: lenientId().nullish(),
  lineRawScore: lenientNumber(),
  mcs: lenientNumber(),
});
export type LineScore = z.infer<typeof LineScore>;

/** Survey `source` is documented as pre-chat/post-chat/operator but the seed shows "Pre-Chat" and "Exit": open text. */
export const SurveyAnswer = openObject({
  scope: openText().nullish(),
  source: openText().nullish(),
  displayName: openText().nullish(),
  value: openText().nullish(),
  values: arrayWithoutNulls(openText()).nullish(),
  answersId: arrayWithoutNulls(lenientNumber()).nullish(),
  name: openText().nullish(),
  time: openText().nullish(),
  timeL: EpochMs.nullish(),
  questionID: lenientNumber().nullish(),
  surveyID: lenientNumber().nullish(),
});
export type SurveyAnswer = z.infer<typeof SurveyAnswer>;

export const Surveys = openObject({
  preChat: arrayWithoutNulls(SurveyAnswer).nullish(),
  postChat: arrayWithoutNulls(SurveyAnswer).nullish(),
  operator: arrayWithoutNulls(SurveyAnswer).nullish(),
});
export type Surveys = z.infer<typeof Surveys>;

export const Campaign = openObject({
  campaignEngagementId: LpId.nullish(),
  campaignEngagementName: openText().nullish(),
  campaignId: LpId.nullish(),
  campaignName: openText().nullish(),
  goalId: LpId.nullish(),
  goalName: openText().nullish(),
  engagementAgentNote: openText().nullish(),
  visitorBehaviorId: LpId.nullish(),
  visitorBehaviorName: openText().nullish(),
  visitorProfileId: LpId.nullish(),
  visitorProfileName: openText().nullish(),
  lobId: LpId.nullish(),
  lobName: openText().nullish(),
});
export type Campaign = z.infer<typeof Campaign>;

export const VISITOR_DEVICES = ["DESKTOP", "TABLET", "MOBILE", "NA"] as const;
export const VISITOR_OPERATING_SYSTEMS = ["NA", "WINDOWS", "MAC_OSX", "LINUX", "IOS", "ANDROID"] as const;

export const VisitorInfo = openObject({
  country: openText().nullish(),
  countryCode: openText().nullish(),
  state: openText().nullish(),
  city: openText().nullish(),
  isp: openText().nullish(),
  org: openText().nullish(),
  device: openEnum(VISITOR_DEVICES).nullish(),
  ipAddress: openText().nullish(),
  browser: openText().nullish(),
  /** "e.g. CHROME or FIREFOX": not a closed list. */
  browserType: openText().nullish(),
  operatingSystem: openEnum(VISITOR_OPERATING_SYSTEMS).nullish(),
});
export type VisitorInfo = z.infer<typeof VisitorInfo>;

/** Sic: "UNKOWN" is the documented spelling. */
export const COBROWSE_END_REASONS = ["UNKOWN", "SERVER", "VISITOR", "AGENT", "TIMEOUT"] as const;

export const CoBrowseSession = openObject({
  sessionId: lenientId(),
  startTime: openText().nullish(),
  startTimeL: EpochMs,
  endTime: openText().nullish(),
  endTimeL: EpochMs.nullish(),
  interactiveTime: openText().nullish(),
  interactiveTimeL: EpochMs.nullish(),
  endReason: openEnum(COBROWSE_END_REASONS).nullish(),
  /** Milliseconds: a measure. */
  duration: lenientNumber().nullish(),
  interactive: z.boolean().nullish(),
});
export type CoBrowseSession = z.infer<typeof CoBrowseSession>;

/** Engagement attributes: many event kinds, kept loose on purpose (their keys are not checked). */
export const Sdes = openObject({
  events: arrayWithoutNulls(z.record(z.string(), z.unknown())).nullish(),
});
export type Sdes = z.infer<typeof Sdes>;

export const InteractionHistoryRecord = openObject({
  info: EngagementInfo,
  transcript: openObject({ lines: arrayWithoutNulls(TranscriptLine) }).nullish(),
  lineScores: arrayWithoutNulls(LineScore).nullish(),
  surveys: Surveys.nullish(),
  campaign: Campaign.nullish(),
  visitorInfo: VisitorInfo.nullish(),
  coBrowseSessions: openObject({ coBrowseSessionsList: arrayWithoutNulls(CoBrowseSession) }).nullish(),
  sdes: Sdes.nullish(),
});
export type InteractionHistoryRecord = z.infer<typeof InteractionHistoryRecord>;

export const SearchResponse = z.looseObject({
  _metadata: SearchMetadata,
  interactionHistoryRecords: z.array(InteractionHistoryRecord),
});
export type SearchResponse = z.infer<typeof SearchResponse>;

/**
 * The page envelope alone, records left unparsed: a client validates records one by one
 * so a single schema-breaking record is quarantined instead of failing the page.
 */
export const SearchResponseEnvelope = z.looseObject({
  _metadata: SearchMetadata,
  interactionHistoryRecords: z.array(z.unknown()),
});
export type SearchResponseEnvelope = z.infer<typeof SearchResponseEnvelope>;

/** CSDS domain lookup: `{service, account, baseURI}`; baseURI is a host (plus path prefix in the simulator). */
export const CsdsDomainResponse = z.looseObject({
  service: z.string(),
  account: z.string(),
  baseURI: z.string(),
});
export type CsdsDomainResponse = z.infer<typeof CsdsDomainResponse>;

/** Error bodies are not documented; the simulator sends `{message, status?, code?}`. */
export const ErrorResponse = z.looseObject({
  message: z.string(),
  status: z.number().int().optional(),
  code: z.string().optional(),
});
export type ErrorResponse = z.infer<typeof ErrorResponse>;
