/**
 * Session files with bad input (issue 18): in an NDJSON file invalid UTF-8, binary
 * garbage, a line cut short in the middle, `[[[[…` nested 100,000 deep, a valid session
 * with a field nested that deep, and a 50 MB line; `.json` files nested 100,000 deep,
 * with one record too deep among good ones, not UTF-8, and not JSON. Each is quarantined
 * by file and line (or record) with a message of ours, the rest is read, the source
 * succeeds, no file is read again next run, and --replay quarantines the same. The 50 MB
 * line is written in 1 MiB pieces.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, type SyncConfig } from "../../data-loaders/config.js";
import { tableDirectory } from "../../data-loaders/lake/index.js";
import { parseSyncArgs } from "../../data-loaders/sync/cli-args.js";
import { runSync } from "../../data-loaders/sync/engine.js";
import { SyncProgress } from "../../data-loaders/sync/progress.js";
import { DEMO_CREDENTIALS, startSimulator } from "../../simulator/index.js";
import { readSeedFixture } from "../schemas/fixtures.js";
import { deep, HUGE_LINE_BYTES, queryLake, writeWithHugeLine } from "./bad-input.js";

const NOW = "2026-06-01T00:00:00.000Z";
const documented = readSeedFixture("upscope-documented-session.json") as Record<string, unknown>;
const session = (id: string) => JSON.stringify({ ...documented, id });

let dir: string;
let folder: string;
let lakeDir: string;
let simulator: { url: string; stop(): Promise<void> };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "si-upscope-bad-"));
  folder = join(dir, "files");
  lakeDir = join(dir, "lake");
  await mkdir(folder);
  simulator = await startSimulator({ seed: 5, days: 1, scale: 0.05, now: NOW });
  await writeFile(
    join(folder, "hooks.ndjson"),
    Buffer.concat([
      Buffer.from(`${session("good-1")}\n`), // 1
      Buffer.concat([Buffer.from(`${session("half-emoji").slice(0, -1)},"note":"`), Buffer.from([0xf0, 0x9f, 0x98]), Buffer.from('"}\n')]), // 2
      Buffer.from([0x00, 0xff, 0xfe, 0x01, 0x7b, 0x22, 0x00, 0x80, 0x81, 0x9c, 0x0a]), // 3
      Buffer.from('{"id":"cut","visitor_email":"visitor@exa\n'), // 4
      Buffer.from(`${deep(100_000)}\n`), // 5
      Buffer.from(`${session("deep-field").slice(0, -1)},"extra":${deep(100_000)}}\n`), // 6
      Buffer.from(`${session("good-2")}`), // 7: a last line without its newline (a finished export)
    ]),
  );
  await writeWithHugeLine(join(folder, "huge.jsonl"), `${session("good-3")}\n`, '{"id":"huge","blob":"', '"}\n', `${session("good-4")}\n`);
  await writeFile(join(folder, "deep.json"), `[${deep(100_000)}]`);
  await writeFile(join(folder, "mixed.json"), `[${session("good-5")},\n${deep(100_000)},\n${session("good-6")}]`);
  await writeFile(join(folder, "not-utf8.json"), Buffer.concat([Buffer.from(`[\n${session("lost-1")},\n"`), Buffer.from([0xc3, 0x28]), Buffer.from('"]')]));
  await writeFile(join(folder, "not-json.json"), `[\n${session("lost-2")},\n  {"visitor_email": "visitor@example.com" oops}\n]`);
}, 60_000);

afterAll(async () => {
  await simulator.stop();
  await rm(dir, { recursive: true, force: true });
});

async function sync(extra: string[] = []) {
  const lines: string[] = [];
  const base = loadConfig({ SI_LAKE_DIR: lakeDir });
  const config: SyncConfig = {
    ...base,
    demo: false,
    historyDays: 1,
    sources: { upscope: { baseUrl: `${simulator.url}/upscope/v1.3`, onPremise: false, auth: { kind: "api-key", apiKey: DEMO_CREDENTIALS.upscope.apiKey }, sessionFiles: folder, concurrency: 2 } },
  };
  const result = await runSync(config, { args: parseSyncArgs(["--source", "upscope", "--now", NOW, "--skip-models", ...extra]), progress: new SyncProgress((line) => lines.push(line)), http: { delayScale: 0 } });
  return { result: result.results.upscope, lines };
}

const query = (sql: string) => queryLake(lakeDir, sql);

const expected = [
  ["sessions:deep.json[0]", "(record)", "nested more than 64 levels deep"],
  ["sessions:hooks.ndjson:2", "(line)", "not valid UTF-8 (line 2)"],
  ["sessions:hooks.ndjson:3", "(line)", "not valid UTF-8 (line 3)"],
  ["sessions:hooks.ndjson:4", "(line)", "not valid JSON (line 4, column 41)"],
  ["sessions:hooks.ndjson:5", "(line)", "nested more than 64 levels deep"],
  ["sessions:hooks.ndjson:6", "(line)", "nested more than 64 levels deep"],
  ["sessions:huge.jsonl:2", "(line)", `line longer than 8 MiB (${HUGE_LINE_BYTES + 23} bytes): not read`],
  ["sessions:mixed.json[1]", "(record)", "nested more than 64 levels deep"],
  ["sessions:not-json.json", "(file)", "not valid JSON (line 3, column 43)"],
  ["sessions:not-utf8.json", "(file)", "not valid UTF-8 (line 3)"],
];

describe("bad input in Upscope session files", () => {
  it("quarantines each bad line, record or file by name and position with our message, and stores the rest", async () => {
    const first = await sync();
    expect(first.result).not.toHaveProperty("error");
    expect(first.lines.some((line) => line.includes("session files: 6 read, 0 unchanged"))).toBe(true);
    const stored = await query("SELECT session_id FROM upscope.sessions WHERE session_id LIKE 'good-%' OR session_id LIKE 'lost-%' OR session_id IN ('half-emoji', 'deep-field', 'cut', 'huge') ORDER BY 1");
    expect(stored.map((row) => row.session_id)).toEqual(["good-1", "good-2", "good-3", "good-4", "good-5", "good-6"]);
    const quarantined = await query("SELECT record_id, field_path, message FROM upscope.quarantine ORDER BY record_id");
    expect(quarantined.map((row) => [row.record_id, row.field_path, row.message])).toEqual(expected);
  }, 120_000);

  it("reads none of the files again next run", async () => {
    const second = await sync();
    expect(second.result).not.toHaveProperty("error");
    expect(second.lines.some((line) => line.includes("session files: 0 read, 6 unchanged"))).toBe(true);
    expect(second.result).toMatchObject({ quarantined: 0 });
  }, 60_000);

  it("--replay quarantines the same and rebuilds the same sessions", async () => {
    const before = await query("SELECT session_id, content_hash FROM upscope.sessions ORDER BY 1");
    await rm(tableDirectory(lakeDir, "upscope", "sessions"), { recursive: true, force: true });
    const replay = await sync(["--replay"]);
    expect(replay.result).not.toHaveProperty("error");
    expect(await query("SELECT session_id, content_hash FROM upscope.sessions ORDER BY 1")).toEqual(before);
    const replayed = await query("SELECT DISTINCT record_id, message FROM upscope.quarantine WHERE run_id LIKE '%-replay-%' ORDER BY record_id");
    expect(replayed.map((row) => [row.record_id, row.message])).toEqual(expected.map(([id, , message]) => [id, message]));
  }, 60_000);
});
