/**
 * Event files with bad lines (issue 18): invalid UTF-8 (a half emoji), binary garbage, a
 * line cut short in the middle of the file, `[[[[…` nested 100,000 deep, a valid event
 * with a field nested that deep, and a line of 50 MB. Each is quarantined by file and line
 * with a message of ours, the rest of the file is read, the source succeeds, the file is
 * not read again next run, a grown file is read from its new tail, and --replay
 * quarantines the same lines. The 50 MB line is written in 1 MiB pieces: neither the test
 * nor the sync holds it.
 */
import { appendFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../data-loaders/config.js";
import { EMBEDDED_PROGRESS_SOURCE, withEmbeddedConfig } from "../../data-loaders/embedded/config.js";
import { replayEmbedded, syncEmbedded } from "../../data-loaders/embedded/sync.js";
import { openLake, tableDirectory } from "../../data-loaders/lake/index.js";
import { createPseudonymizer } from "../../data-loaders/privacy.js";
import type { SourceRunResult } from "../../data-loaders/sync/context.js";
import { SyncProgress } from "../../data-loaders/sync/progress.js";
import { deep, HUGE_LINE_BYTES, queryLake, writeWithHugeLine } from "../sync/bad-input.js";
import { recordedEvent } from "./fixtures.js";

const NOW = new Date("2026-06-01T00:00:00.000Z");

let dir: string;
let lakeDir: string;
let eventsDir: string;
const good = Array.from({ length: 5 }, (_, index) => recordedEvent({ sequence: index + 1 }));
const line = (event: Record<string, unknown>) => JSON.stringify(event);

async function run(kind: "sync" | "replay" = "sync"): Promise<SourceRunResult> {
  const config = withEmbeddedConfig(loadConfig({ SI_LAKE_DIR: lakeDir }), { eventsDir });
  const lake = await openLake(lakeDir);
  const progress = new SyncProgress(() => {});
  progress.start(EMBEDDED_PROGRESS_SOURCE);
  try {
    const ctx = { config, lake, progress, runId: `bad-${kind}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`, now: NOW, since: undefined, full: false, pseudonym: createPseudonymizer(config.pseudonymKey), http: {} };
    return await (kind === "sync" ? syncEmbedded(ctx) : replayEmbedded(ctx));
  } finally {
    lake.close();
  }
}

const query = (sql: string) => queryLake(lakeDir, sql);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "si-embedded-bad-"));
  lakeDir = join(dir, "lake");
  eventsDir = join(dir, "events");
  await mkdir(eventsDir);
  const [, second, third, fourth] = good.map(line) as [string, string, string, string];
  const spoiled = line(recordedEvent({ sequence: 50 }));
  const halfEmoji = Buffer.concat([Buffer.from(`${spoiled.slice(0, -1)},"note":"ok `), Buffer.from([0xf0, 0x9f, 0x98]), Buffer.from('"}')]);
  await writeFile(
    join(eventsDir, "events-2026-05-31.ndjson"),
    Buffer.concat([
      Buffer.from(`${second}\n`), // 1
      halfEmoji, // 2: an otherwise valid event with a half emoji: not stored with U+FFFD in its place
      Buffer.from("\n"),
      Buffer.from([0x00, 0xff, 0xfe, 0x01, 0x7b, 0x22, 0x00, 0x80, 0x81, 0x0d, 0x9c, 0x0a]), // 3: binary garbage
      Buffer.from('{"id":"evt-cut","visitor":{"email":"visitor@example.com","name":"Zelda Visitorname\n'), // 4: cut short
      Buffer.from(`${deep(100_000)}\n`), // 5
      Buffer.from(`${line(recordedEvent({ sequence: 51 })).slice(0, -1)},"extra":${deep(100_000)}}\n`), // 6: a valid event with a field nested 100,000 deep
      Buffer.from("visitor@example.com\n"), // 7: not JSON; V8's message would quote it
      Buffer.from(`${third}\n${fourth}\n`), // 8, 9
    ]),
  );
  // A 50 MB line between two good ones, written in 1 MiB pieces.
  await writeWithHugeLine(join(eventsDir, "events-2026-06-01.ndjson"), `${line(good[4] as Record<string, unknown>)}\n`, '{"id":"evt-huge","blob":"', '"}\n', `${line(good[0] as Record<string, unknown>)}\n`);
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("bad lines in event files", () => {
  const badLines = [
    ["events:events-2026-05-31.ndjson:2", "(line)", "not valid UTF-8 (line 2)"],
    ["events:events-2026-05-31.ndjson:3", "(line)", "not valid UTF-8 (line 3)"],
    ["events:events-2026-05-31.ndjson:4", "(line)", "not valid JSON (line 4, column 83)"],
    ["events:events-2026-05-31.ndjson:5", "(line)", "nested more than 64 levels deep"],
    ["events:events-2026-05-31.ndjson:6", "(line)", "nested more than 64 levels deep"],
    ["events:events-2026-05-31.ndjson:7", "(line)", "not valid JSON"],
    ["events:events-2026-06-01.ndjson:2", "(line)", `line longer than 8 MiB (${HUGE_LINE_BYTES + 27} bytes): not read`],
  ];

  it("quarantines each bad line by file and line with our message, stores every good event, and succeeds", async () => {
    const result = await run();
    expect(result).toEqual({ records: good.length + badLines.length, quarantined: badLines.length });
    const rows = await query("SELECT event_id FROM embedded.events ORDER BY event_id");
    expect(rows.map((row) => row.event_id)).toEqual(good.map((event) => String(event.id)).sort());
    const quarantined = await query("SELECT record_id, field_path, message FROM embedded.quarantine ORDER BY record_id");
    expect(quarantined.map((row) => [row.record_id, row.field_path, row.message])).toEqual(badLines);
    // The private quarantine table keeps the bytes of a line that is not UTF-8, for whoever fixes it.
    const [kept] = await query("SELECT raw_json FROM embedded.quarantine WHERE record_id = 'events:events-2026-05-31.ndjson:2'");
    expect(Buffer.from((JSON.parse(String(kept?.raw_json)) as { base64: string }).base64, "base64").includes(Buffer.from([0xf0, 0x9f, 0x98]))).toBe(true);
  }, 60_000);

  it("does not read the files again next run", async () => {
    expect(await run()).toEqual({ records: 0, quarantined: 0 });
  });

  it("reads only the new tail of a grown file, past its 50 MB line", async () => {
    const late = recordedEvent({ sequence: 99 });
    await appendFile(join(eventsDir, "events-2026-06-01.ndjson"), `${line(late)}\n`);
    expect(await run()).toEqual({ records: 1, quarantined: 0 });
    expect(await query(`SELECT count(*)::INT AS n FROM embedded.events WHERE event_id = '${String(late.id)}'`)).toEqual([{ n: 1 }]);
  });

  it("--replay quarantines the same lines and rebuilds the same events", async () => {
    const before = await query("SELECT event_id, content_hash FROM embedded.events ORDER BY event_id");
    await rm(tableDirectory(lakeDir, "embedded", "events"), { recursive: true, force: true });
    const result = await run("replay");
    expect(result.quarantined).toBe(badLines.length);
    expect(await query("SELECT event_id, content_hash FROM embedded.events ORDER BY event_id")).toEqual(before);
    const replayed = await query("SELECT DISTINCT record_id, message FROM embedded.quarantine WHERE run_id LIKE 'bad-replay-%' ORDER BY record_id");
    expect(replayed.map((row) => [row.record_id, row.message])).toEqual(badLines.map(([id, , message]) => [id, message]));
  }, 60_000);
});
