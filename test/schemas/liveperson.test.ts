import { describe, expect, it } from "vitest";
import { parseWithDrift } from "../../data-loaders/drift/policy.js";
import { CsdsDomainResponse, InteractionHistoryRecord, SearchFilter, SearchResponse } from "../../data-loaders/liveperson/schemas.js";
import { clone, readSeedFixture } from "./fixtures.js";

const examples = [
  "liveperson-search-response-example4.json",
  "liveperson-search-response-example5.json",
  "liveperson-search-response-example6.json",
].map((name) => ({ name, body: readSeedFixture(name) }));

function firstRecord(body: unknown): Record<string, unknown> {
  const records = (body as { interactionHistoryRecords: Record<string, unknown>[] }).interactionHistoryRecords;
  const record = records[0];
  if (!record) throw new Error("fixture has no record");
  return clone(record);
}

function issuePaths(result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }): string[] {
  return (result.error?.issues ?? []).map((issue) => issue.path.join("."));
}

describe("LivePerson schemas", () => {
  it.each(examples)("parses the seed's example response $name (syntax repaired)", ({ body }) => {
    const parsed = SearchResponse.parse(body);
    expect(parsed.interactionHistoryRecords).toHaveLength(1);
    const record = parsed.interactionHistoryRecords[0];
    expect(typeof record?.info.startTimeL).toBe("number");
    expect(record?.info.engagementId).toMatch(/^qa/);
  });

  it("normalises ids that the seed shows as strings and as numbers", () => {
    const first = SearchResponse.parse(examples[0]?.body);
    const info = first.interactionHistoryRecords[0]?.info;
    expect(info?.agentId).toBe("3");
    expect(info?.skillId).toBe("-1");
    expect(first.interactionHistoryRecords[0]?.campaign?.lobId).toBe("-1");
    const second = SearchResponse.parse(examples[1]?.body);
    expect(second.interactionHistoryRecords[0]?.campaign?.lobId).toBe("-1");
    const agentLine = second.interactionHistoryRecords[0]?.transcript?.lines.find((line) => line.source === "agent");
    expect(agentLine?.agentId).toBe("213185812");
  });

  it("keeps the rich-content json payload and the surveys", () => {
    const withRichContent = SearchResponse.parse(examples[1]?.body).interactionHistoryRecords[0];
    const rich = withRichContent?.transcript?.lines.find((line) => line.textType === "rich-content");
    expect(rich?.json?.["type"]).toBe("vertical");
    const record = SearchResponse.parse(examples[2]?.body).interactionHistoryRecords[0];
    expect(record?.surveys?.preChat?.[1]?.value).toBe("irena@gmail.com");
    expect(record?.surveys?.postChat).toHaveLength(2);
    expect(record?.coBrowseSessions?.coBrowseSessionsList[1]?.interactive).toBe(true);
    expect(record?.sdes?.events).toHaveLength(2);
  });

  it("reads paging metadata", () => {
    const parsed = SearchResponse.parse(examples[0]?.body);
    expect(parsed._metadata.count).toBe(9870);
    expect(parsed._metadata.next?.href).toContain("offset=50");
    expect(parsed._metadata.shardsStatusResult).toEqual({ failureShards: 0, totalShards: 6, partialResult: false });
  });

  it("requires info.engagementId, info.startTimeL and info.endTimeL", () => {
    for (const field of ["engagementId", "startTimeL", "endTimeL"]) {
      const record = firstRecord(examples[1]?.body);
      delete (record["info"] as Record<string, unknown>)[field];
      const result = InteractionHistoryRecord.safeParse(record);
      expect(result.success).toBe(false);
      expect(issuePaths(result)).toContain(`info.${field}`);
    }
  });

  it("fails a wrong type with the field's path", () => {
    const record = firstRecord(examples[1]?.body);
    (record["info"] as Record<string, unknown>)["startTimeL"] = "2017-02-01 17:11:59.916+0000";
    expect(issuePaths(InteractionHistoryRecord.safeParse(record))).toContain("info.startTimeL");
  });

  it("keeps a line source outside the documented list as its own text, and fails a line time that cannot be read", () => {
    const record = firstRecord(examples[1]?.body);
    const lines = (record["transcript"] as { lines: Record<string, unknown>[] }).lines;
    const line = lines[0];
    if (line) line["source"] = "robot";
    const kept = parseWithDrift(InteractionHistoryRecord, record);
    expect(kept.success && kept.data.transcript?.lines[0]?.source).toBe("robot");
    expect(kept.success && kept.drift).toEqual([{ path: "transcript.lines[].source", kind: "unknown_enum_value", example: "robot" }]);
    if (line) line["timeL"] = "soon";
    expect(issuePaths(InteractionHistoryRecord.safeParse(record))).toContain("transcript.lines.0.timeL");
  });

  it("parses the seed's request filters, including numbers sent as strings", () => {
    const filters = [
      { interactive: true, ended: true, start: { from: 1433140200000, to: 1435645800000 } },
      {
        interactive: true,
        ended: true,
        start: { from: 1437054059354, to: 1437661693023 },
        skillIds: ["14", "17", "18"],
        agentIds: ["109", "169"],
        duration: { from: 0, to: 180 },
        keyword: "ipad",
        keyword_search_area: { types: ["chatLine"] },
      },
      { interactive: true, ended: true, start: { from: 1437054059354, to: 1437661693023 }, keyword_search_area: { types: ["mcs"] }, mcs: 1 },
      { interactive: true, ended: true, start: { from: 1437054059354, to: 1437661693023 }, chatMCS: { from: "30", to: "60" } },
      { start: { from: "1485330205108", to: "1485942798000" }, alertedMcsValues: ["1"] },
    ];
    for (const filter of filters) expect(SearchFilter.safeParse(filter).success).toBe(true);
    const parsed = SearchFilter.parse(filters[4]);
    expect(parsed.start?.from).toBe(1485330205108);
    expect(issuePaths(SearchFilter.safeParse({ start: { from: "soon", to: 1 } }))).toContain("start.from");
  });

  it("parses the CSDS domain response", () => {
    const parsed = CsdsDomainResponse.parse({ service: "engHistDomain", account: "demo-account", baseURI: "va.enghist.liveperson.net" });
    expect(parsed.baseURI).toBe("va.enghist.liveperson.net");
  });
});
