/**
 * The data page's drift loader publishes the ledger by source, table, field and kind:
 * distinct records, an example, the days the records fall on; never a record, and no
 * example that looks like personal data even if one reached the lake.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { driftRowsOf, driftTableSpec, noteDrift } from "../../data-loaders/drift/ledger.js";
import { openLake } from "../../data-loaders/lake/index.js";
import { SESSIONS_TABLE } from "../../data-loaders/upscope/stream.js";

const run = promisify(execFile);
let lakeRoot: string;

beforeAll(async () => {
  lakeRoot = await mkdtemp(join(tmpdir(), "si-data-drift-"));
  const lake = await openLake(lakeRoot);
  try {
    const row = (id: string, startedAt: string, drift: Parameters<typeof noteDrift>[1]) => {
      const mapped = { session_id: id, started_at: new Date(startedAt) };
      noteDrift(mapped, drift);
      return mapped;
    };
    const rows = [
      row("s1", "2026-05-01T10:00:00Z", [
        { path: "video_status", kind: "unknown_enum_value", example: "transcoding" },
        { path: "length_seconds", kind: "number_as_string", example: "420" },
      ]),
      row("s2", "2026-05-01T11:00:00Z", [{ path: "video_status", kind: "unknown_enum_value", example: "transcoding" }]),
      row("s3", "2026-05-03T09:00:00Z", [{ path: "video_status", kind: "unknown_enum_value", example: "transcoding" }]),
      // An example no sync would keep, written by hand: the loader must still leave it out.
      row("s4", "2026-05-03T09:30:00Z", [{ path: "call_name", kind: "unknown_enum_value", example: "secret.person@example.com" }]),
    ];
    await lake.upsertRecords(driftTableSpec("upscope"), driftRowsOf(SESSIONS_TABLE, rows, new Date("2026-05-04T03:00:00Z")));
  } finally {
    lake.close();
  }
});

afterAll(async () => {
  await rm(lakeRoot, { recursive: true, force: true });
});

describe("data-drift.json loader", () => {
  it("lists each drifted field and kind with its records, example and days, and nothing personal", async () => {
    const { stdout } = await run(join(process.cwd(), "node_modules", ".bin", "tsx"), [join(process.cwd(), "src", "data", "data-drift.json.ts")], {
      env: { ...process.env, SI_LAKE_DIR: lakeRoot },
      maxBuffer: 10_000_000,
    });
    expect(stdout).not.toContain("secret.person");
    expect(stdout).not.toContain("s1"); // record ids stay in the lake
    const drift = JSON.parse(stdout) as {
      totals: Array<{ source: string; records: number }>;
      entries: Array<{ source: string; stream: string; field_path: string; kind: string; kind_label: string; example: string | null; records: number; last_recorded_at: string }>;
      daily: Array<[string, number, number]>;
    };
    expect(drift.totals).toEqual([{ source: "upscope", records: 4 }]);
    expect(drift.entries.map((e) => [e.field_path, e.kind, e.example, e.records])).toEqual([
      ["call_name", "unknown_enum_value", null, 1],
      ["length_seconds", "number_as_string", "420", 1],
      ["video_status", "unknown_enum_value", "transcoding", 3],
    ]);
    expect(drift.entries[2]).toMatchObject({ source: "upscope", stream: "sessions", last_recorded_at: "2026-05-04T03:00:00Z" });
    expect(drift.entries[2]?.kind_label).toMatch(/documented list/);
    const videoStatus = 2;
    expect(drift.daily.filter(([, entry]) => entry === videoStatus)).toEqual([
      ["2026-05-01", videoStatus, 2],
      ["2026-05-03", videoStatus, 1],
    ]);
  }, 60_000);
});
