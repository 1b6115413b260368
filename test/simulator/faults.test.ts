import { request } from "undici";
import { describe, expect, it } from "vitest";
import { SearchResponse } from "../../data-loaders/liveperson/schemas.js";
import type { FaultRates } from "../../simulator/index.js";
import { agendizeQuery, bearer, http, lpSearch, searchUrl, start, upscopeHeaders, window } from "./helpers.js";
import type { Started } from "./helpers.js";

/** Starts a simulator with one fault kind at rate 1 for the first attempt only, runs `body`, stops it. */
async function withFault(kind: keyof FaultRates, body: (sim: Started) => Promise<void>): Promise<void> {
  const sim = await start({ days: 10, faults: { [kind]: 1 }, faultedAttempts: 1, faultLatencyMs: 20, slowBodyMs: 40 });
  try {
    await body(sim);
  } finally {
    await sim.stop();
  }
}

const usage = (sim: Started) => `${sim.url}/upscope/v1.3/usage`;

function faultHeader(result: { headers: Record<string, string | string[] | undefined> }): string {
  return String(result.headers["x-simulator-fault"] ?? "");
}

describe("request faults (each deterministic, and gone on retry)", () => {
  it("adds latency", async () => {
    await withFault("latency", async (sim) => {
      const first = await http(usage(sim), { headers: upscopeHeaders });
      expect(first.status).toBe(200);
      expect(faultHeader(first)).toContain("latency");
      expect(faultHeader(await http(usage(sim), { headers: upscopeHeaders }))).toBe("");
    });
  });

  it("answers 429 with Retry-After", async () => {
    await withFault("rateLimit", async (sim) => {
      const first = await http(usage(sim), { headers: upscopeHeaders });
      expect(first.status).toBe(429);
      expect(first.headers["retry-after"]).toBe("1");
      expect((await http(usage(sim), { headers: upscopeHeaders })).status).toBe(200);
    });
  });

  it("answers 429 without Retry-After", async () => {
    await withFault("rateLimitWithoutRetryAfter", async (sim) => {
      const first = await lpSearch(sim.url, { start: window(1) });
      expect(first.status).toBe(429);
      expect(first.headers["retry-after"]).toBeUndefined();
      expect((await lpSearch(sim.url, { start: window(1) })).status).toBe(200);
    });
  });

  it("answers 500, 502 or 503", async () => {
    await withFault("serverError", async (sim) => {
      const statuses = new Set<number>();
      for (let day = 0; day < 12; day++) {
        const url = `${sim.url}/agendize/api/2.0/chat/history?${agendizeQuery}&startDate=2026-11-0${1 + (day % 9)}T00:00:00Z&endDate=2026-11-1${day % 10}T00:00:00Z`;
        const first = await http(url);
        statuses.add(first.status);
        expect((await http(url)).status).toBe(200);
      }
      expect([...statuses].every((status) => [500, 502, 503].includes(status))).toBe(true);
      expect(statuses.size).toBeGreaterThan(1);
    });
  });

  it("resets the connection mid-body", async () => {
    await withFault("connectionReset", async (sim) => {
      const attempt = async () => {
        const response = await request(searchUrl(sim.url, "limit=100"), { method: "POST", headers: bearer, body: JSON.stringify({ start: window(2) }) });
        return response.body.text();
      };
      await expect(attempt()).rejects.toThrow();
      const text = await attempt();
      expect(SearchResponse.parse(JSON.parse(text)).interactionHistoryRecords).toHaveLength(100);
    });
  });

  it("sends a truncated or invalid JSON body with status 200", async () => {
    await withFault("truncatedBody", async (sim) => {
      for (const search of ["", "online", "-online", "#vip"]) {
        const url = `${sim.url}/upscope/v1.3/list?search=${encodeURIComponent(search)}`;
        const first = await http(url, { headers: upscopeHeaders });
        expect(first.status).toBe(200);
        expect(faultHeader(first)).toContain("truncated_body");
        expect(() => JSON.parse(first.text) as unknown).toThrow();
        const second = await http(url, { headers: upscopeHeaders });
        expect(JSON.parse(second.text)).toHaveProperty("status", "ok");
      }
    });
  });

  it("trickles a slow body that is still complete", async () => {
    await withFault("slowBody", async (sim) => {
      const first = await lpSearch(sim.url, { start: window(1) });
      expect(faultHeader(first)).toContain("slow_body");
      expect(SearchResponse.parse(JSON.parse(first.text)).interactionHistoryRecords.length).toBeGreaterThan(0);
    });
  });

  it("serves LivePerson pages with partialResult: true, complete when asked again", async () => {
    await withFault("partialResult", async (sim) => {
      const filter = { start: window(3) };
      const first = SearchResponse.parse(JSON.parse((await lpSearch(sim.url, filter, "limit=100")).text));
      expect(first._metadata.shardsStatusResult).toEqual({ failureShards: 1, totalShards: 6, partialResult: true });
      const again = SearchResponse.parse(JSON.parse((await lpSearch(sim.url, filter, "limit=100")).text));
      expect(again._metadata.shardsStatusResult?.partialResult).toBe(false);
      expect(again.interactionHistoryRecords).toHaveLength(100);
      expect(first.interactionHistoryRecords.length).toBeLessThan(100);
      const ids = new Set(again.interactionHistoryRecords.map((record) => record.info.engagementId));
      expect(first.interactionHistoryRecords.every((record) => ids.has(record.info.engagementId))).toBe(true);
      expect(first._metadata.count).toBe(again._metadata.count);
    });
  });

  it("is deterministic per seed, request and attempt", async () => {
    const faults = { rateLimit: 0.3, serverError: 0.3, truncatedBody: 0.2 };
    const outcomes: string[][] = [];
    for (let run = 0; run < 2; run++) {
      const sim = await start({ days: 10, faults, faultedAttempts: 3 });
      try {
        const seen: string[] = [];
        for (const search of ["", "online", "-online", "#vip", "#trial", "1234"]) {
          for (let attempt = 0; attempt < 4; attempt++) {
            const result = await http(`${sim.url}/upscope/v1.3/list?search=${encodeURIComponent(search)}`, { headers: upscopeHeaders });
            seen.push(`${result.status}:${faultHeader(result)}`);
          }
        }
        outcomes.push(seen);
      } finally {
        await sim.stop();
      }
    }
    expect(outcomes[0]).toEqual(outcomes[1]);
    expect(outcomes[0]?.some((outcome) => !outcome.startsWith("200:"))).toBe(true);
    // The fourth attempt of every request is past faultedAttempts and always clean.
    expect(outcomes[0]?.filter((_, index) => index % 4 === 3).every((outcome) => outcome === "200:")).toBe(true);
  });

  it("switches everything on with one rate and a client that retries still gets every page", async () => {
    const sim = await start({
      days: 10,
      faults: { latency: 0.2, rateLimit: 0.2, rateLimitWithoutRetryAfter: 0.2, serverError: 0.2, connectionReset: 0.2, truncatedBody: 0.2, slowBody: 0.2, partialResult: 0.2 },
      faultLatencyMs: 5,
      slowBodyMs: 16,
    });
    try {
      const filter = { start: window(2) };
      const ids = new Set<string>();
      let count = 0;
      const kinds = new Set<string>();
      for (let offset = 0; offset === 0 || offset < count; offset += 50) {
        for (let attempt = 0; attempt < 3; attempt++) {
          let text: string;
          let status: number;
          try {
            const response = await request(searchUrl(sim.url, `limit=50&offset=${offset}`), { method: "POST", headers: bearer, body: JSON.stringify(filter) });
            status = response.statusCode;
            for (const kind of String(response.headers["x-simulator-fault"] ?? "").split(",")) if (kind) kinds.add(kind);
            text = await response.body.text();
          } catch {
            kinds.add("connection_reset");
            continue;
          }
          if (status !== 200) continue;
          let page;
          try {
            page = SearchResponse.parse(JSON.parse(text));
          } catch {
            continue;
          }
          if (page._metadata.shardsStatusResult?.partialResult) continue;
          count = page._metadata.count;
          for (const record of page.interactionHistoryRecords) ids.add(record.info.engagementId);
          break;
        }
      }
      expect(ids.size).toBe(count);
      expect(kinds.size).toBeGreaterThanOrEqual(3);
    } finally {
      await sim.stop();
    }
  });
});
