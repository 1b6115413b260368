/**
 * The SQL models on a small lake built from the vendors' documented records (the
 * seeds) plus a few hand-made ones whose figures are known: timings, DST, the
 * survey publication rule, privacy, and the column documentation of every model.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOfflineDuckDB, openLake, quoteLiteral, type TableSpec } from "../../data-loaders/lake/index.js";
import { InteractionHistoryRecord } from "../../data-loaders/liveperson/schemas.js";
import { mapEngagement } from "../../data-loaders/liveperson/stream.js";
import { buildModels, loadModels, martPath, readMartsManifest } from "../../data-loaders/models/run.js";
import { SOURCE_TABLES } from "../../data-loaders/models/source-tables.js";
import { createPseudonymizer } from "../../data-loaders/privacy.js";
import { contentHash } from "../../data-loaders/sync/commit.js";
import { clone, readSeedFixture } from "../schemas/fixtures.js";

const pseudonym = createPseudonymizer("test-key-for-models-0123456789abcdef");
let dir: string;

function spec(source: string, name: string, primaryKey: string, partitionColumn: string): TableSpec {
  const table = SOURCE_TABLES.find((t) => t.source === source && t.name === name);
  if (!table) throw new Error(`no table ${source}.${name}`);
  return { ...table, primaryKey: [primaryKey], partitionColumn };
}

type LpRecord = Record<string, unknown> & { info: Record<string, unknown> };

/**
 * A chat whose timings are known: requested 30 s before start, first agent line the
 * visitor saw 20 s after (an agents-only note at 10 s does not count), transferred
 * away (end reason 101). Its post-chat survey has a 1–5 rating, `rating`, and a 0–10
 * recommendation score, `recommend`.
 */
function knownChat(id: string, postChatAnswer: string, rating = "4", recommend = "9", startReason: [string, string] = ["0", "Visitor request"]): LpRecord {
  const start = Date.UTC(2026, 9, 20, 10, 0, 0);
  return {
    info: {
      engagementId: id,
      startTimeL: start,
      endTimeL: start + 300_000,
      chatRequestedTimeL: start - 30_000,
      visitorId: `visitor-${id}`,
      visitorName: "Zelda Visitorname",
      agentId: "7",
      agentFullName: "Ana Agent",
      skillName: "Billing",
      startReason: startReason[0],
      startReasonDesc: startReason[1],
      endReason: "101",
      endReasonDesc: "Transfer - rep stopped chat",
      chatMCS: 80,
      mcs: 50,
      alertedMCS: 1,
      isPartial: false,
    },
    transcript: {
      lines: [
        { lineSeq: "1", timeL: start + 5_000, source: "visitor", text: "my secret order number is 4411", textType: "plain", controlType: 0, agentId: "0" },
        { lineSeq: "3", timeL: start + 10_000, source: "agent", text: "vip customer", textType: "plain", controlType: 0, subType: "ONLY_TO_REP", agentId: "7" },
        { lineSeq: "2", timeL: start + 20_000, source: "agent", text: "let me check that for you", textType: "plain", controlType: 0, subType: "REGULAR", agentId: "7" },
      ],
    },
    lineScores: [
      { lineSeq: "1", lineRawScore: -1, mcs: 40 },
      { lineSeq: "2", lineRawScore: 1, mcs: 60 },
    ],
    surveys: {
      preChat: [{ displayName: "Email", value: "zelda@example.org", values: ["zelda@example.org"], answersId: [-1], questionID: 1, surveyID: 9, timeL: start - 31_000 }],
      postChat: [
        { displayName: "Issue solved?", value: postChatAnswer, values: [postChatAnswer], answersId: [1], questionID: 2, surveyID: 10, timeL: start + 310_000 },
        { displayName: "Rate the agent (1-5)", value: rating, values: [rating], answersId: [-1], questionID: 3, surveyID: 10, timeL: start + 310_000 },
        { displayName: "Recommend us (0-10)?", value: recommend, values: [recommend], answersId: [-1], questionID: 4, surveyID: 10, timeL: start + 310_000 },
      ],
    },
    visitorInfo: { ipAddress: "198.51.100.23", device: "DESKTOP", browserType: "CHROME", operatingSystem: "WINDOWS", country: "France" },
    coBrowseSessions: {
      coBrowseSessionsList: [{ sessionId: `cb-${id}`, startTimeL: start + 60_000, endTimeL: start + 120_000, duration: 60_000, interactive: true, endReason: "AGENT" }],
    },
  };
}

async function buildFixtureLake(root: string): Promise<void> {
  const lake = await openLake(root);
  try {
    const seedRecords = ["example4", "example5", "example6"].flatMap(
      (example) => (readSeedFixture(`liveperson-search-response-${example}.json`) as { interactionHistoryRecords: unknown[] }).interactionHistoryRecords,
    );
    const known = [1, 2, 3, 4, 5]
      .map((n) => knownChat(`known-${n}`, "Yes", String(n), n === 3 ? "3" : "9", n === 2 ? ["2", "Transfer failed"] : n === 4 ? ["6", "Skill reassign"] : undefined))
      .concat([knownChat("known-6", "Only once typed by someone")]);
    const engagements = [...seedRecords, ...known].map((raw) => mapEngagement(InteractionHistoryRecord.parse(raw), pseudonym));
    await lake.upsertRecords(spec("liveperson", "engagements", "engagement_id", "start_time"), engagements);

    const session = clone(readSeedFixture("upscope-documented-session.json")) as Record<string, unknown>;
    const sessionJson = JSON.stringify(session);
    await lake.upsertRecords(spec("upscope", "sessions", "session_id", "started_at"), [
      {
        session_id: session.id,
        started_at: session.started_at,
        ended_at: session.ended_at,
        visitor_id: session.visitor_id,
        email_pseudonym: pseudonym("email", String(session.visitor_email)),
        ip_pseudonym: pseudonym("ip", String(session.visitor_ip_address)),
        unique_id_pseudonym: pseudonym("identity", String(session.visitor_unique_id)),
        content_hash: contentHash(sessionJson),
        record_json: sessionJson,
      },
    ]);

    const list = readSeedFixture("agendize-chat-session.json") as { summary: { averageChatSessionDuration: number; chatSessions: number }; items: Array<Record<string, unknown>> };
    const chat = list.items[0] as Record<string, unknown>;
    const chatJson = JSON.stringify(chat);
    // 02:30 on the fall-back night in Paris is ambiguous: the earlier instant (CEST) is 00:30Z.
    await lake.upsertRecords(spec("agendize", "chats", "chat_id", "start_time"), [
      {
        chat_id: chat.id,
        start_time: "2026-10-25T00:30:00Z",
        end_time: "2026-10-25T00:31:35.500Z",
        time_zone: "Europe/Paris",
        message_sent_times: ["2026-10-25T00:30:00Z", "2026-10-25T00:31:35.500Z"],
        email_pseudonym: pseudonym("email", "jane@example.com"),
        ip_pseudonym: pseudonym("ip", "203.0.113.7"),
        name_pseudonym: pseudonym("name", "Jane Doe"),
        content_hash: contentHash(chatJson),
        record_json: chatJson,
      },
    ]);
    await lake.upsertRecords(spec("agendize", "list_summaries", "summary_id", "window_start"), [
      {
        summary_id: "2026-10-22T00:00:00.000Z/2026-10-29T00:00:00.000Z",
        window_start: "2026-10-22T00:00:00Z",
        window_end: "2026-10-29T00:00:00Z",
        average_chat_session_duration_seconds: list.summary.averageChatSessionDuration,
        chat_sessions: list.summary.chatSessions,
        items_returned: 1,
        fetched_at: "2026-11-01T00:00:00Z",
        content_hash: "x",
      },
    ]);
  } finally {
    lake.close();
  }
}

async function mart(root: string, name: string, where = "true"): Promise<Array<Record<string, unknown>>> {
  const db = await createOfflineDuckDB();
  try {
    return await db.queryRows(`SELECT * FROM read_parquet(${quoteLiteral(martPath(root, name))}) WHERE ${where}`);
  } finally {
    db.close();
  }
}

let lakeRoot: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "si-models-"));
  lakeRoot = join(dir, "lake");
  await buildFixtureLake(lakeRoot);
  await buildModels(lakeRoot, { publishText: false, demo: true, builtAt: new Date("2026-11-01T00:00:00Z") });
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("models", () => {
  it("every model documents exactly its columns, in order", async () => {
    const models = await loadModels();
    expect(models.filter((m) => m.layer === "marts").length).toBeGreaterThanOrEqual(10);
    const db = await createOfflineDuckDB();
    try {
      for (const model of models.filter((m) => m.layer === "marts")) {
        const columns = await db.queryRows(`SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet(${quoteLiteral(martPath(lakeRoot, model.name))}))`);
        expect(model.description, model.name).not.toBe("");
        expect(model.columns.map((c) => c.name), model.name).toEqual(columns.map((c) => c.column_name));
      }
    } finally {
      db.close();
    }
    for (const model of models.filter((m) => m.layer === "staging")) expect(model.columns.length, model.name).toBeGreaterThan(0);
  });

  it("orders models by their references (marts after what they read)", async () => {
    const models = await loadModels();
    const position = new Map(models.map((m, index) => [`${m.layer}.${m.name}`, index]));
    for (const model of models) for (const dependency of model.dependsOn) expect(position.get(dependency)).toBeLessThan(position.get(`${model.layer}.${model.name}`) ?? -1);
  });

  it("writes a manifest that says the data is demo data", async () => {
    const manifest = await readMartsManifest(lakeRoot);
    expect(manifest?.demo).toBe(true);
    // Seeds 5 and 6 are two versions of one engagement: 2 seed engagements + 6 known ones.
    expect(manifest?.marts.find((m) => m.name === "engagements")?.rows).toBe(8);
  });

  it("engagements: wait, first response, transfers, co-browse and the seeds' records", async () => {
    const rows = await mart(lakeRoot, "engagements", "engagement_id = 'known-1'");
    expect(rows[0]).toMatchObject({
      wait_seconds: 30,
      first_response_seconds: 20,
      duration_seconds: 300,
      ended_by_transfer: true,
      started_by_transfer: false,
      agent_key: "ana-agent",
      chat_mcs: 80,
      agent_lines: "1",
      visitor_lines: "1",
      has_cobrowse: true,
      cobrowse_seconds: 60,
      has_post_chat_survey: true,
    });
    const seeds = await mart(lakeRoot, "engagements", "engagement_id LIKE 'qa%'");
    expect(seeds.length).toBe(2);
  });

  it("engagements: a transfer is read from LivePerson's reason codes ('Transfer failed' is none)", async () => {
    const rows = await mart(lakeRoot, "engagements", "engagement_id LIKE 'known-%' ORDER BY engagement_id");
    expect(rows.map((r) => [r.engagement_id, r.start_reason_code, r.started_by_transfer, r.ended_by_transfer])).toEqual([
      ["known-1", "0", false, true],
      ["known-2", "2", false, true],
      ["known-3", "0", false, true],
      ["known-4", "6", true, true],
      ["known-5", "0", false, true],
      ["known-6", "0", false, true],
    ]);
  });

  it("survey ratings: only a question answered with whole numbers from 1 to 5 is a rating question", async () => {
    const rows = await mart(lakeRoot, "survey_answers", "engagement_id LIKE 'known-%' AND rating IS NOT NULL ORDER BY engagement_id");
    expect(rows.map((r) => [r.engagement_id, r.question, r.rating])).toEqual([
      ["known-1", "Rate the agent (1-5)", 1],
      ["known-2", "Rate the agent (1-5)", 2],
      ["known-3", "Rate the agent (1-5)", 3],
      ["known-4", "Rate the agent (1-5)", 4],
      ["known-5", "Rate the agent (1-5)", 5],
      ["known-6", "Rate the agent (1-5)", 4],
    ]);
    // The 0–10 question is answered 3 once, within 1–5, but it is no rating question.
    expect((await mart(lakeRoot, "survey_answers", "question LIKE 'Recommend%' AND rating IS NOT NULL")).length).toBe(0);
  });

  it("survey answers: typed text withheld, an option shared by 5 answers published, a rare one withheld", async () => {
    const rows = await mart(lakeRoot, "survey_answers", "engagement_id LIKE 'known-%'");
    expect(rows.filter((r) => r.question === "Email").map((r) => r.answer)).toEqual(Array(6).fill(null));
    expect(rows.filter((r) => r.question === "Issue solved?" && r.answer === "Yes").length).toBe(5);
    expect(rows.find((r) => r.engagement_id === "known-6" && r.question === "Issue solved?")?.answer).toBeNull();
  });

  it("co-browse sessions: length, call, recording and the first agent", async () => {
    const [row] = await mart(lakeRoot, "cobrowse_sessions");
    expect(row).toMatchObject({
      session_id: "ses_9f2k1",
      length_seconds: 70,
      call_length_seconds: 11,
      had_call: true,
      went_live: true,
      has_ready_recording: true,
      start_path: "/checkout",
      primary_agent_key: "mia-chen",
      quality_rating: 5,
      feature_count: "2",
    });
    expect((await mart(lakeRoot, "cobrowse_session_features")).map((r) => r.feature).sort()).toEqual(["drawing", "remote_click"]);
  });

  it("Agendize: message times converted with their zone across the fall-back hour; our average beside the vendor's", async () => {
    const [chat] = await mart(lakeRoot, "agendize_chats");
    expect(chat).toMatchObject({ duration_seconds: 95.5, first_response_seconds: 95.5, message_count: "2", operator_messages: "1" });
    const messages = await mart(lakeRoot, "agendize_message_facts");
    expect(messages.map((m) => m.sent_at)).toEqual(["2026-10-25 00:30:00", "2026-10-25 00:31:35.5"]);
    const [check] = await mart(lakeRoot, "agendize_duration_check");
    expect(check).toMatchObject({ vendor_average_chat_seconds: 95.5, our_average_chat_seconds: 95.5, disagrees: false });
  });

  it("the agents dimension joins sources by name", async () => {
    const agents = await mart(lakeRoot, "agents");
    expect(agents.find((a) => a.agent_key === "ana-agent")).toMatchObject({ engagements: "6", sources: ["liveperson"] });
    expect(agents.find((a) => a.agent_key === "mia-chen")).toMatchObject({ cobrowse_sessions: "1", sources: ["upscope"] });
  });

  it("no mart holds a visitor's email, IP, name, typed text or recording link", async () => {
    const db = await createOfflineDuckDB();
    const forbidden = ["jane@example.com", "203.0.113.7", "Jane Doe", "zelda@example.org", "198.51.100.23", "Zelda Visitorname", "secret order number", "videos.upscope.io", "Bonjour", "great"];
    try {
      for (const model of (await loadModels()).filter((m) => m.layer === "marts")) {
        const [row] = await db.queryRows(`SELECT string_agg(to_json(t)::VARCHAR, '\n') AS all_rows FROM read_parquet(${quoteLiteral(martPath(lakeRoot, model.name))}) t`);
        const text = String(row?.all_rows ?? "");
        for (const value of forbidden) expect(text.includes(value), `${model.name} contains ${value}`).toBe(false);
      }
    } finally {
      db.close();
    }
  });

  it("SI_PUBLISH_TEXT and SI_PUBLISH_VISITOR_IDENTITIES publish text and identities, and only then", async () => {
    expect((await mart(lakeRoot, "transcript_line_facts", "text IS NOT NULL")).length).toBe(0);
    const other = join(dir, "lake-text");
    await buildFixtureLake(other);
    expect((await mart(lakeRoot, "cobrowse_sessions", "visitor_email IS NOT NULL")).length).toBe(0);
    await buildModels(other, { publishText: true, publishIdentities: true, demo: false, builtAt: new Date() });
    const lines = await mart(other, "transcript_line_facts", "engagement_id = 'known-1'");
    expect(lines.map((l) => l.text)).toEqual(["my secret order number is 4411", "vip customer", "let me check that for you"]);
    expect((await mart(other, "cobrowse_sessions"))[0]?.visitor_email).toBe("jane@example.com");
    expect((await mart(other, "engagements", "engagement_id = 'known-1'"))[0]?.visitor_name).toBe("Zelda Visitorname");
    expect((await mart(other, "agendize_chats"))[0]?.visitor_name).toBe("Jane Doe");
    expect((await readMartsManifest(other))?.demo).toBe(false);
  });
});
