import { afterEach, describe, expect, it } from "vitest";
import {
  createHttpClient,
  HttpBudgetExhaustedError,
  HttpStatusError,
  jitteredExponentialPolicy,
  type HttpClient,
  type HttpClientOptions,
  type HttpEvent,
} from "../../data-loaders/http/index.js";
import { livePersonPolicy } from "../../data-loaders/liveperson/retry-policy.js";
import {
  json,
  rawBody,
  resetMidBody,
  slow,
  startMisbehavingServer,
  type Behaviour,
  type MisbehavingServer,
} from "./misbehaving-server.js";

const SECRET_KEY = "sk_live_SUPERSECRET42";

let server: MisbehavingServer | undefined;
let client: HttpClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

/** A client whose sleeps return at once and are recorded, so delays are asserted, never waited for. */
function testClient(overrides: Partial<HttpClientOptions> = {}) {
  const events: HttpEvent[] = [];
  const sleeps: number[] = [];
  client = createHttpClient({
    source: "test",
    defaultPolicy: jitteredExponentialPolicy({ baseDelayMs: 100 }),
    random: () => 0,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    onEvent: (event) => events.push(event),
    ...overrides,
  });
  const retries = () => events.filter((event) => event.type === "retry");
  return { client, events, sleeps, retries };
}

describe("requestJson against a misbehaving server", () => {
  it("429 with Retry-After waits exactly that long, source-wide", async () => {
    server = await startMisbehavingServer({ "/x": [json(429, {}, { "retry-after": "3" }), json(200, { ok: 1 })] });
    const { client, retries, sleeps } = testClient({ defaultPolicy: livePersonPolicy() });
    const response = await client.requestJson({ method: "GET", url: `${server.baseUrl}/x` });
    expect(response).toMatchObject({ status: 200, json: { ok: 1 }, attempts: 2 });
    expect(retries()).toMatchObject([{ reason: "HTTP 429", delayMs: 3000, pauseSource: true }]);
    expect(sleeps).toEqual([3000]); // the pause is waited out through the injected sleep
    expect(server.hits("/x")).toBe(2);
  });

  it("Retry-After as an HTTP date is honoured relative to the injected clock", async () => {
    const clock = Date.parse("2026-01-01T00:00:00Z");
    server = await startMisbehavingServer({
      "/x": [json(503, {}, { "retry-after": "Thu, 01 Jan 2026 00:00:42 GMT" }), json(200, { ok: 2 })],
    });
    const { client, retries, sleeps } = testClient({ now: () => clock });
    expect((await client.requestJson({ method: "GET", url: `${server.baseUrl}/x` })).json).toEqual({ ok: 2 });
    expect(retries()).toMatchObject([{ reason: "HTTP 503", delayMs: 42_000 }]);
    expect(sleeps).toEqual([42_000]);
  });

  it("a response that never comes is cut by the headers timeout and retried", async () => {
    server = await startMisbehavingServer({ "/x": [() => {}, json(200, { late: false })] });
    const { client, retries } = testClient({ headersTimeoutMs: 100 });
    expect((await client.requestJson({ method: "GET", url: `${server.baseUrl}/x` })).json).toEqual({ late: false });
    expect(retries()).toMatchObject([{ reason: "network error UND_ERR_HEADERS_TIMEOUT" }]);
  });

  it("a body that stalls is cut by the body timeout and retried", async () => {
    const stall: Behaviour = (_request, response) => {
      response.writeHead(200, { "content-type": "application/json", "content-length": "100" });
      response.write('{"partial":');
    };
    server = await startMisbehavingServer({ "/x": [stall, json(200, { whole: true })] });
    const { client, retries } = testClient({ bodyTimeoutMs: 100 });
    expect((await client.requestJson({ method: "GET", url: `${server.baseUrl}/x` })).json).toEqual({ whole: true });
    expect(retries()).toMatchObject([{ reason: "network error UND_ERR_BODY_TIMEOUT" }]);
  });

  it("an aborted request is not retried", async () => {
    server = await startMisbehavingServer({ "/x": [slow(5_000, json(200, {}))] });
    const { client, retries } = testClient();
    const controller = new AbortController();
    const pending = client.requestJson({ method: "GET", url: `${server.baseUrl}/x`, signal: controller.signal });
    // Abort once the server holds the request (a fixed delay raced the request on a loaded machine).
    while (server.hits("/x") === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    await expect(pending).rejects.toThrow();
    expect(retries()).toHaveLength(0);
    expect(server.hits("/x")).toBe(1);
  });

  it("429 without Retry-After waits LivePerson's 1 s minimum", async () => {
    server = await startMisbehavingServer({ "/x": [json(429, {}), json(429, {}), json(200, [1])] });
    const { client, retries } = testClient({ defaultPolicy: livePersonPolicy() });
    const response = await client.requestJson({ method: "GET", url: `${server.baseUrl}/x` });
    expect(response.json).toEqual([1]);
    expect(retries().map((event) => event.type === "retry" && event.delayMs)).toEqual([1000, 2000]);
    expect(client.stats()).toMatchObject({ retries: 2, failures: 0 });
  });

  it("a LivePerson 429 pauses other requests of the source until the pause ends", async () => {
    server = await startMisbehavingServer({ "/limited": [json(429, {}), json(200, "a")], "/other": [json(200, "b")] });
    let clock = 0;
    const pendingSleeps: Array<() => void> = [];
    const { client } = testClient({
      defaultPolicy: livePersonPolicy(),
      now: () => clock,
      sleep: () => new Promise<void>((resolve) => pendingSleeps.push(resolve)),
    });
    const first = client.requestJson({ method: "GET", url: `${server.baseUrl}/limited` });
    await waitFor(() => pendingSleeps.length === 1); // first request got its 429: the source pauses
    const second = client.requestJson({ method: "GET", url: `${server.baseUrl}/other` });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.hits("/other")).toBe(0); // the second request waits on the same pause before sending anything
    expect(pendingSleeps).toHaveLength(1);
    clock = 1000;
    for (const resolve of pendingSleeps.splice(0)) resolve();
    expect((await first).json).toBe("a");
    expect((await second).json).toBe("b");
  });

  it("503 then success follows the 5 s / 10 s schedule", async () => {
    server = await startMisbehavingServer({ "/x": [json(503, {}), json(502, {}), json(200, { done: true })] });
    const { client, retries } = testClient({ defaultPolicy: livePersonPolicy(), delayScale: 0.001 });
    const response = await client.requestJson({ method: "POST", url: `${server.baseUrl}/x`, body: { q: 1 } });
    expect(response.json).toEqual({ done: true });
    expect(retries().map((event) => event.type === "retry" && [event.delayMs, event.scaledDelayMs])).toEqual([
      [5000, 5],
      [10000, 10],
    ]);
    expect(server.requestsSeen().map((seen) => seen.body)).toEqual(['{"q":1}', '{"q":1}', '{"q":1}']);
  });

  it("a connection reset mid-body is retried and the partial body never surfaces", async () => {
    const payload = { items: Array.from({ length: 200 }, (_, i) => ({ id: i })) };
    server = await startMisbehavingServer({ "/x": [resetMidBody(payload), json(200, payload)] });
    const { client, retries } = testClient();
    const response = await client.requestJson({ method: "GET", url: `${server.baseUrl}/x` });
    expect(response.json).toEqual(payload);
    expect(retries()).toHaveLength(1);
    expect(retries()[0]).toMatchObject({ reason: expect.stringMatching(/^network error /) });
  });

  it("a complete response with truncated JSON is retried", async () => {
    server = await startMisbehavingServer({ "/x": [rawBody(200, '{"items":[1,2'), json(200, { items: [1, 2, 3] })] });
    const { client, retries } = testClient();
    const response = await client.requestJson({ method: "GET", url: `${server.baseUrl}/x` });
    expect(response.json).toEqual({ items: [1, 2, 3] });
    expect(retries()).toMatchObject([{ reason: "response body is not valid JSON", delayMs: 50 }]);
  });

  it("400 is not retried", async () => {
    server = await startMisbehavingServer({ "/x": [json(400, { error: "bad filter" })] });
    const { client, retries } = testClient({ defaultPolicy: livePersonPolicy() });
    const error = await client.requestJson({ method: "POST", url: `${server.baseUrl}/x`, body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpStatusError);
    expect(error).toMatchObject({ status: 400, attempts: 1 });
    expect(retries()).toHaveLength(0);
    expect(server.hits("/x")).toBe(1);
  });

  it("401 is not retried and its message carries no secret, even when the server echoes it", async () => {
    server = await startMisbehavingServer({
      "/x": [json(401, { status: "error", error: "invalid_api_key", key: SECRET_KEY })],
    });
    const { client, events } = testClient();
    const error = await client
      .requestJson({ method: "GET", url: `${server.baseUrl}/x?apiKey=${SECRET_KEY}`, headers: { "X-Api-Key": SECRET_KEY } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpStatusError);
    const message = (error as Error).message;
    expect(message).toContain("HTTP 401");
    expect(message).toContain("invalid_api_key");
    expect(message).not.toContain(SECRET_KEY);
    expect(JSON.stringify(events)).not.toContain(SECRET_KEY);
    expect(server.hits("/x")).toBe(1);
    expect(server.requestsSeen()[0]?.headers["x-api-key"]).toBe(SECRET_KEY); // it was sent, just never shown
  });

  it("stops with a clear error when the time budget would be exceeded", async () => {
    server = await startMisbehavingServer({ "/x": [json(503, {})] });
    let clock = 0;
    const { client, sleeps } = testClient({
      defaultPolicy: livePersonPolicy(),
      budgetMs: 20_000,
      now: () => clock,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock += ms;
      },
    });
    const error = await client
      .requestJson({
        method: "POST",
        url: `${server.baseUrl}/x?token=${SECRET_KEY}&offset=0`,
        headers: { Authorization: `Bearer ${SECRET_KEY}` },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpBudgetExhaustedError);
    const message = (error as Error).message;
    expect(message).toContain(`${server.baseUrl}/x?token=[REDACTED]&offset=0`);
    expect(message).toContain("budget of 20000 ms");
    expect(message).not.toContain(SECRET_KEY);
    expect(sleeps).toEqual([5000, 10000]); // a third wait of 15 s would end past 20 s
    expect(server.hits("/x")).toBe(3);
    expect(client.stats()).toMatchObject({ retries: 2, failures: 1 });
  });

  it("headers given as a function are rebuilt for each attempt (fresh OAuth nonce)", async () => {
    server = await startMisbehavingServer({ "/x": [json(500, {}), json(200, {})] });
    let calls = 0;
    const { client } = testClient();
    await client.requestJson({ method: "GET", url: `${server.baseUrl}/x`, headers: () => ({ "x-attempt": String(++calls) }) });
    expect(server.requestsSeen().map((seen) => seen.headers["x-attempt"])).toEqual(["1", "2"]);
  });

  it("accepted statuses are returned, not thrown or retried", async () => {
    server = await startMisbehavingServer({ "/x": [rawBody(404, "not found")] });
    const { client } = testClient();
    const response = await client.requestJson({ method: "GET", url: `${server.baseUrl}/x`, acceptStatuses: [404] });
    expect(response).toMatchObject({ status: 404, json: null, text: "not found", attempts: 1 });
  });
});

describe("connection reuse and concurrency", () => {
  it("N sequential requests share one keep-alive connection", async () => {
    server = await startMisbehavingServer({ "/x": [json(200, { ok: true })] });
    const { client } = testClient();
    for (let i = 0; i < 10; i++) await client.requestJson({ method: "GET", url: `${server.baseUrl}/x` });
    expect(server.hits("/x")).toBe(10);
    expect(server.connections()).toBe(1);
  });

  it("never has more than maxConcurrency requests in flight", async () => {
    server = await startMisbehavingServer({ "/x": [slow(25, json(200, { ok: true }))] });
    const { client } = testClient({ maxConcurrency: 3, connectionsPerHost: 10 });
    await Promise.all(Array.from({ length: 12 }, () => client.requestJson({ method: "GET", url: `${server!.baseUrl}/x` })));
    expect(server.hits("/x")).toBe(12);
    expect(server.maxInFlight()).toBe(3);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 2));
  if (!condition()) throw new Error("condition not reached");
}
