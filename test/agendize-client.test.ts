import { afterEach, describe, expect, it } from "vitest";
import type { AgendizeAuth, AgendizeConfig } from "../data-loaders/config.js";
import { AgendizeAuthError, AgendizeClient, AgendizeResponseError, agendizePolicy } from "../data-loaders/agendize/client.js";
import { readWindow, type ListRead } from "../data-loaders/agendize/stream.js";
import { createHttpClient, type HttpClient } from "../data-loaders/http/index.js";
import { createPseudonymizer } from "../data-loaders/privacy.js";
import { json, startMisbehavingServer, type Behaviour, type MisbehavingServer } from "./http/misbehaving-server.js";

let server: MisbehavingServer | undefined;
let http: HttpClient | undefined;
afterEach(async () => {
  await http?.close();
  await server?.close();
  http = undefined;
  server = undefined;
});

const API_KEY = "agz-key-0123456789";
const TOKEN = "agz-token-0123456789";
const WINDOW = { startDate: new Date("2026-04-02T00:00:00Z"), endDate: new Date("2026-04-09T00:00:00Z") };

async function clientFor(routes: Record<string, Behaviour[]>, overrides: Partial<AgendizeConfig> = {}) {
  server = await startMisbehavingServer(routes);
  const config: AgendizeConfig = {
    baseUrl: `${server.baseUrl}/api/2.0`,
    listPath: "/chat/history",
    auth: { kind: "api-key", apiKey: API_KEY, token: TOKEN },
    companyTimeZone: "Europe/Paris",
    windowDays: 7,
    concurrency: 2,
    ...overrides,
  };
  http = createHttpClient({ source: "agendize", defaultPolicy: agendizePolicy(), delayScale: 0 });
  return new AgendizeClient(config, http);
}

const emptyList = json(200, { summary: { averageChatSessionDuration: 0, chatSessions: 0 }, items: [] });

/** The URL of the request a behaviour answered, for its query. */
function recordingUrls(inner: Behaviour, urls: URL[]): Behaviour {
  return (request, response, body) => {
    urls.push(new URL(request.url ?? "/", "http://localhost"));
    return inner(request, response, body);
  };
}

describe("Agendize client", () => {
  it("sends apiKey and token as headers, never in the URL, and the bounds as RFC 3339", async () => {
    const urls: URL[] = [];
    const client = await clientFor({ "/api/2.0/chat/history": [recordingUrls(emptyList, urls)] });
    const page = await client.listChats(WINDOW);
    const [seen] = server?.requestsSeen() ?? [];
    expect(seen?.headers).toMatchObject({ apikey: API_KEY, token: TOKEN });
    expect(seen?.headers.authorization).toBeUndefined();
    expect(Object.fromEntries(urls[0]?.searchParams ?? [])).toEqual({ startDate: "2026-04-02T00:00:00Z", endDate: "2026-04-09T00:00:00Z" });
    expect(page.url).not.toContain(API_KEY);
    expect(page).toMatchObject({ status: 200, items: [], summary: { chatSessions: 0 } });
  });

  it("sends a Bearer token instead when configured", async () => {
    const auth: AgendizeAuth = { kind: "bearer", token: "oauth-access-token-42" };
    const client = await clientFor({ "/api/2.0/chat/history": [emptyList] }, { auth });
    await client.listChats(WINDOW);
    const [seen] = server?.requestsSeen() ?? [];
    expect(seen?.headers.authorization).toBe("Bearer oauth-access-token-42");
    expect(seen?.headers.apikey).toBeUndefined();
    expect(seen?.headers.token).toBeUndefined();
  });

  it("lists from the configured path (the vendor has not confirmed /chat/history)", async () => {
    const client = await clientFor({ "/api/2.0/chats/sessions": [emptyList] }, { listPath: "chats/sessions" });
    await client.listChats(WINDOW);
    expect(server?.hits("/api/2.0/chats/sessions")).toBe(1);
    expect(server?.hits("/api/2.0/chat/history")).toBe(0);
  });

  it("explains a 401 or 403 with the vendor's message and the variables to check, without retrying", async () => {
    const refused = json(401, { error: { code: 401, message: "Invalid or missing credentials" } });
    const client = await clientFor({ "/api/2.0/chat/history": [refused] });
    const error = await client.listChats(WINDOW).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AgendizeAuthError);
    expect((error as Error).message).toBe(
      "agendize refused the credentials (HTTP 401: Invalid or missing credentials); check AGENDIZE_API_KEY and AGENDIZE_TOKEN",
    );
    expect(server?.hits("/api/2.0/chat/history")).toBe(1);
    await http?.close();
    await server?.close();

    const forbidden = json(403, { error: { code: 403, message: "Chat module not enabled" } });
    const bearer = await clientFor({ "/api/2.0/chat/history": [forbidden] }, { auth: { kind: "bearer", token: "oauth-access-token-42" } });
    await expect(bearer.listChats(WINDOW)).rejects.toThrow(
      "agendize refused the credentials (HTTP 403: Chat module not enabled); check AGENDIZE_BEARER_TOKEN",
    );
  });

  it("names AGENDIZE_LIST_PATH on a 404 or on a body that is not a list", async () => {
    const client = await clientFor({ "/api/2.0/chat/history": [json(200, { sessions: [] })] }, {});
    await expect(client.listChats(WINDOW)).rejects.toThrow(AgendizeResponseError);
    await expect(client.listChats(WINDOW)).rejects.toThrow(/not a chat history list.*AGENDIZE_LIST_PATH/);
    await http?.close();
    await server?.close();
    const missing = await clientFor({}, { listPath: "/chat/histories" });
    await expect(missing.listChats(WINDOW)).rejects.toThrow(/404.*check AGENDIZE_LIST_PATH \(now "\/chat\/histories"\)/);
  });
});

/** A chat whose local times are UTC wall times (zone "UTC"), lasting `seconds`. */
function chatAt(id: string, startIso: string, seconds = 60) {
  const local = (ms: number) => new Date(ms).toISOString().slice(0, 19);
  const start = Date.parse(startIso);
  return {
    id,
    start: { dateTime: local(start), timeZone: "UTC" },
    messages: [
      { id: `${id}1`, message: "hello", source: "visitor", sent: { dateTime: local(start), timeZone: "UTC" } },
      { id: `${id}2`, message: "hi", source: "operator", sent: { dateTime: local(start + seconds * 1000), timeZone: "UTC" } },
    ],
  };
}

type Chat = ReturnType<typeof chatAt>;

/**
 * A vendor that filters by start: "natural" reads startDate ≤ start < endDate; "literal"
 * does as the seed's descriptions say (startDate the exclusive upper bound, endDate the
 * exclusive lower one). `cap` lists at most that many items while the summary counts all.
 */
function vendor(chats: Chat[], reading: "natural" | "literal", cap = Infinity): Behaviour {
  return (request, response, body) => {
    const params = new URL(request.url ?? "/", "http://localhost").searchParams;
    const startDate = Date.parse(params.get("startDate") ?? "");
    const endDate = Date.parse(params.get("endDate") ?? "");
    const matching = chats.filter((chat) => {
      const start = Date.parse(`${chat.start.dateTime}Z`);
      return reading === "natural" ? start >= startDate && start < endDate : start > endDate && start < startDate;
    });
    const summary = { averageChatSessionDuration: 60, chatSessions: matching.length };
    return json(200, { summary, items: matching.slice(0, cap) })(request, response, body);
  };
}

const CHATS = [
  chatAt("before", "2026-04-01T23:59:59Z"),
  chatAt("first", "2026-04-02T00:00:00Z"),
  chatAt("middle", "2026-04-05T12:00:00Z"),
  chatAt("late", "2026-04-08T23:59:59Z"),
  chatAt("after", "2026-04-09T00:00:00Z"),
];
const KEPT = { from: Date.parse("2026-04-02T00:00:00Z"), to: Date.parse("2026-04-09T00:00:00Z") };

async function read(behaviour: Behaviour): Promise<{ read: ListRead; pages: number; splits: number }> {
  const client = await clientFor({ "/api/2.0/chat/history": [behaviour] });
  let pages = 0;
  let splits = 0;
  const result = await readWindow(client, KEPT, "Europe/Paris", createPseudonymizer("a-test-pseudonym-key"), {
    onPage: async () => {
      pages += 1;
    },
    onSplit: () => {
      splits += 1;
    },
  });
  return { read: result, pages, splits };
}

describe("Agendize window reading, whatever the vendor's reading of startDate/endDate", () => {
  it("keeps a window's chats by their own start, from a wider request (natural reading)", async () => {
    const { read: result, pages } = await read(vendor(CHATS, "natural"));
    expect([...result.chats.keys()].sort()).toEqual(["first", "late", "middle"]);
    expect(pages).toBe(1);
    // The summary row is the vendor's, for the bounds as requested: a day wider each side.
    expect([...result.summaries.values()]).toMatchObject([
      { summary_id: "2026-04-01T00:00:00Z/2026-04-10T00:00:00Z", chat_sessions: 5, items_returned: 5 },
    ]);
  });

  it("asks again with the bounds the other way round when a vendor reads them as the seed literally says", async () => {
    const { read: result, pages } = await read(vendor(CHATS, "literal"));
    expect([...result.chats.keys()].sort()).toEqual(["first", "late", "middle"]);
    expect(pages).toBe(2);
    expect([...result.summaries.values()]).toMatchObject([{ summary_id: "2026-04-01T00:00:00Z/2026-04-10T00:00:00Z", chat_sessions: 5 }]);
  });

  it("reads a window in halves when the list holds fewer items than its summary counts", async () => {
    const many = Array.from({ length: 12 }, (_, index) => chatAt(`c${index}`, new Date(KEPT.from + index * 13 * 3600_000).toISOString()));
    const { read: result, splits } = await read(vendor(many, "natural", 8));
    expect(splits).toBeGreaterThan(0);
    expect([...result.chats.keys()].sort()).toEqual(many.map((chat) => chat.id).sort());
  });

  it("fails loudly, losing nothing silently, when even a small window is cut short", async () => {
    const crowded = Array.from({ length: 5 }, (_, index) => chatAt(`c${index}`, "2026-04-05T12:00:00Z"));
    await expect(read(vendor(crowded, "natural", 2))).rejects.toThrow(/listed 2 of the 5 chat sessions.*no paging is documented/);
  });
});
