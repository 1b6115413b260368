import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChatSession } from "../../data-loaders/agendize/schemas.js";
import { InteractionHistoryRecord, SearchResponseEnvelope } from "../../data-loaders/liveperson/schemas.js";
import { ListResponse, Session } from "../../data-loaders/upscope/schemas.js";
import { exportGroundTruth } from "../../simulator/index.js";
import { NOW, agendizeQuery, http, jsonOf, lpSearch, start, upscopeHeaders, window } from "./helpers.js";
import type { Started } from "./helpers.js";

const options = { seed: 3, now: NOW, days: 20, faults: { invalidRecord: 0.1 } };
let sim: Started;
let exportDir: string;

async function ndjson(name: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(join(exportDir, name), "utf8");
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function issuePaths(result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }): string[] {
  return (result.error?.issues ?? []).map((issue) => issue.path.join("."));
}

beforeAll(async () => {
  sim = await start(options);
  exportDir = await mkdtemp(join(tmpdir(), "sim-records-"));
  await exportGroundTruth(options, exportDir);
});
afterAll(async () => {
  await sim.stop();
  await rm(exportDir, { recursive: true, force: true });
});

describe("schema-breaking records", () => {
  it("LivePerson: broken records fail the schema at the path the export names; the rest parse", async () => {
    const invalid = await ndjson("liveperson-engagements-invalid.ndjson");
    expect(invalid.length).toBeGreaterThan(0);
    expect(new Set(invalid.map((line) => line["breakage"]))).toEqual(new Set(["missing_required", "wrong_type", "unreadable_value"]));
    const expected = new Map(invalid.map((line) => [String(line["id"]), (line["path"] as (string | number)[]).join(".")]));
    const failing = new Map<string, string[]>();
    let valid = 0;
    for (let offset = 0; ; offset += 100) {
      const page = SearchResponseEnvelope.parse(jsonOf(await lpSearch(sim.url, { start: window(7) }, `limit=100&offset=${offset}`)));
      for (const raw of page.interactionHistoryRecords) {
        const result = InteractionHistoryRecord.safeParse(raw);
        const id = String((raw as { info?: { engagementId?: unknown } }).info?.engagementId);
        if (result.success) valid++;
        else failing.set(id, issuePaths(result));
      }
      if (offset + 100 >= page._metadata.count) break;
    }
    expect(failing.size).toBeGreaterThan(0);
    expect(valid).toBeGreaterThan(failing.size * 4);
    for (const [id, paths] of failing) {
      expect(expected.has(id)).toBe(true);
      expect(paths).toContain(expected.get(id));
    }
  });

  it("Agendize and Upscope: broken records fail at the exported path", async () => {
    const chats = await ndjson("agendize-chats-invalid.ndjson");
    expect(chats.length).toBeGreaterThan(0);
    for (const line of chats) expect(issuePaths(ChatSession.safeParse(line["record"]))).toContain((line["path"] as string[]).join("."));
    const sessions = await ndjson("upscope-sessions-invalid.ndjson");
    expect(sessions.length).toBeGreaterThan(0);
    for (const line of sessions) expect(issuePaths(Session.safeParse(line["record"]))).toContain((line["path"] as string[]).join("."));
    // The broken chats come back broken over HTTP too.
    const first = chats.find((line) => line["breakage"] !== "missing_required");
    const served = await http(`${sim.url}/agendize/api/2.0/chat/history/${String(first?.["id"])}?${agendizeQuery}`);
    expect(jsonOf(served)).toEqual(first?.["record"]);
  });

  it("valid export files parse completely", async () => {
    for (const line of await ndjson("liveperson-engagements.ndjson")) expect(InteractionHistoryRecord.safeParse(line).success).toBe(true);
    for (const line of await ndjson("agendize-chats.ndjson")) expect(ChatSession.safeParse(line).success).toBe(true);
    for (const line of await ndjson("upscope-sessions.ndjson")) expect(Session.safeParse(line).success).toBe(true);
  });
});

describe("data that looks real", () => {
  it("shares customers across sources (emails and unique ids) so joins find them", async () => {
    const upscope = ListResponse.parse(jsonOf(await http(`${sim.url}/upscope/v1.3/list`, { headers: upscopeHeaders }))).visitors;
    const upscopeEmails = new Set(upscope.map((visitor) => visitor.email).filter((email): email is string => Boolean(email)));
    const engagements = (await ndjson("liveperson-engagements.ndjson")) as unknown as InteractionHistoryRecord[];
    const liveEmails = new Set(engagements.flatMap((record) => (record.surveys?.preChat ?? []).filter((answer) => answer.displayName === "Email").map((answer) => answer.value ?? "")));
    const chats = (await ndjson("agendize-chats.ndjson")) as { visitor: { emaillAddress: string } }[];
    const agendizeEmails = new Set(chats.map((chat) => chat.visitor.emaillAddress).filter(Boolean));
    const inAll = [...upscopeEmails].filter((email) => liveEmails.has(email) && agendizeEmails.has(email));
    expect(inAll.length).toBeGreaterThan(0);
    const uniqueIds = new Set(upscope.map((visitor) => visitor.unique_id).filter(Boolean));
    const sdeIds = engagements.flatMap((record) => (record.sdes?.events ?? []).map((event) => (event["customerInfo"] as { customerInfo?: { customerId?: string } } | undefined)?.customerInfo?.customerId));
    expect(sdeIds.some((id) => id !== undefined && uniqueIds.has(id))).toBe(true);
  });

  it("has weekday and hour seasonality and lognormal durations", async () => {
    const engagements = (await ndjson("liveperson-engagements.ndjson")) as unknown as InteractionHistoryRecord[];
    const byWeekday = new Array<number>(7).fill(0);
    const byHour = new Array<number>(24).fill(0);
    for (const record of engagements) {
      const date = new Date(record.info.startTimeL);
      byWeekday[date.getUTCDay()] = (byWeekday[date.getUTCDay()] ?? 0) + 1;
      byHour[date.getUTCHours()] = (byHour[date.getUTCHours()] ?? 0) + 1;
    }
    expect((byWeekday[2] ?? 0) * 2).toBeGreaterThan(byWeekday[0] ?? 0);
    expect(byHour[10] ?? 0).toBeGreaterThan((byHour[3] ?? 0) * 5);
    const durations = engagements.map((record) => record.info.duration ?? 0).sort((a, b) => a - b);
    const median = durations[Math.floor(durations.length / 2)] ?? 0;
    const mean = durations.reduce((sum, value) => sum + value, 0) / durations.length;
    expect(mean).toBeGreaterThan(median); // right-skewed
  });

  it("puts hostile content in a small share of text fields", async () => {
    const text = [
      await readFile(join(exportDir, "liveperson-engagements.ndjson"), "utf8"),
      await readFile(join(exportDir, "agendize-chats.ndjson"), "utf8"),
    ].join("\n");
    for (const marker of ["<script>window.__pwned=1</script>", "onerror=", "👍🏽", "مرحبا", "\u202E", "very long message very long message"]) {
      expect(text).toContain(JSON.stringify(marker).slice(1, -1));
    }
    const chats = (await ndjson("agendize-chats.ndjson")) as { messages: { message: string }[] }[];
    const messages = chats.flatMap((chat) => chat.messages.map((message) => message.message));
    const hostile = messages.filter((message) => /<script|onerror|<svg/.test(message));
    expect(hostile.length).toBeGreaterThan(0);
    expect(hostile.length).toBeLessThan(messages.length * 0.05);
  });
});
