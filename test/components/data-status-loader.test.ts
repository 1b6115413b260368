/**
 * The data page's loader publishes each quarantined record as source, record id,
 * field path, message and count, and never the record itself (raw_json can hold
 * anything the vendor sent, personal data included).
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openLake } from "../../data-loaders/lake/index.js";

const run = promisify(execFile);
let lakeRoot: string;

beforeAll(async () => {
  lakeRoot = await mkdtemp(join(tmpdir(), "si-data-status-"));
  const lake = await openLake(lakeRoot);
  try {
    const base = { message: "Invalid input: expected string, received number", fetchedAt: "2026-11-20T10:00:00Z" };
    await lake.quarantine([
      { ...base, source: "upscope", recordId: "sess-1", fieldPath: "agents[0].id", raw: { visitor_email: "secret.person@example.com" }, runId: "run-1" },
      { ...base, source: "upscope", recordId: "sess-1", fieldPath: "agents[0].id", raw: { visitor_email: "secret.person@example.com" }, runId: "run-2" },
      // The same record rejected again the next night, for two fields: still one record, first rejected on the 20th.
      { ...base, fetchedAt: "2026-11-21T10:00:00Z", source: "upscope", recordId: "sess-1", fieldPath: "agents[0].id", raw: {}, runId: "run-3" },
      { ...base, fetchedAt: "2026-11-21T10:00:00Z", source: "upscope", recordId: "sess-1", fieldPath: "started_at", raw: {}, runId: "run-3" },
      { ...base, source: "agendize", recordId: "chat-9", fieldPath: "", raw: "SECRET-RAW-MARKER", runId: "run-2", message: "x".repeat(1000) },
    ]);
  } finally {
    lake.close();
  }
});

afterAll(async () => {
  await rm(lakeRoot, { recursive: true, force: true });
});

describe("data-status.json loader", () => {
  it("lists quarantined records by id, field and reason, counts repeats, and leaves the raw record out", async () => {
    const { stdout } = await run(join(process.cwd(), "node_modules", ".bin", "tsx"), [join(process.cwd(), "src", "data", "data-status.json.ts")], {
      env: { ...process.env, SI_LAKE_DIR: lakeRoot },
      maxBuffer: 10_000_000,
    });
    expect(stdout).not.toContain("secret.person@example.com");
    expect(stdout).not.toContain("SECRET-RAW-MARKER");
    expect(stdout).not.toContain("raw_json");
    const status = JSON.parse(stdout) as {
      tables: Array<{ source: string; table: string }>;
      quarantine: {
        totals: Array<{ source: string; quarantined: number; records: number }>;
        daily: Array<{ date: string; source: string; quarantined: number }>;
        records: Array<{ source: string; record_id: string; field_path: string; message: string; count: number; last_fetched_at: string }>;
      };
    };
    expect(status.tables).toEqual([]);
    const upscope = status.quarantine.records.find((r) => r.source === "upscope");
    expect(upscope).toEqual({
      source: "upscope",
      record_id: "sess-1",
      field_path: "agents[0].id",
      message: "Invalid input: expected string, received number",
      count: 3,
      last_fetched_at: "2026-11-21T10:00:00Z",
    });
    const agendize = status.quarantine.records.find((r) => r.source === "agendize");
    expect(agendize?.message).toHaveLength(300);
    expect(status.quarantine.totals.find((t) => t.source === "upscope")).toEqual({ source: "upscope", quarantined: 4, records: 1 });
    // The daily counts behind the "Quarantined" KPI count each record once, on the day it was first rejected.
    expect(status.quarantine.daily).toEqual([
      { date: "2026-11-20", source: "agendize", quarantined: 1 },
      { date: "2026-11-20", source: "upscope", quarantined: 1 },
    ]);
  }, 60_000);
});
