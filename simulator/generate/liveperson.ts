/**
 * LivePerson Engagement History data: per-day engagement skeletons (what filters and sorts
 * need) and the full interaction record built from one on demand (transcript, lineScores,
 * surveys, campaign, visitorInfo, coBrowseSessions, sdes).
 */
import type { z } from "zod";
import type { InteractionHistoryRecord } from "../../data-loaders/liveperson/schemas.js";
import { breakageKindFor, setAtPath } from "../breakage.js";
import type { Breakage } from "../breakage.js";
import { driftKindFor, driftPick, SIMULATED_DRIFT_KINDS, type AppliedDrift } from "../drift.js";
import { PAGES, SITE, TOPICS, maybeHostile } from "../content.js";
import { LruCache } from "../lru.js";
import { Rng, unitFromKey } from "../rng.js";
import { shiftFactor } from "../shift.js";
import { livePersonTime } from "../time.js";
import { AGENT_GROUPS, SKILLS } from "../world.js";
import type { AgentProfile, Person, World } from "../world.js";

export type RawEngagement = z.input<typeof InteractionHistoryRecord>;
type RawLine = NonNullable<NonNullable<NonNullable<RawEngagement["transcript"]>["lines"]>[number]>;
type RawSurveyAnswer = NonNullable<NonNullable<NonNullable<RawEngagement["surveys"]>["preChat"]>[number]>;

const ENGAGEMENTS_PER_DAY = 90;
/** Share of records LivePerson serves `isPartial` unless asked by engagementId (set by the simulator option). */
const DEFAULT_PARTIAL_SHARE = 0.04;
/** Engagement numbers are day * ENGAGEMENT_DAY_FACTOR + index, so an id decodes to its day. */
export const ENGAGEMENT_DAY_FACTOR = 1_000_000;
/** Shared by the ~90% of skeletons without co-browse (never mutated), to keep days small. */
const NO_CO_BROWSE: number[] = [];

export interface EngagementSkeleton {
  number: number;
  engagementId: string;
  personIndex: number;
  requestedMs: number;
  startMs: number;
  endMs: number;
  durationSeconds: number;
  agentIndex: number;
  skillId: number;
  agentGroupId: number;
  channel: number;
  interactive: boolean;
  chatMcs: number;
  alertedMcs: -1 | 0 | 1;
  resolved: boolean;
  topicIndex: number;
  /** Durations of the co-browse sessions inside the chat, in seconds. */
  coBrowseSeconds: number[];
  hasInteractiveCoBrowse: boolean;
  hasRichContent: boolean;
  /** Served with `info.isPartial: true` unless fetched by engagementId. */
  isPartial: boolean;
  /** When the record becomes visible to search (late-arriving data). */
  visibleFromMs: number;
}

export interface BuiltEngagement {
  record: RawEngagement | Record<string, unknown>;
  breakage: Breakage | null;
  /** How the record drifted from the docs (served so), or null. */
  drift: AppliedDrift | null;
}

export class LivePersonData {
  private readonly days: LruCache<number, EngagementSkeleton[]>;

  constructor(private readonly world: World) {
    this.days = new LruCache(world.config.dayCacheSize);
  }

  get accountId(): string {
    return this.world.config.accountId;
  }

  day(dayIndex: number): EngagementSkeleton[] {
    return this.days.getOrCreate(dayIndex, () => this.generateDay(dayIndex));
  }

  /** The engagement number inside an engagementId of this account, or null. */
  numberFromEngagementId(engagementId: string): number | null {
    if (!engagementId.startsWith(this.accountId)) return null;
    const digits = engagementId.slice(this.accountId.length);
    if (!/^\d+$/.test(digits)) return null;
    const number = Number(digits);
    return Number.isSafeInteger(number) ? number : null;
  }

  findByEngagementId(engagementId: string): EngagementSkeleton | null {
    const number = this.numberFromEngagementId(engagementId);
    if (number === null) return null;
    const day = Math.floor(number / ENGAGEMENT_DAY_FACTOR);
    return this.day(day).find((skeleton) => skeleton.number === number) ?? null;
  }

  /** Whether the record exists at `nowMs`: inside the history and already arrived. */
  isVisible(skeleton: EngagementSkeleton, nowMs: number): boolean {
    return skeleton.startMs >= this.world.historyStartMs(nowMs) && skeleton.visibleFromMs <= nowMs;
  }

  private generateDay(dayIndex: number): EngagementSkeleton[] {
    const world = this.world;
    const rng = Rng.for(world.seed, "lp-day", dayIndex);
    const starts = Array.from({ length: rng.poisson(world.expectedCount(dayIndex, ENGAGEMENTS_PER_DAY)) }, () =>
      world.randomInstant(rng, dayIndex),
    ).sort((a, b) => a - b);
    const waitFactor = shiftFactor(world.config.shift, "liveperson-wait", dayIndex, world.config.nowMs());
    return starts.map((startMs, index) => {
      const number = dayIndex * ENGAGEMENT_DAY_FACTOR + index;
      const skill = rng.weighted(SKILLS, SKILLS.map((entry) => entry.weight));
      const agent = rng.pick(world.agentsWithSkill(skill.id));
      const interactive = rng.chance(0.95);
      const durationSeconds = interactive ? Math.max(20, Math.round(rng.lognormal(480 * agent.speed, 0.7))) : rng.int(5, 90);
      const resolved = interactive && rng.chance(0.72 + agent.quality / 100);
      // The conversation score follows the outcome and the agent's quality.
      const chatMcs = Math.min(100, Math.max(0, Math.round((resolved ? 68 : 34) + agent.quality + 14 * rng.normal())));
      const alertedMcs = chatMcs <= 33 ? -1 : chatMcs <= 66 ? 0 : 1;
      const hasCoBrowse = interactive && rng.chance(0.1);
      const coBrowseSeconds: number[] = hasCoBrowse
        ? Array.from({ length: rng.weighted([1, 2], [80, 20]) }, () => Math.min(durationSeconds, Math.round(rng.lognormal(180, 0.8))))
        : NO_CO_BROWSE;
      const late = rng.chance(0.005);
      // 99.5% arrive within 5 minutes of the end (never before 30 s), the rest within 2 hours.
      const delayMs = late ? rng.int(5 * 60_000, 2 * 3_600_000) : Math.min(5 * 60_000, 30_000 + Math.round(rng.lognormal(60_000, 0.8)));
      const endMs = startMs + durationSeconds * 1000;
      return {
        number,
        engagementId: `${world.config.accountId}${number}`,
        personIndex: world.randomPersonIndex(rng),
        requestedMs: startMs - Math.round(rng.lognormal(25_000, 0.9) * waitFactor),
        startMs,
        endMs,
        durationSeconds,
        agentIndex: agent.index,
        skillId: skill.id,
        agentGroupId: agent.groupId,
        channel: 1,
        interactive,
        chatMcs,
        alertedMcs,
        resolved,
        topicIndex: rng.int(0, TOPICS.length - 1),
        coBrowseSeconds,
        hasInteractiveCoBrowse: hasCoBrowse && rng.chance(0.6),
        hasRichContent: interactive && rng.chance(0.05),
        isPartial: rng.chance(world.config.livePersonPartialShare ?? DEFAULT_PARTIAL_SHARE),
        visibleFromMs: endMs + delayMs,
      };
    });
  }

  /**
   * The full record. `complete` is true when asked by engagementId: only then does a
   * partial record come back whole (isPartial false).
   */
  buildRecord(skeleton: EngagementSkeleton, complete: boolean): BuiltEngagement {
    const world = this.world;
    const rng = Rng.for(world.seed, "lp-record", skeleton.number);
    const person = world.person(skeleton.personIndex);
    const agent = world.agents[skeleton.agentIndex] ?? world.agents[0];
    if (!agent) throw new Error("the world has no agents");
    const skill = SKILLS.find((entry) => entry.id === skeleton.skillId) ?? SKILLS[SKILLS.length - 1];
    const group = AGENT_GROUPS.find((entry) => entry.id === skeleton.agentGroupId);
    const partial = skeleton.isPartial && !complete;
    const visitorName = rng.chance(0.7) ? person.name : "Visitor";
    // Its own stream, so adding the notes left every other generated value as it was.
    const internalNote = skeleton.interactive && Rng.for(world.seed, "lp-internal-note", skeleton.number).chance(INTERNAL_NOTE_SHARE);
    const lines = transcript(rng, skeleton, agent, visitorName, internalNote);
    const lineScores = scores(rng, lines, skeleton.chatMcs);
    const surveys = surveyAnswers(rng, skeleton, person, visitorName);
    const page = rng.pick(PAGES);
    const transfer = rng.chance(0.06);
    const endReason = skeleton.resolved ? rng.pick(["201", "210"] as const) : rng.pick(["205", "208", "202", "101"] as const);
    const record: RawEngagement = {
      info: {
        startTime: livePersonTime(skeleton.startMs),
        startTimeL: skeleton.startMs,
        endTime: livePersonTime(skeleton.endMs),
        endTimeL: skeleton.endMs,
        duration: skeleton.durationSeconds,
        visitorId: person.livePersonVisitorId,
        visitorName,
        engagementId: skeleton.engagementId,
        sharkEngagementId: `${world.config.accountId}_${rng.hex(22)}_1`,
        isInteractive: skeleton.interactive,
        accountId: world.config.accountId,
        agentId: String(agent.livePersonId),
        agentName: agent.nickname,
        agentNickName: agent.nickname,
        agentLoginName: agent.email,
        agentFullName: agent.name,
        agentDeleted: false,
        skillId: skeleton.skillId,
        skillName: skill?.name ?? "Unassigned",
        isAgentSurvey: (surveys.operator?.length ?? 0) > 0,
        isPostChatSurvey: (surveys.postChat?.length ?? 0) > 0,
        isPreChatSurvey: (surveys.preChat?.length ?? 0) > 0,
        channel: skeleton.channel,
        startReason: transfer ? "1" : "0",
        startReasonDesc: transfer ? "Transfer" : "Visitor request",
        endReason,
        endReasonDesc: END_REASONS[endReason],
        engagementSet: 0,
        engagementSequence: transfer ? 1 : 0,
        agentGroupId: skeleton.agentGroupId,
        agentGroupName: group?.name ?? "Main Group",
        mcs: skeleton.alertedMcs,
        alertedMCS: skeleton.alertedMcs,
        chatMCS: skeleton.chatMcs,
        chatRequestedTime: livePersonTime(skeleton.requestedMs),
        chatRequestedTimeL: skeleton.requestedMs,
        chatStartUrl: `${SITE}${page[0]}`,
        chatStartPage: page[1],
        isPartial: partial,
        interactive: skeleton.interactive,
        ended: true,
        chatDataEnriched: !partial,
      },
      transcript: { lines: partial ? lines.slice(0, Math.ceil(lines.length / 2)) : lines },
      lineScores: partial ? lineScores.slice(0, Math.ceil(lines.length / 2)) : lineScores,
      ...(partial ? {} : { surveys }),
      campaign: campaign(rng),
      visitorInfo: {
        country: person.place.countryName,
        countryCode: person.place.countryCode,
        state: person.place.state,
        city: person.place.city,
        isp: rng.pick(["Comcast", "Orange", "BT", "Telstra", "Vodafone", ""]),
        org: rng.pick(["", "Example Corp", "Acme Ltd"]),
        device: person.platform.lpDevice,
        ipAddress: person.ipAddress,
        browser: `${person.platform.browser} ${person.platform.browserVersion}`,
        browserType: person.platform.browser.toUpperCase().replace(/ /g, "_"),
        operatingSystem: person.platform.lpOs,
      },
      ...(skeleton.coBrowseSeconds.length > 0 ? { coBrowseSessions: { coBrowseSessionsList: coBrowse(rng, skeleton) } } : {}),
      ...(partial ? {} : { sdes: { events: sdeEvents(rng, skeleton, person) } }),
    };
    const drifted = applyDrift(world, skeleton.number, record);
    return { ...applyBreakage(world, skeleton.number, drifted.record), drift: drifted.drift };
  }
}

const END_REASONS: Record<string, string> = {
  "101": "Transfer - rep stopped chat",
  "201": "Rep stopped chat",
  "202": "Rep disconnected",
  "205": "Visitor disconnected",
  "208": "Visitor was no longer in chat",
  "210": "Visitor closed chat",
};

function line(
  timeL: number,
  seq: number,
  source: "visitor" | "agent" | "system",
  /** null for a rich-content line, which carries `json` instead of text. */
  text: string | null,
  by: string,
  agentId: number,
  extra: Partial<RawLine> = {},
): RawLine {
  return {
    time: livePersonTime(timeL),
    timeL,
    controlType: 0,
    ...(text === null ? {} : { text }),
    by,
    source,
    subType: "REGULAR",
    textType: "plain",
    cannedAnswerType: 0,
    agentId,
    lineSeq: String(seq),
    ...extra,
  };
}

/** Share of chats in which the agent writes a note only agents see (subType ONLY_TO_REP) before answering. */
const INTERNAL_NOTE_SHARE = 0.12;
const INTERNAL_NOTES = ["Customer on the premium plan", "Known issue, see ticket", "Checking the order in the back office"];

function transcript(rng: Rng, skeleton: EngagementSkeleton, agent: AgentProfile, visitorName: string, internalNote: boolean): RawLine[] {
  const topic = TOPICS[skeleton.topicIndex] ?? TOPICS[0];
  if (!topic) return [];
  const lines: RawLine[] = [];
  let seq = rng.int(1, 90);
  lines.push(line(skeleton.requestedMs + 200, seq++, "system", "Thank you for choosing to chat with us. An agent will be with you shortly.", "info", 0, { controlType: 4 }));
  lines.push(line(skeleton.startMs - 3, seq++, "system", `You are now chatting with ${agent.nickname}.`, "info", 0, { controlType: 3 }));
  const exchanges = skeleton.interactive ? Math.min(topic.visitor.length, 1 + Math.floor(skeleton.durationSeconds / 150)) : 0;
  const slots = Math.max(1, exchanges * 2 + (skeleton.hasRichContent ? 1 : 0));
  const step = Math.max(1, Math.floor((skeleton.endMs - skeleton.startMs - 1000) / (slots + 1)));
  let at = skeleton.startMs;
  if (internalNote) {
    // Before the first exchange: a first response that counted it would look faster than the visitor saw.
    const note = INTERNAL_NOTES[skeleton.number % INTERNAL_NOTES.length] ?? "Note";
    lines.push(line(at + Math.min(500, Math.floor(step / 2)), seq++, "agent", note, agent.nickname, agent.livePersonId, { subType: "ONLY_TO_REP" }));
  }
  for (let exchange = 0; exchange < exchanges; exchange++) {
    at += step;
    lines.push(line(at, seq++, "visitor", maybeHostile(rng, topic.visitor[exchange] ?? "ok"), visitorName, 0));
    at += step;
    const html = rng.chance(0.2);
    const text = topic.agent[exchange] ?? "Thank you";
    lines.push(line(at, seq++, "agent", maybeHostile(rng, html ? `<b>${text}</b>` : text, 0.01), agent.nickname, agent.livePersonId, { textType: html ? "html" : "plain" }));
  }
  if (skeleton.hasRichContent) {
    at += step;
    lines.push(
      line(at, seq++, "agent", null, agent.nickname, agent.livePersonId, {
        textType: "rich-content",
        json: {
          type: "vertical",
          elements: [
            { type: "image", url: "https://cdn.example.com/products/ipad-pro.jpg", tooltip: "iPad Pro" },
            { type: "text", text: "iPad Pro", style: { bold: true, size: "large" } },
            { type: "button", title: "Add to cart", click: { actions: [{ type: "link", name: "add to cart", uri: `${SITE}/cart` }] } },
          ],
        },
      }),
    );
  }
  lines.push(line(skeleton.endMs, seq, "system", "Thank you for chatting with us.", "info", 0, { controlType: 5 }));
  return lines;
}

function scores(rng: Rng, lines: readonly RawLine[], chatMcs: number): { lineSeq: string; lineRawScore: number; mcs: number }[] {
  return lines.map((entry, index) => {
    const progress = lines.length > 1 ? index / (lines.length - 1) : 1;
    return {
      lineSeq: String(entry.lineSeq ?? index),
      lineRawScore: entry.source === "visitor" ? rng.pick([-1, 0, 0, 1, 1]) : 0,
      mcs: Math.round(chatMcs * progress),
    };
  });
}

function surveyAnswer(
  source: string,
  name: string,
  surveyId: number,
  questionId: number,
  question: string,
  value: string,
  answerId: number,
  timeL: number,
): RawSurveyAnswer {
  return {
    scope: "Session",
    source,
    displayName: question,
    value,
    values: [value],
    answersId: [answerId],
    name,
    time: livePersonTime(timeL),
    timeL,
    questionID: questionId,
    surveyID: surveyId,
  };
}

function surveyAnswers(rng: Rng, skeleton: EngagementSkeleton, person: Person, visitorName: string): NonNullable<RawEngagement["surveys"]> {
  const surveys: NonNullable<RawEngagement["surveys"]> = {};
  const before = skeleton.requestedMs - 100;
  if (rng.chance(0.55)) {
    surveys.preChat = [surveyAnswer("Pre-Chat", "Pre-Chat Survey", 195991, 1, "Name", visitorName, -1, before)];
    if (person.email) surveys.preChat.push(surveyAnswer("Pre-Chat", "Pre-Chat Survey", 195991, 2, "Email", person.email, -1, before));
  }
  if (skeleton.interactive && rng.chance(skeleton.resolved ? 0.4 : 0.25)) {
    const after = skeleton.endMs + rng.int(5_000, 60_000);
    const good = skeleton.chatMcs + 15 * rng.normal() > 50;
    surveys.postChat = [
      surveyAnswer("Exit", "Post-chat Survey v2", 222726, 9, "How was the visit?", maybeHostile(rng, good ? "It was good" : "Not helpful"), good ? 1 : 2, after),
      surveyAnswer("Exit", "Post-chat Survey v2", 222726, 14, "Will you recommend us?", good ? "Yes" : "No", good ? 1 : 2, after),
      surveyAnswer("Exit", "Post-chat Survey v2", 222726, 15, "Rate the agent (1-5)", String(Math.min(5, Math.max(1, Math.round(skeleton.chatMcs / 20 + rng.normal())))), -1, after),
    ];
  }
  if (rng.chance(0.15)) {
    surveys.operator = [
      surveyAnswer("Operator", "Agent Wrap-up", 300100, 1, "Issue resolved?", skeleton.resolved ? "Yes" : "No", skeleton.resolved ? 1 : 2, skeleton.endMs + 30_000),
    ];
  }
  return surveys;
}

const CAMPAIGNS = [
  { campaignEngagementId: "213185212", campaignEngagementName: "Sticky chat button", campaignId: "213185112", campaignName: "Live Chat on your site" },
  { campaignEngagementId: 1759631410, campaignEngagementName: "Checkout invite", campaignId: 1340122410, campaignName: "Checkout rescue" },
];

function campaign(rng: Rng): NonNullable<RawEngagement["campaign"]> {
  const base = rng.pick(CAMPAIGNS);
  return {
    ...base,
    goalId: "213184812",
    goalName: "Interact with visitors",
    visitorBehaviorId: "213184912",
    visitorBehaviorName: "Any behavior",
    visitorProfileId: "213184712",
    visitorProfileName: "All visitors",
    // The seed shows lobId both as "-1" and -1.
    lobId: rng.chance(0.5) ? -1 : "-1",
    lobName: "NA",
  };
}

function coBrowse(rng: Rng, skeleton: EngagementSkeleton): NonNullable<RawEngagement["coBrowseSessions"]>["coBrowseSessionsList"] {
  return skeleton.coBrowseSeconds.map((seconds, index) => {
    const startL = skeleton.startMs + Math.floor(((index + 1) / (skeleton.coBrowseSeconds.length + 1)) * (skeleton.endMs - skeleton.startMs) * 0.5);
    const interactive = skeleton.hasInteractiveCoBrowse && index === 0;
    return {
      sessionId: rng.uuid(),
      startTime: livePersonTime(startL),
      startTimeL: startL,
      endTime: livePersonTime(startL + seconds * 1000),
      endTimeL: startL + seconds * 1000,
      ...(interactive ? { interactiveTime: livePersonTime(startL + 20_000), interactiveTimeL: startL + 20_000 } : {}),
      endReason: rng.pick(["SERVER", "VISITOR", "AGENT", "TIMEOUT"]),
      duration: seconds * 1000,
      interactive,
    };
  });
}

function sdeEvents(rng: Rng, skeleton: EngagementSkeleton, person: Person): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  const stamp = String(skeleton.requestedMs - rng.int(1_000, 600_000));
  if (person.uniqueId && rng.chance(0.6)) {
    events.push({
      customerInfo: {
        serverTimeStamp: stamp,
        originalTimeStamp: stamp,
        customerInfo: { customerStatus: rng.pick(["active", "cancelled", "suspended"]), customerType: rng.pick(["vip", "regular"]), customerId: person.uniqueId },
      },
      sdeType: "CUSTOMER_INFO",
      serverTimeStamp: stamp,
    });
  }
  if (rng.chance(0.3)) {
    events.push({
      personalInfo: {
        serverTimeStamp: stamp,
        originalTimeStamp: stamp,
        name: person.firstName,
        contacts: person.email ? [{ personalContact: { email: person.email } }] : [],
      },
      sdeType: "PERSONAL_INFO",
      serverTimeStamp: stamp,
    });
  }
  if (rng.chance(0.15)) {
    const total = (rng.int(500, 90_000) / 100).toFixed(2);
    events.push({
      purchase: { total, currency: "EUR", serverTimeStamp: stamp, orderId: `ORD${rng.int(100000, 999999)}`, cart: { total, products: [], numItems: "1" } },
      sdeType: "PURCHASE",
      serverTimeStamp: stamp,
    });
  }
  if (rng.chance(0.1)) {
    events.push({
      cartStatus: { serverTimeStamp: stamp, originalTimeStamp: stamp, total: "129.00", numItems: "2", products: [{ quantity: "2", product: { name: "Router X2", category: "network", sku: "RX2", price: "64.5" } }] },
      sdeType: "CART_STATUS",
      serverTimeStamp: stamp,
    });
  }
  return events;
}

/**
 * Real-world drift of an engagement (drift.ts): a new line `source` or `textType` or
 * visitor `device`, the MCS or duration as text, the lineSeqs as numbers, a null among
 * the transcript lines (never the first: the broken-record path is there), an
 * undocumented `info.routingInfo`, or no `campaign`/`visitorInfo` at all.
 */
function applyDrift(world: World, number: number, record: RawEngagement): { record: RawEngagement; drift: AppliedDrift | null } {
  const source = "liveperson-engagement";
  const kind = driftKindFor(world.seed, world.drift, source, number, SIMULATED_DRIFT_KINDS);
  if (!kind) return { record, drift: null };
  const drifted = structuredClone(record) as Record<string, unknown> & RawEngagement;
  const pick = (count: number) => driftPick(world.seed, source, number, count);
  const lines = (drifted.transcript?.lines ?? []) as Array<Record<string, unknown> | null>;
  let path: (string | number)[];
  switch (kind) {
    case "unknown_enum_value": {
      const choice = pick(3);
      if (choice === 0 && lines.length > 1) {
        // The closing system line, sent by a bot now.
        const at = lines.length - 1;
        (lines[at] as Record<string, unknown>).source = "bot";
        path = ["transcript", "lines", at, "source"];
      } else if (choice === 1 && lines.length > 1) {
        const at = lines.length - 1;
        (lines[at] as Record<string, unknown>).textType = "markdown";
        path = ["transcript", "lines", at, "textType"];
      } else {
        drifted.visitorInfo = { ...(drifted.visitorInfo ?? {}), device: "SMART_TV" };
        path = ["visitorInfo", "device"];
      }
      break;
    }
    case "number_as_string":
      if (pick(2) === 0 && typeof record.info.chatMCS === "number") {
        (drifted.info as Record<string, unknown>).chatMCS = String(record.info.chatMCS);
        path = ["info", "chatMCS"];
      } else {
        (drifted.info as Record<string, unknown>).duration = String(record.info.duration);
        path = ["info", "duration"];
      }
      break;
    case "number_for_string":
      for (const line of lines) if (line) line.lineSeq = Number(line.lineSeq);
      for (const score of (drifted.lineScores ?? []) as Array<Record<string, unknown>>) score.lineSeq = Number(score.lineSeq);
      path = ["transcript", "lines", 0, "lineSeq"];
      break;
    case "null_in_array": {
      const at = 1 + pick(Math.max(1, lines.length - 1));
      lines.splice(at, 0, null);
      path = ["transcript", "lines", at];
      break;
    }
    case "unknown_field":
      (drifted.info as Record<string, unknown>).routingInfo = { queue: "default", priority: 2 };
      path = ["info", "routingInfo"];
      break;
    case "missing_optional":
      path = pick(2) === 0 ? ["campaign"] : ["visitorInfo"];
      delete (drifted as Record<string, unknown>)[path[0] as string];
      break;
  }
  return { record: drifted, drift: { kind, path } };
}

function applyBreakage(world: World, number: number, record: RawEngagement): Omit<BuiltEngagement, "drift"> {
  const kind = breakageKindFor(world.seed, world.config.invalidRecordRate, "liveperson-engagement", number);
  if (!kind) return { record, breakage: null };
  const broken = structuredClone(record) as Record<string, unknown>;
  const breakage: Breakage =
    kind === "missing_required"
      ? { kind, path: ["info", "startTimeL"] }
      : kind === "wrong_type"
        ? { kind, path: ["info", "endTimeL"] }
        : { kind, path: ["transcript", "lines", 0, "timeL"] };
  const value = kind === "missing_required" ? undefined : kind === "wrong_type" ? livePersonTime(record.info.endTimeL) : "soon";
  setAtPath(broken, breakage.path, value);
  return { record: broken, breakage };
}

/** Which shard a record lives on (for partialResult pages that lose a shard). */
export function shardOf(seed: number, number: number, totalShards: number): number {
  return Math.floor(unitFromKey(seed, "lp-shard", number) * totalShards);
}
