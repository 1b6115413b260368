import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CsdsDomainResponse, ErrorResponse, SearchResponse } from "../../data-loaders/liveperson/schemas.js";
import type { InteractionHistoryRecord, SearchFilterInput } from "../../data-loaders/liveperson/schemas.js";
import { DEMO_CREDENTIALS, exportGroundTruth, signOAuth1 } from "../../simulator/index.js";
import { createSimulation, resolveOptions } from "../../simulator/simulation.js";
import { DAY_MS, NOW_MS, bearer, http, jsonOf, lpSearch, searchUrl, start, window } from "./helpers.js";
import type { Started } from "./helpers.js";

let sim: Started;
const TEN_MINUTES = 600_000;

function parsePage(result: { status: number; text: string }) {
  expect(result.status).toBe(200);
  return SearchResponse.parse(JSON.parse(result.text));
}

/** Pages through a search with offset/limit and returns every record. */
async function searchAll(filter: SearchFilterInput, sort = ""): Promise<InteractionHistoryRecord[]> {
  const records: InteractionHistoryRecord[] = [];
  for (let offset = 0; ; offset += 100) {
    const page = parsePage(await lpSearch(sim.url, filter, `offset=${offset}&limit=100${sort ? `&sort=${sort}` : ""}`));
    records.push(...page.interactionHistoryRecords);
    if (offset + 100 >= page._metadata.count) return records;
  }
}

let month: InteractionHistoryRecord[];

beforeAll(async () => {
  sim = await start();
  month = await searchAll({ start: window(30) });
});
afterAll(() => sim.stop());

describe("LivePerson CSDS and auth", () => {
  it("resolves the engHistDomain baseURI that a client turns into the search URL", async () => {
    const csds = await http(`${sim.url}/liveperson/csds/api/account/demo-account/service/engHistDomain/baseURI.json?version=1.0`);
    const domain = CsdsDomainResponse.parse(jsonOf(csds));
    expect(domain).toEqual({ service: "engHistDomain", account: "demo-account", baseURI: `${new URL(sim.url).host}/liveperson` });
    const url = `http://${domain.baseURI}/interaction_history/api/account/${domain.account}/interactions/search?limit=1`;
    const result = await http(url, { method: "POST", headers: bearer, body: JSON.stringify({ start: window(1) }) });
    expect(parsePage(result).interactionHistoryRecords).toHaveLength(1);
    const unknown = await http(`${sim.url}/liveperson/csds/api/account/nobody/service/engHistDomain/baseURI.json?version=1.0`);
    expect(unknown.status).toBe(404);
  });

  it("rejects missing and wrong bearer tokens and foreign accounts with 401", async () => {
    const body = JSON.stringify({ start: window(1) });
    const attempts: Record<string, string>[] = [{}, { authorization: "Bearer wrong" }, { authorization: "Basic Zm9vOmJhcg==" }];
    for (const headers of attempts) {
      const result = await http(searchUrl(sim.url), { method: "POST", headers, body });
      expect(result.status).toBe(401);
      expect(ErrorResponse.parse(jsonOf(result)).message).toBeTruthy();
    }
    const foreign = await http(`${sim.url}/liveperson/interaction_history/api/account/other/interactions/search`, { method: "POST", headers: bearer, body });
    expect(foreign.status).toBe(401);
  });

  it("accepts an OAuth 1.0a HMAC-SHA1 signed request and rejects a bad signature", async () => {
    const url = new URL(searchUrl(sim.url, "offset=0&limit=5&source=SI_Sync_Test"));
    const credentials = DEMO_CREDENTIALS.liveperson.oauth1;
    const body = JSON.stringify({ start: window(1) });
    const good = signOAuth1("POST", url, credentials, "nonce-123", Math.floor(NOW_MS / 1000));
    const ok = await http(url.toString(), { method: "POST", headers: { authorization: good, "content-type": "application/json" }, body });
    expect(parsePage(ok).interactionHistoryRecords).toHaveLength(5);

    const wrongSecret = signOAuth1("POST", url, { ...credentials, consumerSecret: "guess" }, "nonce-124", Math.floor(NOW_MS / 1000));
    const tamperedQuery = new URL(url);
    tamperedQuery.searchParams.set("limit", "6");
    const wrongKey = signOAuth1("POST", url, { ...credentials, consumerKey: "someone-else" }, "nonce-125", 1);
    for (const [target, header] of [
      [url, wrongSecret],
      [tamperedQuery, good],
      [url, wrongKey],
      [url, good.replace(/oauth_signature="[^"]*"/, 'oauth_signature="AAAA"')],
    ] as const) {
      const result = await http(target.toString(), { method: "POST", headers: { authorization: header }, body });
      expect(result.status).toBe(401);
    }
  });
});

describe("LivePerson search parameters", () => {
  it("rejects a start window over one month with 400 and an error body", async () => {
    const result = await lpSearch(sim.url, { start: window(32) });
    expect(result.status).toBe(400);
    expect(ErrorResponse.parse(jsonOf(result)).message).toMatch(/one month/);
    expect((await lpSearch(sim.url, { start: window(31) }, "limit=1")).status).toBe(200);
  });

  it("rejects a source over 20 characters and a limit over 100", async () => {
    expect((await lpSearch(sim.url, { start: window(1) }, `source=${"x".repeat(21)}`)).status).toBe(400);
    expect((await lpSearch(sim.url, { start: window(1) }, `source=${"x".repeat(20)}`)).status).toBe(200);
    expect((await lpSearch(sim.url, { start: window(1) }, "limit=101")).status).toBe(400);
    expect((await lpSearch(sim.url, { start: window(1) }, "limit=abc")).status).toBe(400);
    expect(parsePage(await lpSearch(sim.url, { start: window(1) }, "limit=100")).interactionHistoryRecords).toHaveLength(100);
  });

  it("defaults limit to 50 and rejects a missing start or a broken body", async () => {
    const page = parsePage(await lpSearch(sim.url, { start: window(2) }));
    expect(page._metadata.count).toBeGreaterThan(50);
    expect(page.interactionHistoryRecords).toHaveLength(50);
    expect(page._metadata.self?.href).toContain("limit=50");
    expect((await lpSearch(sim.url, {})).status).toBe(400);
    expect((await http(searchUrl(sim.url), { method: "POST", headers: bearer, body: "{not json" })).status).toBe(400);
    expect((await lpSearch(sim.url, { start: window(1), duration: { from: 10 } })).status).toBe(400);
  });

  it("rounds from and to outward to 10 minutes", async () => {
    const inner = month.find((record) => record.info.startTimeL % TEN_MINUTES < TEN_MINUTES - 2 && record.info.startTimeL % TEN_MINUTES > 1);
    if (!inner) throw new Error("no suitable record");
    const startL = inner.info.startTimeL;
    // `from` is after the record's start but in the same 10-minute slot: rounding down includes it.
    const afterStart = parsePage(await lpSearch(sim.url, { start: { from: startL + 1, to: startL + 3_600_000 } }, "limit=100"));
    expect(afterStart.interactionHistoryRecords.map((record) => record.info.engagementId)).toContain(inner.info.engagementId);
    // `to` is before the record's start but in the same slot: rounding up includes it.
    const beforeStart = parsePage(await lpSearch(sim.url, { start: { from: startL - 3_600_000, to: startL - 1 } }, "limit=100&sort=start:desc"));
    expect(beforeStart.interactionHistoryRecords.map((record) => record.info.engagementId)).toContain(inner.info.engagementId);
    // Outside the rounded slot it is gone.
    const slotEnd = Math.ceil((startL + 1) / TEN_MINUTES) * TEN_MINUTES;
    const later = parsePage(await lpSearch(sim.url, { start: { from: slotEnd + 1, to: slotEnd + 3_600_000 } }, "limit=100"));
    expect(later.interactionHistoryRecords.map((record) => record.info.engagementId)).not.toContain(inner.info.engagementId);
  });

  it("pages with offset and next/last/self hrefs that cover the result exactly once", async () => {
    const filter = { start: window(3) };
    const first = parsePage(await lpSearch(sim.url, filter, "limit=40"));
    const count = first._metadata.count;
    expect(count).toBeGreaterThan(120);
    expect(first._metadata.last?.href).toContain(`offset=${Math.floor((count - 1) / 40) * 40}`);
    expect(first._metadata.self?.rel).toBe("self");
    const ids: string[] = first.interactionHistoryRecords.map((record) => record.info.engagementId);
    let next = first._metadata.next?.href;
    while (next) {
      const page = parsePage(await http(next, { method: "POST", headers: bearer, body: JSON.stringify(filter) }));
      ids.push(...page.interactionHistoryRecords.map((record) => record.info.engagementId));
      next = page._metadata.next?.href;
    }
    expect(ids).toHaveLength(count);
    expect(new Set(ids).size).toBe(count);
    const viaOffset = parsePage(await lpSearch(sim.url, filter, "limit=40&offset=80"));
    expect(viaOffset.interactionHistoryRecords.map((record) => record.info.engagementId)).toEqual(ids.slice(80, 120));
    const beyond = parsePage(await lpSearch(sim.url, filter, `offset=${count + 10}`));
    expect(beyond.interactionHistoryRecords).toEqual([]);
    expect(beyond._metadata.next).toBeUndefined();
  });

  it("sorts by start, duration and several keys, and rejects an unknown sort field", async () => {
    const byStartDesc = parsePage(await lpSearch(sim.url, { start: window(2) }, "limit=100&sort=start:desc")).interactionHistoryRecords;
    const starts = byStartDesc.map((record) => record.info.startTimeL);
    expect(starts).toEqual([...starts].sort((a, b) => b - a));
    const docsSpelling = parsePage(await lpSearch(sim.url, { start: window(2) }, "limit=100&sort=start:des")).interactionHistoryRecords;
    expect(docsSpelling.map((record) => record.info.engagementId)).toEqual(byStartDesc.map((record) => record.info.engagementId));
    const byDuration = parsePage(await lpSearch(sim.url, { start: window(2) }, "limit=100&sort=duration:asc")).interactionHistoryRecords;
    const durations = byDuration.map((record) => record.info.duration ?? 0);
    expect(durations).toEqual([...durations].sort((a, b) => a - b));
    const multi = parsePage(await lpSearch(sim.url, { start: window(2) }, "limit=100&sort=skillId:asc,end:desc")).interactionHistoryRecords;
    for (let index = 1; index < multi.length; index++) {
      const previous = multi[index - 1]?.info;
      const current = multi[index]?.info;
      if (!previous || !current) continue;
      const skillOrder = Number(previous.skillId) - Number(current.skillId);
      expect(skillOrder).toBeLessThanOrEqual(0);
      if (skillOrder === 0) expect(previous.endTimeL).toBeGreaterThanOrEqual(current.endTimeL);
    }
    expect((await lpSearch(sim.url, { start: window(1) }, "sort=colour:asc")).status).toBe(400);
  });
});

describe("LivePerson filters", () => {
  it("filters by skill, agent and agent group", async () => {
    const bySkill = await searchAll({ start: window(30), skillIds: ["1002"] });
    expect(bySkill.length).toBeGreaterThan(0);
    expect(bySkill.length).toBeLessThan(month.length);
    expect(bySkill.every((record) => record.info.skillId === "1002")).toBe(true);
    const agentId = month[0]?.info.agentId ?? "";
    const byAgent = await searchAll({ start: window(30), agentIds: [Number(agentId)] });
    expect(byAgent.length).toBeGreaterThan(0);
    expect(byAgent.every((record) => record.info.agentId === agentId)).toBe(true);
    const byGroup = await searchAll({ start: window(30), agentGroupIds: ["10"] });
    expect(byGroup.length).toBeGreaterThan(0);
    expect(byGroup.every((record) => record.info.agentGroupId === "10")).toBe(true);
  });

  it("filters by keyword in chat lines", async () => {
    const found = await searchAll({ start: window(30), keyword: "refund", keyword_search_area: { types: ["chatLine"] } });
    expect(found.length).toBeGreaterThan(0);
    for (const record of found) {
      expect(record.transcript?.lines.some((line) => (line.text ?? "").toLowerCase().includes("refund"))).toBe(true);
    }
    expect(found.length).toBeLessThan(month.length);
  });

  it("finds a visitor's and an engagement's records whatever the time window", async () => {
    const old = (await searchAll({ start: window(5, 50) }))[3];
    if (!old) throw new Error("no record 50 days ago");
    const farAway = { from: Date.parse("2015-06-01T00:00:00Z"), to: Date.parse("2015-06-02T00:00:00Z") };
    const byVisitor = await searchAll({ start: farAway, visitor: old.info.visitorId ?? "" });
    expect(byVisitor.map((record) => record.info.engagementId)).toContain(old.info.engagementId);
    expect(byVisitor.every((record) => record.info.visitorId === old.info.visitorId)).toBe(true);
    const byId = parsePage(await lpSearch(sim.url, { start: farAway, engagementId: old.info.engagementId }));
    expect(byId._metadata.count).toBe(1);
    expect(byId.interactionHistoryRecords[0]?.info.engagementId).toBe(old.info.engagementId);
    // Without start at all, too.
    expect(parsePage(await lpSearch(sim.url, { engagementId: old.info.engagementId }))._metadata.count).toBe(1);
  });

  it("filters by MCS: alertedMcsValues, chatMCS range and mcs", async () => {
    const negative = await searchAll({ start: window(30), alertedMcsValues: ["-1"] });
    expect(negative.length).toBeGreaterThan(0);
    expect(negative.every((record) => record.info.alertedMCS === -1)).toBe(true);
    const range = await searchAll({ start: window(30), chatMCS: { from: "30", to: "60" } });
    expect(range.length).toBeGreaterThan(0);
    expect(range.every((record) => (record.info.chatMCS ?? -1) >= 30 && (record.info.chatMCS ?? 101) <= 60)).toBe(true);
    const positive = await searchAll({ start: window(30), keyword_search_area: { types: ["mcs"] }, mcs: 1 });
    expect(positive.length).toBeGreaterThan(0);
    expect(positive.every((record) => record.info.mcs === 1)).toBe(true);
  });

  it("filters by co-browse, duration and rich content", async () => {
    const interactive = await searchAll({ start: window(30), hasInteractiveCoBrowse: true });
    expect(interactive.length).toBeGreaterThan(0);
    expect(interactive.every((record) => record.coBrowseSessions?.coBrowseSessionsList.some((session) => session.interactive))).toBe(true);
    const coBrowse = await searchAll({ start: window(30), coBrowseDuration: { from: 60, to: 300 } });
    expect(coBrowse.length).toBeGreaterThan(0);
    for (const record of coBrowse) {
      expect(record.coBrowseSessions?.coBrowseSessionsList.some((session) => (session.duration ?? 0) >= 60_000 && (session.duration ?? 0) <= 300_000)).toBe(true);
    }
    const short = await searchAll({ start: window(30), duration: { from: 0, to: 180 } });
    expect(short.length).toBeGreaterThan(0);
    expect(short.every((record) => (record.info.duration ?? -1) <= 180)).toBe(true);
    const rich = await searchAll({ start: window(30), lineContentTypes: ["RICH_CONTENT"] });
    expect(rich.length).toBeGreaterThan(0);
    // A partial record may lack the rich line; it is complete when fetched by engagementId.
    const complete = rich.filter((record) => record.info.isPartial !== true);
    expect(complete.every((record) => record.transcript?.lines.some((line) => line.textType === "rich-content" && line.json !== undefined))).toBe(true);
  });
});

describe("LivePerson records", () => {
  it("carry transcripts, lineScores, surveys, campaign, visitorInfo, coBrowseSessions and sdes", () => {
    expect(month.length).toBeGreaterThan(1000);
    const complete = month.filter((record) => record.info.isPartial !== true);
    expect(complete.every((record) => (record.transcript?.lines.length ?? 0) >= 3)).toBe(true);
    expect(month.every((record) => record.lineScores?.length === record.transcript?.lines.length)).toBe(true);
    expect(month.some((record) => (record.surveys?.postChat?.length ?? 0) > 0)).toBe(true);
    expect(month.some((record) => (record.surveys?.preChat?.length ?? 0) > 0)).toBe(true);
    expect(month.some((record) => (record.surveys?.operator?.length ?? 0) > 0)).toBe(true);
    expect(month.every((record) => record.campaign?.campaignId !== undefined && record.visitorInfo?.ipAddress)).toBe(true);
    expect(month.some((record) => (record.sdes?.events?.length ?? 0) > 0)).toBe(true);
    expect(new Set(month.map((record) => record.info.skillId)).size).toBeGreaterThanOrEqual(5);
  });

  it("relates MCS to the outcome: resolved chats score higher", () => {
    const score = (reasons: string[]) => {
      const chosen = month.filter((record) => reasons.includes(String(record.info.endReason)));
      return chosen.reduce((sum, record) => sum + (record.info.chatMCS ?? 0), 0) / chosen.length;
    };
    expect(score(["201", "210"])).toBeGreaterThan(score(["205", "208", "202", "101"]) + 10);
  });

  it("serves isPartial records that are complete only when fetched by engagementId", async () => {
    const partial = month.find((record) => record.info.isPartial === true);
    if (!partial) throw new Error("no partial record");
    expect(partial.surveys).toBeUndefined();
    expect(partial.sdes).toBeUndefined();
    const full = parsePage(await lpSearch(sim.url, { engagementId: partial.info.engagementId })).interactionHistoryRecords[0];
    expect(full?.info.isPartial).toBe(false);
    expect(full?.info.chatDataEnriched).toBe(true);
    expect(full?.transcript?.lines.length ?? 0).toBeGreaterThan(partial.transcript?.lines.length ?? 0);
    expect(full?.sdes).toBeDefined();
    expect(month.filter((record) => record.info.isPartial).length).toBeLessThan(month.length / 10);
  });

  it("makes records visible only some time after they end (late arrival against the clock)", async () => {
    const recent = parsePage(await lpSearch(sim.url, { start: window(1) }, "limit=1&sort=end:desc")).interactionHistoryRecords[0];
    if (!recent) throw new Error("no recent record");
    const endL = recent.info.endTimeL;
    const justEnded = await start({ now: endL + 1_000 });
    const twoHoursLater = await start({ now: endL + 2 * 3_600_000 + 1 });
    try {
      const hidden = parsePage(await lpSearch(justEnded.url, { engagementId: recent.info.engagementId }));
      expect(hidden._metadata.count).toBe(0);
      const hiddenFromWindow = parsePage(await lpSearch(justEnded.url, { start: { from: endL - DAY_MS, to: endL } }, "limit=100&sort=end:desc"));
      expect(hiddenFromWindow.interactionHistoryRecords.map((record) => record.info.engagementId)).not.toContain(recent.info.engagementId);
      const visible = parsePage(await lpSearch(twoHoursLater.url, { engagementId: recent.info.engagementId }));
      expect(visible._metadata.count).toBe(1);
    } finally {
      await justEnded.stop();
      await twoHoursLater.stop();
    }
  });
});

describe("LivePerson late arrivals in the ground truth", () => {
  it("most records arrive within 5 minutes, a few up to two hours, and search follows the clock", async () => {
    const directory = await mkdtemp(join(tmpdir(), "sim-arrivals-"));
    try {
      await exportGroundTruth({ seed: 1, now: "2026-11-20T12:00:00.000Z", days: 30 }, directory);
      const arrivals = (await readFile(join(directory, "liveperson-arrivals.ndjson"), "utf8"))
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { engagementId: string; endTimeL: number; visibleFromL: number });
      const delays = arrivals.map((arrival) => arrival.visibleFromL - arrival.endTimeL);
      expect(delays.every((delay) => delay >= 30_000 && delay <= 2 * 3_600_000)).toBe(true);
      const late = arrivals.filter((arrival) => arrival.visibleFromL - arrival.endTimeL > 5 * 60_000);
      expect(late.length).toBeGreaterThan(0);
      expect(late.length).toBeLessThan(arrivals.length * 0.02);
      const lateOne = late[0];
      if (!lateOne) throw new Error("no late record");
      const before = await start({ now: lateOne.visibleFromL - 1 });
      const after = await start({ now: lateOne.visibleFromL });
      try {
        expect(parsePage(await lpSearch(before.url, { engagementId: lateOne.engagementId }))._metadata.count).toBe(0);
        expect(parsePage(await lpSearch(after.url, { engagementId: lateOne.engagementId }))._metadata.count).toBe(1);
      } finally {
        await before.stop();
        await after.stop();
      }
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});

describe("latency option", () => {
  it("still answers every route with latency configured", async () => {
    const slow = await start({ latencyMs: 20, days: 5 });
    try {
      expect(parsePage(await lpSearch(slow.url, { start: window(1) }, "limit=3")).interactionHistoryRecords).toHaveLength(3);
    } finally {
      await slow.stop();
    }
  });
});

describe("LivePerson partial records share (the benchmark's search-only bound)", () => {
  const partialShare = (livePersonPartialShare: number | undefined) => {
    const simulation = createSimulation(resolveOptions({ seed: 3, days: 60, scale: 2, now: NOW_MS, ...(livePersonPartialShare === undefined ? {} : { livePersonPartialShare }) }));
    const skeletons = simulation.world.historyDays().flatMap((day) => simulation.liveperson.day(day));
    return { share: skeletons.filter((skeleton) => skeleton.isPartial).length / skeletons.length, ids: skeletons.map((skeleton) => skeleton.engagementId) };
  };

  it("defaults to about 4%, can be switched off or raised, and never changes which engagements exist", () => {
    const byDefault = partialShare(undefined);
    const none = partialShare(0);
    const half = partialShare(0.5);
    expect(byDefault.share).toBeGreaterThan(0.02);
    expect(byDefault.share).toBeLessThan(0.06);
    expect(none.share).toBe(0);
    expect(half.share).toBeGreaterThan(0.45);
    expect(half.share).toBeLessThan(0.55);
    expect(none.ids).toEqual(byDefault.ids);
    expect(half.ids).toEqual(byDefault.ids);
  });
});
