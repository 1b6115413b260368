import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, type SyncConfig } from "../../data-loaders/config.js";
import { openLakeDuckDB } from "../../data-loaders/lake/index.js";
import { parseSyncArgs } from "../../data-loaders/sync/cli-args.js";
import { runSync } from "../../data-loaders/sync/engine.js";
import { SyncProgress } from "../../data-loaders/sync/progress.js";
import { Session } from "../../data-loaders/upscope/schemas.js";
import { listSessionFiles, parseSessionFile } from "../../data-loaders/upscope/session-files.js";
import { DEMO_CREDENTIALS, exportUpscopeSessionFiles, startSimulator, type SimulatorOptions } from "../../simulator/index.js";
import { readSeedFixture } from "../schemas/fixtures.js";

const NOW = "2026-06-01T00:00:00.000Z";
const SIMULATION: SimulatorOptions = { seed: 5, days: 5, scale: 0.2, now: NOW, upscopeListCap: 100_000 };

describe("session file parsing", () => {
  it("reads NDJSON line by line; a malformed line is a problem of that line only", () => {
    const parsed = parseSessionFile("hooks.ndjson", '{"id":"a"}\r\n{not json\n\n{"id":2}\n');
    expect(parsed.records).toEqual([
      { raw: { id: "a" }, position: "hooks.ndjson:1" },
      { raw: { id: 2 }, position: "hooks.ndjson:4" },
    ]);
    expect(parsed.problems.map((problem) => problem.position)).toEqual(["hooks.ndjson:2"]);
    expect(parsed.problems[0]?.message).toMatch(/not valid JSON/);
  });

  it("reads a .json file as an array of sessions or as one session; anything else is one problem", () => {
    expect(parseSessionFile("export.json", '[{"id":"a"},{"id":"b"}]').records.map((record) => record.position)).toEqual([
      "export.json[0]",
      "export.json[1]",
    ]);
    expect(parseSessionFile("webhook.json", '\uFEFF{"id":"a"}').records).toEqual([{ raw: { id: "a" }, position: "webhook.json" }]);
    expect(parseSessionFile("cut.json", '[{"id":"a"').problems.map((problem) => problem.position)).toEqual(["cut.json"]);
    expect(parseSessionFile("scalar.json", "42").problems).toHaveLength(1);
  });

  it("lists *.json, *.ndjson and *.jsonl files, skipping hidden, temporary and other files", async () => {
    const folder = await mkdtemp(join(tmpdir(), "si-upscope-files-"));
    try {
      for (const name of ["b.ndjson", "a.json", "c.jsonl", ".tmp-x.ndjson", "_partial.json", "notes.txt"]) await writeFile(join(folder, name), "[]");
      expect((await listSessionFiles(folder)).map((entry) => entry.name)).toEqual(["a.json", "b.ndjson", "c.jsonl"]);
      expect((await listSessionFiles(join(folder, "a.json"))).map((entry) => entry.name)).toEqual(["a.json"]);
      await expect(listSessionFiles(join(folder, "missing"))).rejects.toThrow(/UPSCOPE_SESSION_FILES points to .*missing/);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe("Upscope sync from a folder of session files", () => {
  let dir: string;
  let simulator: { url: string; stop(): Promise<void> };
  let folder: string;
  let lakeDir: string;
  let fromApi: Record<string, unknown>;
  const documented = readSeedFixture("upscope-documented-session.json") as Record<string, unknown>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "si-upscope-folder-"));
    simulator = await startSimulator(SIMULATION);
    folder = join(dir, "files");
    lakeDir = join(dir, "lake");
    await mkdir(folder);
    // A session the API also serves, as a webhook store might hold it: without visitor_id.
    const exported = join(dir, "export");
    await exportUpscopeSessionFiles(SIMULATION, exported, { startedBefore: NOW });
    const lines = (await Promise.all((await readdir(exported)).map((name) => readFile(join(exported, name), "utf8"))))
      .join("")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const valid = lines.find((session) => Session.safeParse(session).success);
    if (!valid) throw new Error("the simulator exported no valid session");
    fromApi = valid;
    const { visitor_id: _dropped, ...withoutVisitor } = valid;
    await writeFile(
      join(folder, "hooks.ndjson"),
      [JSON.stringify(withoutVisitor), "{not json", JSON.stringify({ ...documented, id: "file-only-bad", started_at: "exploded" })].join("\n"),
    );
    await writeFile(join(folder, "export.json"), JSON.stringify([{ ...documented, id: "file-only-1" }]));
  });

  afterAll(async () => {
    await simulator.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function sync() {
    const lines: string[] = [];
    const base = loadConfig({ SI_LAKE_DIR: lakeDir });
    const config: SyncConfig = {
      ...base,
      demo: false,
      historyDays: 5,
      sources: {
        upscope: {
          baseUrl: `${simulator.url}/upscope/v1.3`,
          onPremise: false,
          auth: { kind: "api-key", apiKey: DEMO_CREDENTIALS.upscope.apiKey },
          sessionFiles: folder,
          concurrency: 2,
        },
      },
    };
    const result = await runSync(config, {
      args: parseSyncArgs(["--source", "upscope", "--now", NOW, "--skip-models"]),
      progress: new SyncProgress((line) => lines.push(line)),
      http: { delayScale: 0 },
    });
    expect(result.results.upscope).not.toHaveProperty("error");
    return { written: result.progress.snapshot().get("upscope")?.written, lines };
  }

  async function query(sql: string) {
    const reader = await openLakeDuckDB(lakeDir);
    try {
      return await reader.queryRows(sql);
    } finally {
      reader.close();
    }
  }

  it("stores file sessions, quarantines the malformed line and the broken record, and the API fills in the visitor", async () => {
    const first = await sync();
    expect(first.lines.some((line) => line.includes("session files: 2 read, 0 unchanged"))).toBe(true);
    expect(first.lines.some((line) => line.includes("answered 404"))).toBe(true); // the fixture's visitor is unknown to the API
    const rows = await query(`SELECT session_id, visitor_id FROM upscope.sessions WHERE session_id IN ('file-only-1', '${String(fromApi.id)}') ORDER BY 1`);
    expect(rows).toEqual(
      [
        { session_id: "file-only-1", visitor_id: "v8a2kq" },
        { session_id: String(fromApi.id), visitor_id: String(fromApi.visitor_id) },
      ].sort((a, b) => a.session_id.localeCompare(b.session_id)),
    );
    const quarantined = await query("SELECT DISTINCT record_id, field_path FROM main.quarantine ORDER BY 1");
    expect(quarantined).toEqual([
      { record_id: "sessions:file-only-bad", field_path: "started_at" },
      { record_id: "sessions:hooks.ndjson:2", field_path: "(line)" },
    ]);
  });

  it("skips unchanged files, and re-reads a changed one without losing the visitor the API gave", async () => {
    const unchanged = await sync();
    expect(unchanged.lines.some((line) => line.includes("session files: 0 read, 2 unchanged"))).toBe(true);
    expect(unchanged.written).toBe(0);

    const hooks = join(folder, "hooks.ndjson");
    await writeFile(hooks, `${await readFile(hooks, "utf8")}\n${JSON.stringify({ ...documented, id: "file-only-2" })}\n`);
    const changed = await sync();
    expect(changed.lines.some((line) => line.includes("session files: 1 read, 1 unchanged"))).toBe(true);
    // Only the new session is written: the re-read copy without visitor_id gets the lake's and hashes the same.
    expect(changed.written).toBe(1);
    const [row] = await query(`SELECT visitor_id FROM upscope.sessions WHERE session_id = '${String(fromApi.id)}'`);
    expect(row?.visitor_id).toBe(String(fromApi.visitor_id));
  });
});
