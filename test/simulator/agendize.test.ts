import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChatHistoryListResponse, ChatSession, ErrorResponse } from "../../data-loaders/agendize/schemas.js";
import type { ChatSession as Chat } from "../../data-loaders/agendize/schemas.js";
import { DEMO_CREDENTIALS } from "../../simulator/index.js";
import { agendizeQuery, http, jsonOf, start } from "./helpers.js";
import type { Started } from "./helpers.js";

let sim: Started;
let api: string;

beforeAll(async () => {
  sim = await start();
  api = `${sim.url}/agendize/api/2.0`;
});
afterAll(() => sim.stop());

async function listChats(from: string, to: string) {
  const result = await http(`${api}/chat/history?${agendizeQuery}&startDate=${from}&endDate=${to}`);
  expect(result.status).toBe(200);
  return ChatHistoryListResponse.parse(jsonOf(result));
}

/** Offset (minutes) of a zone at an instant, from Intl (independent of the simulator code). */
function offsetMinutes(epochMs: number, timeZone: string): number {
  const name = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" }).formatToParts(new Date(epochMs)).find((part) => part.type === "timeZoneName")?.value ?? "GMT";
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return match ? (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
}

/** Every UTC instant that shows this wall-clock time in the zone (0 in a spring-forward gap, 2 in a fall-back hour). */
function utcCandidates(local: string, timeZone: string): number[] {
  const asUtc = Date.parse(`${local}Z`);
  const offsets = new Set([offsetMinutes(asUtc - 86_400_000, timeZone), offsetMinutes(asUtc + 86_400_000, timeZone), offsetMinutes(asUtc, timeZone)]);
  return [...offsets].map((offset) => asUtc - offset * 60_000).filter((instant) => offsetMinutes(instant, timeZone) * 60_000 === asUtc - instant);
}

describe("Agendize auth", () => {
  it("accepts apiKey+token as query parameters or headers, and a bearer token", async () => {
    expect((await http(`${api}/chat/history?${agendizeQuery}&startDate=2026-11-19T00:00:00Z&endDate=2026-11-19T06:00:00Z`)).status).toBe(200);
    const headers = { apiKey: DEMO_CREDENTIALS.agendize.apiKey, token: DEMO_CREDENTIALS.agendize.token };
    expect((await http(`${api}/chat/history?startDate=2026-11-19T00:00:00Z&endDate=2026-11-19T06:00:00Z`, { headers })).status).toBe(200);
    const bearer = { authorization: `Bearer ${DEMO_CREDENTIALS.agendize.bearerToken}` };
    expect((await http(`${api}/chat/history?startDate=2026-11-19T00:00:00Z&endDate=2026-11-19T06:00:00Z`, { headers: bearer })).status).toBe(200);
  });

  it("rejects wrong or missing credentials with 401 and a JSON error body", async () => {
    for (const url of [`${api}/chat/history`, `${api}/chat/history?apiKey=demo-api-key&token=wrong`, `${api}/chat/history?apiKey=demo-api-key`]) {
      const result = await http(url);
      expect(result.status).toBe(401);
      expect(ErrorResponse.parse(jsonOf(result)).error.code).toBe(401);
    }
    expect((await http(`${api}/chat/history`, { headers: { authorization: "Bearer nope" } })).status).toBe(401);
  });
});

describe("Agendize chat history", () => {
  it("lists chats in a window with the vendor summary", async () => {
    const from = "2026-11-16T00:00:00Z";
    const to = "2026-11-18T00:00:00Z";
    const body = await listChats(from, to);
    expect(body.items.length).toBeGreaterThan(20);
    expect(body.summary.chatSessions).toBe(body.items.length);
    // averageChatSessionDuration: mean of (last message − start) in seconds.
    const durations = body.items.map((chat) => {
      const start = utcCandidates(chat.start.dateTime, chat.start.timeZone)[0] ?? 0;
      const last = chat.messages[chat.messages.length - 1];
      const end = last ? (utcCandidates(last.sent.dateTime, last.sent.timeZone)[0] ?? 0) : start;
      return (end - start) / 1000;
    });
    const mean = durations.reduce((sum, value) => sum + value, 0) / durations.length;
    expect(body.summary.averageChatSessionDuration).toBeCloseTo(mean, 2);
    for (const chat of body.items) {
      const instants = utcCandidates(chat.start.dateTime, chat.start.timeZone);
      expect(instants.some((instant) => instant >= Date.parse(from) && instant < Date.parse(to))).toBe(true);
    }
  });

  it("reads swapped bounds as the docs literally describe them", async () => {
    const natural = await listChats("2026-11-16T00:00:00Z", "2026-11-17T00:00:00Z");
    const swapped = await listChats("2026-11-17T00:00:00Z", "2026-11-16T00:00:00Z");
    expect(swapped.items.map((chat) => chat.id)).toEqual(natural.items.map((chat) => chat.id));
    expect((await http(`${api}/chat/history?${agendizeQuery}&startDate=yesterday`)).status).toBe(400);
  });

  it("gets one chat by id and answers 404 for an unknown id", async () => {
    const first = (await listChats("2026-11-18T00:00:00Z", "2026-11-19T00:00:00Z")).items[0];
    if (!first) throw new Error("no chat");
    const one = await http(`${api}/chat/history/${first.id}?${agendizeQuery}`);
    expect(ChatSession.parse(jsonOf(one))).toEqual(first);
    expect((await http(`${api}/chat/history/999?${agendizeQuery}`)).status).toBe(404);
    expect((await http(`${api}/chat/history/not-an-id?${agendizeQuery}`)).status).toBe(404);
  });

  it("uses local times without offset, several IANA zones and the emaillAddress field", async () => {
    const body = await listChats("2026-11-01T00:00:00Z", "2026-11-15T00:00:00Z");
    const zones = new Set(body.items.map((chat) => chat.start.timeZone));
    for (const zone of ["Europe/Paris", "America/New_York", "Australia/Sydney", "Asia/Kolkata"]) expect(zones).toContain(zone);
    for (const chat of body.items) {
      expect(chat.start.dateTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
      expect(chat.start.dateTime).toBe(chat.messages[0]?.sent.dateTime);
      for (const message of chat.messages) expect(message.sessionId).toBe(chat.id);
    }
    expect(body.items.some((chat) => (chat.visitor?.emaillAddress ?? "").includes("@"))).toBe(true);
    expect(new Set(body.items.flatMap((chat) => chat.messages.map((message) => message.source)))).toEqual(new Set(["visitor", "operator"]));
  });

  it("includes the repeated hour when Paris falls back (2026-10-25)", async () => {
    // The change is at 01:00Z: 02:00–03:00 local happens twice.
    const body = await listChats("2026-10-24T23:00:00Z", "2026-10-25T03:00:00Z");
    const paris = body.items.filter((chat) => chat.start.timeZone === "Europe/Paris" && chat.start.dateTime.startsWith("2026-10-25T02:"));
    const instants = paris.flatMap((chat) => utcCandidates(chat.start.dateTime, "Europe/Paris"));
    // Two distinct instants behind the same-looking local hour: one in CEST (+2), one in CET (+1).
    expect(paris.length).toBeGreaterThanOrEqual(2);
    expect(instants.some((instant) => instant < Date.parse("2026-10-25T01:00:00Z"))).toBe(true);
    expect(instants.some((instant) => instant >= Date.parse("2026-10-25T01:00:00Z"))).toBe(true);
  });

  it("never shows a local time that does not exist when Sydney springs forward (2026-10-04)", async () => {
    // 02:00 local jumps to 03:00 at 2026-10-03T16:00Z.
    const body = await listChats("2026-10-03T12:00:00Z", "2026-10-03T20:00:00Z");
    const sydney = body.items.filter((chat) => chat.start.timeZone === "Australia/Sydney");
    expect(sydney.some((chat) => chat.start.dateTime.startsWith("2026-10-04T01:"))).toBe(true);
    expect(sydney.some((chat) => chat.start.dateTime.startsWith("2026-10-04T03:"))).toBe(true);
    const all = sydney.flatMap((chat: Chat) => [chat.start.dateTime, ...chat.messages.map((message) => message.sent.dateTime)]);
    expect(all.some((local) => local.startsWith("2026-10-04T02:"))).toBe(false);
    for (const local of all) expect(utcCandidates(local, "Australia/Sydney").length).toBe(1);
  });

  it("includes the New York fall-back day (2026-11-01)", async () => {
    const body = await listChats("2026-11-01T04:00:00Z", "2026-11-01T08:00:00Z");
    const newYork = body.items.filter((chat) => chat.start.timeZone === "America/New_York" && chat.start.dateTime.startsWith("2026-11-01T01:"));
    expect(newYork.length).toBeGreaterThanOrEqual(2);
  });
});
