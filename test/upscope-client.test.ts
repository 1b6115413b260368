import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UpscopeConfig } from "../data-loaders/config.js";
import { createHttpClient, type HttpClient } from "../data-loaders/http/index.js";
import { UpscopeAuthError, UpscopeClient, upscopePolicy } from "../data-loaders/upscope/client.js";
import { DEMO_CREDENTIALS, startSimulator } from "../simulator/index.js";

const NOW = "2026-06-01T00:00:00.000Z";

let simulator: { url: string; stop(): Promise<void> };
const clients: HttpClient[] = [];

function clientFor(config: Partial<UpscopeConfig> & Pick<UpscopeConfig, "baseUrl" | "auth">): UpscopeClient {
  const http = createHttpClient({ source: "upscope", defaultPolicy: upscopePolicy(), delayScale: 0 });
  clients.push(http);
  return new UpscopeClient({ onPremise: false, sessionFiles: undefined, concurrency: 2, ...config }, http);
}

beforeAll(async () => {
  simulator = await startSimulator({ seed: 3, days: 5, scale: 0.2, now: NOW });
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await simulator.stop();
});

describe("Upscope client, on-premise", () => {
  it("sends the raw REST key as Authorization (no X-Api-Key) to {BASE}/api and the on-premise paths", async () => {
    const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
    const server: Server = createServer((request, response) => {
      seen.push({ url: request.url ?? "", headers: request.headers });
      response.setHeader("content-type", "application/json");
      if (request.url?.startsWith("/install/api/visitors/list/")) response.end(JSON.stringify({ status: "ok", visitors: [{ short_id: 42 }] }));
      else response.end(JSON.stringify({ status: "ok", visitor: { short_id: 42, sessions: [] } }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const client = clientFor({ baseUrl: `http://127.0.0.1:${port}/install`, onPremise: true, auth: { kind: "on-premise", restKey: "rest-key-123" } });
      expect((await client.listVisitors("")).visitors).toEqual([{ short_id: 42 }]);
      await client.listVisitors("online");
      expect((await client.getVisitor("42")).visitor).toEqual({ short_id: 42, sessions: [] });
      expect(await client.usage()).toBeNull(); // not documented on-premise: not called
      expect(seen.map((request) => request.url)).toEqual([
        "/install/api/visitors/list/latest",
        "/install/api/visitors/list/search?search=online",
        "/install/api/visitors/42",
      ]);
      for (const request of seen) {
        expect(request.headers.authorization).toBe("rest-key-123");
        expect(request.headers["x-api-key"]).toBeUndefined();
      }
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("works against the simulator's on-premise routes, with or without /api in the configured URL", async () => {
    for (const baseUrl of [`${simulator.url}/upscope-onprem`, `${simulator.url}/upscope-onprem/api/`]) {
      const client = clientFor({ baseUrl, onPremise: true, auth: { kind: "on-premise", restKey: DEMO_CREDENTIALS.upscope.onPremiseRestKey } });
      const latest = await client.listVisitors("");
      expect(latest.visitors.length).toBeGreaterThan(0);
      const id = String((latest.visitors[0] as { short_id: string }).short_id);
      const page = await client.getVisitor(id);
      expect(page.visitor?.short_id).toBe(id);
      expect(Array.isArray(page.visitor?.sessions)).toBe(true);
    }
  });
});

describe("Upscope client, errors", () => {
  it("turns each documented 401 into an error naming its code and what to do", async () => {
    const keys = { invalid_api_key: "not-the-key", ...DEMO_CREDENTIALS.upscope.errorKeys };
    for (const [code, apiKey] of Object.entries(keys)) {
      const client = clientFor({ baseUrl: `${simulator.url}/upscope/v1.3`, auth: { kind: "api-key", apiKey } });
      const error = await client.listVisitors("").then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(UpscopeAuthError);
      expect((error as UpscopeAuthError).code).toBe(code);
      expect((error as Error).message).toContain(`HTTP 401 "${code}"`);
      expect((error as Error).message).not.toContain(apiKey);
    }
    const wrong = await clientFor({ baseUrl: `${simulator.url}/upscope/v1.3`, auth: { kind: "api-key", apiKey: "nope" } })
      .listVisitors("")
      .then(
        () => undefined,
        (caught: unknown) => caught as Error,
      );
    expect(wrong?.message).toMatch(/UPSCOPE_API_KEY/);
  });

  it("answers null for a visitor that is gone (404), without retrying", async () => {
    const client = clientFor({ baseUrl: `${simulator.url}/upscope/v1.3`, auth: { kind: "api-key", apiKey: DEMO_CREDENTIALS.upscope.apiKey } });
    const page = await client.getVisitor("zz-no-such-visitor");
    expect(page.visitor).toBeNull();
    expect(page.status).toBe(404);
    expect(clients.at(-1)?.stats().retries).toBe(0);
  });
});
