/**
 * The drift corpus: payloads drifted the way real vendor APIs drift from their docs
 * (vendor-apis.md: numeric ids, offsets, new enum values, numbers as strings, nulls in
 * arrays, missing optional objects, unknown nested fields), each with what must happen
 * to it: kept (with the drift the ledger must name, and the mart values that must
 * result) or quarantined (with the field path). drift-corpus.test.ts runs them through
 * the sync's own validation, mapping and commit, then the real models.
 */
import type { DriftKind } from "../../data-loaders/drift/policy.js";
import { clone, readSeedFixture } from "../schemas/fixtures.js";

type Json = Record<string, unknown>;

/** A mart (or staging model) row that must exist, found by `where`, with these values (BIGINT columns read as text). */
export interface MartExpectation {
  model: string;
  where: string;
  values: Record<string, unknown>;
  /** How many rows match `where` (default 1). */
  rows?: number;
}

export type DriftCase =
  | { name: string; id: string; record: Json; kept: true; drift: Array<[path: string, kind: DriftKind]>; marts: MartExpectation[] }
  | { name: string; id: string; record: Json; kept: false; fieldPath: string };

// ---------------------------------------------------------------------------------------
// Upscope sessions (and two visitors)

const documentedSession = readSeedFixture("upscope-documented-session.json") as Json;

function session(id: string | number, change: (record: Json) => void = () => {}): Json {
  const record = clone(documentedSession);
  record.id = id;
  record.visitor_id = "vcorpus";
  change(record);
  return record;
}

const cobrowse = (id: string, values: Record<string, unknown>): MartExpectation => ({ model: "cobrowse_sessions", where: `session_id = '${id}'`, values });

export const UPSCOPE_SESSIONS: DriftCase[] = [
  {
    name: "a numeric session id (the published example's `\"id\": 1`)",
    id: "4711",
    record: session(4711),
    kept: true,
    drift: [["id", "number_for_string"]],
    marts: [cobrowse("4711", { length_seconds: 70, video_status: "ready" })],
  },
  {
    name: "a video_status the docs do not list",
    id: "up-video",
    record: session("up-video", (r) => (r.video_status = "transcoding")),
    kept: true,
    drift: [["video_status", "unknown_enum_value"]],
    marts: [cobrowse("up-video", { video_status: "transcoding", has_ready_recording: false })],
  },
  {
    name: "a session source the docs do not list",
    id: "up-source",
    record: session("up-source", (r) => (r.source = "chat widget")),
    kept: true,
    drift: [["source", "unknown_enum_value"]],
    marts: [cobrowse("up-source", { session_source: "chat widget" })],
  },
  {
    name: "the session length as numeric text",
    id: "up-length",
    record: session("up-length", (r) => (r.length_seconds = "312")),
    kept: true,
    drift: [["length_seconds", "number_as_string"]],
    marts: [cobrowse("up-length", { length_seconds: 312 })],
  },
  {
    name: "the call length as numeric text",
    id: "up-call",
    record: session("up-call", (r) => (r.call_length_seconds = "45")),
    kept: true,
    drift: [["call_length_seconds", "number_as_string"]],
    marts: [cobrowse("up-call", { call_length_seconds: 45, had_call: true })],
  },
  {
    name: "a null among the features used",
    id: "up-features",
    record: session("up-features", (r) => (r.features_used = ["remote_click", null, "drawing"])),
    kept: true,
    drift: [["features_used[]", "null_in_array"]],
    marts: [
      cobrowse("up-features", { feature_count: "2" }),
      { model: "cobrowse_session_features", where: "session_id = 'up-features'", values: {}, rows: 2 },
    ],
  },
  {
    name: "a null among the agents, and an agent with a numeric id",
    id: "up-agents",
    record: session("up-agents", (r) => (r.agents = [null, { id: 7, name: "Lee", agent_nickname: "lee" }])),
    kept: true,
    drift: [
      ["agents[]", "null_in_array"],
      ["agents[].id", "number_for_string"],
    ],
    marts: [cobrowse("up-agents", { agent_count: "1", primary_agent_name: "Lee" })],
  },
  {
    name: "timestamps with an offset (the published example's +01:00)",
    id: "up-offset",
    record: session("up-offset", (r) => {
      r.started_at = "2026-11-20T12:00:00.000+02:00";
      r.ended_at = "2026-11-20T12:01:10.000+02:00";
    }),
    kept: true,
    drift: [],
    marts: [cobrowse("up-offset", { started_at: "2026-11-20 10:00:00", session_date: "2026-11-20", length_seconds: 70 })],
  },
  {
    name: "optional objects missing (no team, agents, notes, feedback, metadata)",
    id: "up-bare",
    record: session("up-bare", (r) => {
      for (const key of ["team", "agents", "agent_notes", "quality_feedback", "metadata", "features_used"]) delete r[key];
    }),
    kept: true,
    drift: [],
    marts: [cobrowse("up-bare", { agent_count: "0", feature_count: "0", length_seconds: 70 })],
  },
  {
    name: "unknown nested fields (an agent's role, a recording object) and a numeric team id",
    id: "up-nested",
    record: session("up-nested", (r) => {
      (r.agents as Json[])[0] = { ...((r.agents as Json[])[0] as Json), role: "supervisor" };
      r.recording = { provider: "s3", region: "eu-west-1" };
      r.team = { id: 7, domain: "example.com" };
    }),
    kept: true,
    drift: [
      ["agents[].role", "unknown_field"],
      ["recording", "unknown_field"],
      ["team.id", "number_for_string"],
    ],
    marts: [cobrowse("up-nested", { video_status: "ready", length_seconds: 70 })],
  },
  {
    name: "no id at all: cannot be keyed",
    id: "corpus #10",
    record: session("x", (r) => delete r.id),
    kept: false,
    fieldPath: "id",
  },
  {
    name: "a start that is not a time: cannot be placed",
    id: "up-no-time",
    record: session("up-no-time", (r) => (r.started_at = "yesterday")),
    kept: false,
    fieldPath: "started_at",
  },
  {
    name: "a length that cannot be read: a measure lost",
    id: "up-long",
    record: session("up-long", (r) => (r.length_seconds = "long")),
    kept: false,
    fieldPath: "length_seconds",
  },
];

export const UPSCOPE_VISITORS: DriftCase[] = [
  {
    name: "a device type and an SDK the docs do not list, a numeric lookup code, a null tag",
    id: "v-drift",
    record: { short_id: "v-drift", added_at: "2026-01-01T00:00:00Z", device_type: "vr_headset", sdk: "flutter", lookup_code: 4411, tags: ["vip", null] },
    kept: true,
    drift: [
      ["device_type", "unknown_enum_value"],
      ["sdk", "unknown_enum_value"],
      ["lookup_code", "number_for_string"],
      ["tags[]", "null_in_array"],
    ],
    marts: [{ model: "staging.stg_upscope__visitors", where: "visitor_id = 'v-drift'", values: { device_type: "vr_headset", sdk: "flutter" } }],
  },
  {
    name: "a numeric short id and the drifted first_seen_at with an offset",
    id: "48213",
    record: { short_id: 48213, first_seen_at: "2018-07-05T11:53:38.000+01:00", device_type: "desktop" },
    kept: true,
    drift: [["short_id", "number_for_string"]],
    marts: [{ model: "staging.stg_upscope__visitors", where: "visitor_id = '48213'", values: { first_seen_at: "2018-07-05 10:53:38", device_type: "desktop" } }],
  },
];

// ---------------------------------------------------------------------------------------
// LivePerson engagements

const LP_START = Date.UTC(2026, 9, 20, 10, 0, 0);

function engagement(id: string | number, change: (record: Json & { info: Json; transcript: { lines: Array<Json | null> } }) => void = () => {}): Json {
  const record = {
    info: {
      engagementId: id,
      startTimeL: LP_START,
      endTimeL: LP_START + 300_000,
      chatRequestedTimeL: LP_START - 30_000,
      duration: 300,
      visitorId: "visitor-corpus",
      agentId: "7",
      agentFullName: "Ana Agent",
      skillId: 1001,
      skillName: "Billing",
      chatMCS: 80,
      mcs: 1,
      alertedMCS: 1,
      isPartial: false,
    },
    transcript: {
      lines: [
        { lineSeq: "1", timeL: LP_START + 5_000, source: "visitor", text: "hello", textType: "plain", controlType: 0, agentId: "0" },
        { lineSeq: "2", timeL: LP_START + 20_000, source: "agent", text: "hi, how can I help?", textType: "plain", controlType: 0, agentId: "7" },
        { lineSeq: "3", timeL: LP_START + 299_000, source: "system", text: "Thank you for chatting with us.", textType: "plain", controlType: 5, agentId: "0" },
      ] as Array<Json | null>,
    },
    lineScores: [
      { lineSeq: "1", lineRawScore: 0, mcs: 40 },
      { lineSeq: "2", lineRawScore: 1, mcs: 60 },
      { lineSeq: "3", lineRawScore: 0, mcs: 80 },
    ],
    campaign: { campaignName: "Live Chat on your site", lobId: "-1" },
    visitorInfo: { device: "DESKTOP", operatingSystem: "WINDOWS", browserType: "CHROME", country: "France" },
  };
  change(record);
  return record;
}

const chat = (id: string, values: Record<string, unknown>): MartExpectation => ({ model: "engagements", where: `engagement_id = '${id}'`, values });
const line = (id: string, index: number, values: Record<string, unknown>): MartExpectation => ({
  model: "transcript_line_facts",
  where: `engagement_id = '${id}' AND line_index = ${index}`,
  values,
});

export const LIVEPERSON_ENGAGEMENTS: DriftCase[] = [
  {
    name: "the chat MCS as numeric text",
    id: "lp-mcs",
    record: engagement("lp-mcs", (r) => (r.info.chatMCS = "60")),
    kept: true,
    drift: [["info.chatMCS", "number_as_string"]],
    marts: [chat("lp-mcs", { chat_mcs: 60 })],
  },
  {
    name: "the duration as numeric text",
    id: "lp-duration",
    record: engagement("lp-duration", (r) => (r.info.duration = "300")),
    kept: true,
    drift: [["info.duration", "number_as_string"]],
    marts: [chat("lp-duration", { duration_seconds: 300 })],
  },
  {
    name: "a line source the docs do not list (a bot)",
    id: "lp-bot",
    record: engagement("lp-bot", (r) => ((r.transcript.lines[2] as Json).source = "bot")),
    kept: true,
    drift: [["transcript.lines[].source", "unknown_enum_value"]],
    marts: [line("lp-bot", 2, { line_source: "bot" }), chat("lp-bot", { agent_lines: "1", visitor_lines: "1", first_response_seconds: 20 })],
  },
  {
    name: "a text type the docs do not list",
    id: "lp-markdown",
    record: engagement("lp-markdown", (r) => ((r.transcript.lines[1] as Json).textType = "markdown")),
    kept: true,
    drift: [["transcript.lines[].textType", "unknown_enum_value"]],
    marts: [line("lp-markdown", 1, { text_type: "markdown", line_source: "agent" })],
  },
  {
    name: "a visitor device the docs do not list",
    id: "lp-device",
    record: engagement("lp-device", (r) => ((r.visitorInfo as Json).device = "SMART_TV")),
    kept: true,
    drift: [["visitorInfo.device", "unknown_enum_value"]],
    marts: [chat("lp-device", { device: "SMART_TV", operating_system: "WINDOWS" })],
  },
  {
    name: "numeric lineSeqs (documented as text), still matched to their scores",
    id: "lp-seq",
    record: engagement("lp-seq", (r) => {
      for (const entry of r.transcript.lines) if (entry) entry.lineSeq = Number(entry.lineSeq);
      for (const score of r.lineScores as Json[]) score.lineSeq = Number(score.lineSeq);
    }),
    kept: true,
    drift: [
      ["transcript.lines[].lineSeq", "number_for_string"],
      ["lineScores[].lineSeq", "number_for_string"],
    ],
    marts: [line("lp-seq", 1, { line_mcs: 60, line_raw_score: 1 })],
  },
  {
    name: "a null among the transcript lines",
    id: "lp-null",
    record: engagement("lp-null", (r) => r.transcript.lines.splice(1, 0, null)),
    kept: true,
    drift: [["transcript.lines[]", "null_in_array"]],
    marts: [
      line("lp-null", 1, { line_source: "agent" }),
      { model: "transcript_line_facts", where: "engagement_id = 'lp-null'", values: {}, rows: 3 },
      chat("lp-null", { first_response_seconds: 20 }),
    ],
  },
  {
    name: "optional objects missing (no visitorInfo, campaign, lineScores)",
    id: "lp-bare",
    record: engagement("lp-bare", (r) => {
      delete r.visitorInfo;
      delete r.campaign;
      delete r.lineScores;
    }),
    kept: true,
    drift: [],
    marts: [chat("lp-bare", { device: null, country: null, chat_mcs: 80 })],
  },
  {
    name: "unknown nested fields (info.routingInfo, visitorInfo.geo) and a survey answer id list with a null",
    id: "lp-nested",
    record: engagement("lp-nested", (r) => {
      r.info.routingInfo = { queue: "default", priority: 2 };
      (r.visitorInfo as Json).geo = { region: "IDF" };
      r.surveys = { postChat: [{ displayName: "Issue solved?", value: "Yes", answersId: [1, null], questionID: "2", surveyID: 10, timeL: LP_START + 310_000 }] };
    }),
    kept: true,
    drift: [
      ["info.routingInfo", "unknown_field"],
      ["visitorInfo.geo", "unknown_field"],
      ["surveys.postChat[].answersId[]", "null_in_array"],
      ["surveys.postChat[].questionID", "number_as_string"],
    ],
    marts: [chat("lp-nested", { has_post_chat_survey: true, country: "France" })],
  },
  {
    name: "skill and agent ids as numbers and as text (both documented: no drift)",
    id: "lp-ids",
    record: engagement("lp-ids", (r) => {
      r.info.skillId = "1001";
      r.info.agentId = 7;
    }),
    kept: true,
    drift: [],
    marts: [chat("lp-ids", { agent_id: "7", skill_name: "Billing" })],
  },
  {
    name: "a numeric engagement id",
    id: "4294982965",
    record: engagement(4294982965),
    kept: true,
    drift: [["info.engagementId", "number_for_string"]],
    marts: [chat("4294982965", { chat_mcs: 80 })],
  },
  {
    name: "no engagementId: cannot be keyed",
    id: "(unknown id)",
    record: engagement("x", (r) => delete r.info.engagementId),
    kept: false,
    fieldPath: "info.engagementId",
  },
  {
    name: "a start time as the string form: cannot be placed",
    id: "lp-no-time",
    record: engagement("lp-no-time", (r) => (r.info.startTimeL = "2017-02-01 17:11:59.916+0000")),
    kept: false,
    fieldPath: "info.startTimeL",
  },
  {
    name: "an MCS that cannot be read: a measure lost",
    id: "lp-mcs-high",
    record: engagement("lp-mcs-high", (r) => (r.info.chatMCS = "high")),
    kept: false,
    fieldPath: "info.chatMCS",
  },
];

// ---------------------------------------------------------------------------------------
// Agendize chats (one list response, with its summary)

const documentedChat = (readSeedFixture("agendize-chat-session.json") as { items: Json[] }).items[0] as Json;

function agendizeChat(id: string | number, change: (record: Json & { messages: Array<Json | null>; visitor?: Json }) => void = () => {}): Json {
  const record = clone(documentedChat) as Json & { messages: Array<Json | null> };
  record.id = id;
  record.start = { dateTime: "2026-07-01T10:00:00", timeZone: "Europe/Paris" };
  record.messages = [
    { id: `${id}001`, sessionId: String(id), message: "Bonjour", source: "visitor", sent: { dateTime: "2026-07-01T10:00:00", timeZone: "Europe/Paris" } },
    { id: `${id}002`, sessionId: String(id), message: "Bonjour !", source: "operator", sent: { dateTime: "2026-07-01T10:00:30", timeZone: "Europe/Paris" } },
    { id: `${id}003`, sessionId: String(id), message: "Merci", source: "visitor", sent: { dateTime: "2026-07-01T10:02:00", timeZone: "Europe/Paris" } },
  ];
  change(record);
  return record;
}

const agendize = (id: string, values: Record<string, unknown>): MartExpectation => ({ model: "agendize_chats", where: `chat_id = '${id}'`, values });

export const AGENDIZE_CHATS: DriftCase[] = [
  {
    name: "a message source the docs do not list (a bot), its own category",
    id: "91001",
    record: agendizeChat("91001", (r) => ((r.messages[1] as Json).source = "bot")),
    kept: true,
    drift: [["messages[].source", "unknown_enum_value"]],
    marts: [
      agendize("91001", { message_count: "3", operator_messages: "0", visitor_messages: "2", first_response_seconds: null }),
      { model: "agendize_message_facts", where: "chat_id = '91001' AND message_source = 'bot'", values: { message_index: "1" } },
    ],
  },
  {
    name: "a numeric chat id",
    id: "91002",
    record: agendizeChat(91002),
    kept: true,
    drift: [["id", "number_for_string"]],
    marts: [agendize("91002", { message_count: "3", first_response_seconds: 30 })],
  },
  {
    name: "numeric message ids and session ids",
    id: "91003",
    record: agendizeChat("91003", (r) => {
      for (const message of r.messages) if (message) Object.assign(message, { id: Number(message.id), sessionId: 91003 });
    }),
    kept: true,
    drift: [
      ["messages[].id", "number_for_string"],
      ["messages[].sessionId", "number_for_string"],
    ],
    marts: [{ model: "agendize_message_facts", where: "chat_id = '91003' AND message_index = 0", values: { message_id: "91003001" } }],
  },
  {
    name: "a null among the messages",
    id: "91004",
    record: agendizeChat("91004", (r) => r.messages.splice(1, 0, null)),
    kept: true,
    drift: [["messages[]", "null_in_array"]],
    marts: [agendize("91004", { message_count: "3", operator_messages: "1", duration_seconds: 120 })],
  },
  {
    name: "no visitor object",
    id: "91005",
    record: agendizeChat("91005", (r) => delete r.visitor),
    kept: true,
    drift: [],
    marts: [agendize("91005", { country: null, browser: null, message_count: "3" })],
  },
  {
    name: "no chat button",
    id: "91006",
    record: agendizeChat("91006", (r) => delete r.button),
    kept: true,
    drift: [],
    marts: [agendize("91006", { button_name: null, message_count: "3" })],
  },
  {
    name: "unknown nested fields (visitor.language, a rating object)",
    id: "91007",
    record: agendizeChat("91007", (r) => {
      (r.visitor as Json).language = "fr";
      r.rating = { score: 4 };
    }),
    kept: true,
    drift: [
      ["visitor.language", "unknown_field"],
      ["rating", "unknown_field"],
    ],
    marts: [agendize("91007", { country: "France" })],
  },
  {
    name: "a start with an offset where the docs promise none",
    id: "91008",
    record: agendizeChat("91008", (r) => (r.start = { dateTime: "2026-07-01T10:00:00+02:00", timeZone: "Europe/Paris" })),
    kept: true,
    drift: [],
    marts: [agendize("91008", { start_time: "2026-07-01 08:00:00", duration_seconds: 120 })],
  },
  {
    name: "no time zone: the company's zone",
    id: "91009",
    record: agendizeChat("91009", (r) => {
      r.start = { dateTime: "2026-07-01T10:00:00" };
      for (const message of r.messages) if (message) message.sent = { dateTime: (message.sent as Json).dateTime };
    }),
    kept: true,
    drift: [],
    marts: [agendize("91009", { start_time: "2026-07-01 08:00:00", time_zone: "Europe/Paris" })],
  },
  {
    name: "a visitor country sent as a number",
    id: "91010",
    record: agendizeChat("91010", (r) => ((r.visitor as Json).country = 250)),
    kept: true,
    drift: [["visitor.country", "number_for_string"]],
    marts: [agendize("91010", { country: "250" })],
  },
  {
    name: "no start: cannot be placed",
    id: "91011",
    record: agendizeChat("91011", (r) => delete r.start),
    kept: false,
    fieldPath: "start",
  },
  {
    name: "a message time that is not a time",
    id: "91012",
    record: agendizeChat("91012", (r) => ((r.messages[2] as Json).sent = { dateTime: "yesterday at ten", timeZone: "Europe/Paris" })),
    kept: false,
    fieldPath: "messages[2].sent.dateTime",
  },
  {
    name: "a zone no runtime knows",
    id: "91013",
    record: agendizeChat("91013", (r) => (r.start = { dateTime: "2026-07-01T10:00:00", timeZone: "Mars/Olympus_Mons" })),
    kept: false,
    fieldPath: "start.timeZone",
  },
  {
    name: "no id: cannot be keyed",
    id: "2026-06-29T00:00:00Z/2026-07-08T00:00:00Z #13",
    record: agendizeChat("x", (r) => delete r.id),
    kept: false,
    fieldPath: "id",
  },
];

/** The list response's summary, drifted: both numbers as numeric text. */
export const AGENDIZE_SUMMARY = { averageChatSessionDuration: "95.5", chatSessions: String(AGENDIZE_CHATS.length) };
