/**
 * Raw LivePerson Engagement History shapes (seed 003, vendor-apis.md §2).
 *
 * Loose objects everywhere (unknown fields never fail), the epoch-millisecond twins are
 * the required timestamps, ids that the seed shows both as strings and as numbers are
 * accepted in both forms and normalised to strings.
 */
import { z } from "zod";

/** agentId, skillId, lobId, campaign ids…: `"3"`, `-1` and `213185812` all occur. */
export const LpId = z.union([z.string(), z.number()]).transform((value) => String(value));

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

export const EngagementInfo = z.looseObject({
  engagementId: z.string(),
  startTimeL: EpochMs,
  endTimeL: EpochMs,
  startTime: z.string().optional(),
  endTime: z.string().optional(),
  duration: z.number().optional(),
  visitorId: z.string().optional(),
  visitorName: z.string().nullish(),
  sharkEngagementId: z.string().optional(),
  isInteractive: z.boolean().optional(),
  accountId: LpId.optional(),
  agentId: LpId.nullish(),
  agentName: z.string().nullish(),
  agentNickName: z.string().nullish(),
  agentLoginName: z.string().nullish(),
  agentFullName: z.string().nullish(),
  agentDeleted: z.boolean().optional(),
  skillId: LpId.nullish(),
  skillName: z.string().nullish(),
  isAgentSurvey: z.boolean().optional(),
  isPostChatSurvey: z.boolean().optional(),
  isPreChatSurvey: z.boolean().optional(),
  channel: z.number().int().optional(),
  startReason: LpId.optional(),
  startReasonDesc: z.string().optional(),
  endReason: LpId.optional(),
  endReasonDesc: z.string().optional(),
  engagementSet: z.number().int().optional(),
  engagementSequence: z.number().int().optional(),
  agentGroupId: LpId.nullish(),
  agentGroupName: z.string().nullish(),
  mcs: z.number().nullish(),
  alertedMCS: z.number().nullish(),
  chatMCS: z.number().nullish(),
  chatRequestedTime: z.string().optional(),
  chatRequestedTimeL: EpochMs.optional(),
  chatStartUrl: z.string().nullish(),
  chatStartPage: z.string().nullish(),
  isPartial: z.boolean().optional(),
  interactive: z.boolean().optional(),
  ended: z.boolean().optional(),
  chatDataEnriched: z.boolean().optional(),
});
export type EngagementInfo = z.infer<typeof EngagementInfo>;

export const LineSource = z.enum(["visitor", "agent", "system"]);
export type LineSource = z.infer<typeof LineSource>;

export const TextType = z.enum(["plain", "html", "url", "rich-content"]);
export type TextType = z.infer<typeof TextType>;

export const TranscriptLine = z.looseObject({
  time: z.string().optional(),
  timeL: EpochMs,
  controlType: z.number().int().optional(),
  text: z.string().optional(),
  /** Rich-content payload (structured content), kept as-is. */
  json: z.record(z.string(), z.unknown()).optional(),
  by: z.string().nullish(),
  source: LineSource,
  subType: z.string().optional(),
  textType: TextType.optional(),
  cannedAnswerType: z.number().int().optional(),
  agentId: LpId.optional(),
  lineSeq: z.string().optional(),
});
export type TranscriptLine = z.infer<typeof TranscriptLine>;

export const LineScore = z.looseObject({
  lineSeq: z.string(),
  lineRawScore: z.number(),
  mcs: z.number(),
});
export type LineScore = z.infer<typeof LineScore>;

/** Survey `source` is documented as pre-chat/post-chat/operator but the seed shows "Pre-Chat" and "Exit". */
export const SurveyAnswer = z.looseObject({
  scope: z.string().optional(),
  source: z.string().optional(),
  displayName: z.string().optional(),
  value: z.string().nullish(),
  values: z.array(z.string()).nullish(),
  answersId: z.array(z.number()).nullish(),
  name: z.string().optional(),
  time: z.string().optional(),
  timeL: EpochMs.optional(),
  questionID: z.number().optional(),
  surveyID: z.number().optional(),
});
export type SurveyAnswer = z.infer<typeof SurveyAnswer>;

export const Surveys = z.looseObject({
  preChat: z.array(SurveyAnswer).optional(),
  postChat: z.array(SurveyAnswer).optional(),
  operator: z.array(SurveyAnswer).optional(),
});
export type Surveys = z.infer<typeof Surveys>;

export const Campaign = z.looseObject({
  campaignEngagementId: LpId.optional(),
  campaignEngagementName: z.string().optional(),
  campaignId: LpId.optional(),
  campaignName: z.string().optional(),
  goalId: LpId.optional(),
  goalName: z.string().optional(),
  engagementAgentNote: z.string().nullish(),
  visitorBehaviorId: LpId.optional(),
  visitorBehaviorName: z.string().optional(),
  visitorProfileId: LpId.optional(),
  visitorProfileName: z.string().optional(),
  lobId: LpId.optional(),
  lobName: z.string().optional(),
});
export type Campaign = z.infer<typeof Campaign>;

export const VisitorInfo = z.looseObject({
  country: z.string().nullish(),
  countryCode: z.string().nullish(),
  state: z.string().nullish(),
  city: z.string().nullish(),
  isp: z.string().nullish(),
  org: z.string().nullish(),
  device: z.string().nullish(),
  ipAddress: z.string().nullish(),
  browser: z.string().nullish(),
  browserType: z.string().nullish(),
  operatingSystem: z.string().nullish(),
});
export type VisitorInfo = z.infer<typeof VisitorInfo>;

export const CoBrowseSession = z.looseObject({
  sessionId: z.string(),
  startTime: z.string().optional(),
  startTimeL: EpochMs,
  endTime: z.string().optional(),
  endTimeL: EpochMs.optional(),
  interactiveTime: z.string().optional(),
  interactiveTimeL: EpochMs.optional(),
  endReason: z.string().optional(),
  /** Milliseconds. */
  duration: z.number().optional(),
  interactive: z.boolean().optional(),
});
export type CoBrowseSession = z.infer<typeof CoBrowseSession>;

/** Engagement attributes: many event kinds, kept loose on purpose. */
export const Sdes = z.looseObject({
  events: z.array(z.record(z.string(), z.unknown())).optional(),
});
export type Sdes = z.infer<typeof Sdes>;

export const InteractionHistoryRecord = z.looseObject({
  info: EngagementInfo,
  transcript: z.looseObject({ lines: z.array(TranscriptLine) }).optional(),
  lineScores: z.array(LineScore).optional(),
  surveys: Surveys.optional(),
  campaign: Campaign.optional(),
  visitorInfo: VisitorInfo.optional(),
  coBrowseSessions: z.looseObject({ coBrowseSessionsList: z.array(CoBrowseSession) }).optional(),
  sdes: Sdes.optional(),
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
