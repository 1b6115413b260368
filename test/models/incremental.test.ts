/**
 * The models kept between builds (data-loaders/models/build-state.ts): after any
 * sequence of builds, crashes and lake changes, every mart must hold exactly the rows
 * a build from scratch gives. Two demo nights a day apart provide the data: the first
 * build is full, the second parses only the rows the second night wrote.
 */
import { spawn } from "node:child_process";
import { cp, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../data-loaders/config.js";
import { createOfflineDuckDB, listLiveFiles, openLake, openLakeDuckDB, quoteLiteral, type TableSpec } from "../../data-loaders/lake/index.js";
import { modelsDatabasePath } from "../../data-loaders/models/build-state.js";
import { buildModels, loadModels, martPath, MODELS_DIR, type BuildModelsOptions, type BuiltMarts } from "../../data-loaders/models/run.js";
import { parseSyncArgs } from "../../data-loaders/sync/cli-args.js";
import { SOURCE_TABLES } from "../../data-loaders/models/source-tables.js";
import { runSync } from "../../data-loaders/sync/demo.js";
import { SyncProgress } from "../../data-loaders/sync/progress.js";

const NIGHT_1 = "2026-05-14T19:00:00.000Z";
const NIGHT_2 = "2026-05-15T19:00:00.000Z";
const SIMULATION = { seed: 5, days: 10, scale: 1 };
const KILLED_AT = join(process.cwd(), "test", "models", "fixtures", "build-killed-at.ts");
const BUILD: BuildModelsOptions = { publishText: false, demo: true, builtAt: new Date("2026-05-16T00:00:00Z") };

let dir: string;
/** The lake after night 2, its models built incrementally on top of night 1's. */
let lake: string;
/** Night 2's data with night 1's models: what the second build starts from. */
let beforeSecondBuild: string;
/** Night 2's data, models built from scratch: the reference. */
let scratch: string;
let firstBuild: BuiltMarts;
let secondBuild: BuiltMarts;

async function night(root: string, now: string, days: number): Promise<void> {
  const config = { ...loadConfig({ SI_LAKE_DIR: root }), historyDays: days };
  const result = await runSync(config, {
    args: parseSyncArgs(["--now", now, "--skip-models"]),
    progress: new SyncProgress(() => {}),
    demo: { ...SIMULATION, days },
    http: { delayScale: 0.001 },
  });
  if (result.exitCode !== 0) throw new Error(`sync at ${now} exited ${result.exitCode}`);
}

/** A copy of `source`'s lake whose persisted models are `modelsFrom`'s (or none). */
async function lakeCopy(name: string, source: string, modelsFrom?: string): Promise<string> {
  const target = join(dir, name);
  await cp(source, target, { recursive: true });
  await rm(join(target, "_models"), { recursive: true, force: true });
  if (modelsFrom) await cp(join(modelsFrom, "_models"), join(target, "_models"), { recursive: true });
  return target;
}

async function buildFromScratch(name: string, source: string): Promise<string> {
  const target = await lakeCopy(name, source);
  const built = await buildModels(target, BUILD);
  expect(built.build.mode).toBe("full");
  return target;
}

/** Per mart, rows in one lake's mart and not the other's (as multisets); empty when all marts are equal. */
async function martDifferences(left: string, right: string): Promise<Array<{ mart: string; onlyLeft: number; onlyRight: number }>> {
  const db = await createOfflineDuckDB();
  const differences: Array<{ mart: string; onlyLeft: number; onlyRight: number }> = [];
  try {
    for (const model of (await loadModels()).filter((m) => m.layer === "marts")) {
      const a = `read_parquet(${quoteLiteral(martPath(left, model.name))})`;
      const b = `read_parquet(${quoteLiteral(martPath(right, model.name))})`;
      const [row] = await db.queryRows(
        `SELECT (SELECT count(*) FROM (SELECT * FROM ${a} EXCEPT ALL SELECT * FROM ${b})) AS only_left,
                (SELECT count(*) FROM (SELECT * FROM ${b} EXCEPT ALL SELECT * FROM ${a})) AS only_right`,
      );
      const onlyLeft = Number(row?.only_left);
      const onlyRight = Number(row?.only_right);
      if (onlyLeft !== 0 || onlyRight !== 0) differences.push({ mart: model.name, onlyLeft, onlyRight });
    }
  } finally {
    db.close();
  }
  return differences;
}

function runKilledAt(root: string, kind: string, nth: number, full = false): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    // Node itself with tsx's loader, not the tsx wrapper: the signal must reach this process's exit status.
    const child = spawn(process.execPath, ["--import", "tsx", KILLED_AT, root, kind, String(nth), ...(full ? ["full"] : [])], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve({ code, signal, stderr }));
  });
}

type JsonRecord = Record<string, unknown>;

/**
 * Writes new versions of the first `count` records of a lake table, their raw record
 * changed by `change` (and their other columns by `changeRow`), through the lake's own upsert.
 */
async function changeRecords(root: string, source: string, table: string, count: number, change: (record: JsonRecord, index: number) => void, changeRow?: (row: JsonRecord, index: number) => void): Promise<void> {
  const spec: TableSpec | undefined = SOURCE_TABLES.find((t) => t.source === source && t.name === table);
  if (!spec) throw new Error(`no table ${source}.${table}`);
  const reader = await openLakeDuckDB(root);
  let rows: JsonRecord[];
  try {
    rows = await reader.queryRows(`SELECT * EXCLUDE (_ingested_at) FROM ${source}.${table} ORDER BY ${spec.primaryKey[0]} LIMIT ${count}`);
  } finally {
    reader.close();
  }
  expect(rows.length).toBe(count);
  const changed = rows.map((row, index) => {
    const record = JSON.parse(String(row.record_json)) as JsonRecord;
    change(record, index);
    const next: JsonRecord = { ...row, record_json: JSON.stringify(record) };
    changeRow?.(next, index);
    return next;
  });
  const writer = await openLake(root);
  try {
    await writer.upsertRecords(spec, changed);
  } finally {
    writer.close();
  }
}

const asRecord = (value: unknown): JsonRecord => (typeof value === "object" && value !== null ? (value as JsonRecord) : {});
const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "si-models-incremental-"));
  lake = join(dir, "lake");
  await night(lake, NIGHT_1, SIMULATION.days);
  firstBuild = await buildModels(lake, BUILD);
  const afterFirstBuild = await lakeCopy("after-first-build", lake, lake);
  await night(lake, NIGHT_2, SIMULATION.days + 1);
  beforeSecondBuild = await lakeCopy("before-second-build", lake, afterFirstBuild);
  secondBuild = await buildModels(lake, BUILD);
  scratch = await buildFromScratch("scratch", lake);
}, 300_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("incremental models", () => {
  it("the first build is full; the second parses only the keys night 2 wrote", () => {
    expect(firstBuild.build.mode).toBe("full");
    expect(secondBuild.build).toMatchObject({ mode: "incremental" });
    const first = firstBuild.build.changedKeys;
    const second = secondBuild.build.changedKeys;
    expect(first["liveperson.engagements"]).toBeGreaterThan(100);
    expect(second["liveperson.engagements"]).toBeGreaterThan(0);
    expect(second["liveperson.engagements"]).toBeLessThan((first["liveperson.engagements"] ?? 0) / 2);
  });

  it("then every mart equals a build from scratch, and the marts are not empty", async () => {
    expect(await martDifferences(lake, scratch)).toEqual([]);
    for (const mart of ["engagements", "transcript_line_facts", "survey_answers", "cobrowse_sessions", "agendize_chats", "embedded_events", "agents", "daily_activity"]) {
      expect(secondBuild.find((built) => built.name === mart)?.rows, mart).toBeGreaterThan(0);
    }
  });

  it("a build with nothing new re-parses nothing and changes nothing", async () => {
    const root = await lakeCopy("unchanged", lake, lake);
    const built = await buildModels(root, BUILD);
    expect(built.build.mode).toBe("incremental");
    expect(Object.values(built.build.changedKeys).every((count) => count === 0)).toBe(true);
    expect(await martDifferences(root, scratch)).toEqual([]);
  });

  it("changed records replace their rows, nested lists and moved months included", async () => {
    const root = await lakeCopy("records-changed", lake, lake);
    await changeRecords(
      root,
      "liveperson",
      "engagements",
      12,
      (record) => {
        asRecord(record.info).agentFullName = "Changed Agentname";
        const transcript = asRecord(record.transcript);
        transcript.lines = asList(transcript.lines).slice(0, -1);
        asRecord(record.surveys).postChat = [];
      },
      // A third of them move to another month (a corrected start time).
      (row, index) => {
        if (index % 3 === 0) row.start_time = new Date(Date.parse(`${String(row.start_time).replace(" ", "T")}Z`) - 40 * 86_400_000).toISOString();
      },
    );
    await changeRecords(root, "upscope", "sessions", 6, (record) => {
      record.agents = asList(record.agents).slice(0, 1);
      record.features_used = ["drawing"];
    });
    await changeRecords(root, "agendize", "chats", 6, (record) => {
      record.messages = asList(record.messages).slice(1);
      asRecord(record.button).name = "Changed button";
    });
    await changeRecords(root, "embedded", "events", 6, (record) => {
      const state = asRecord(asRecord(record.event).state);
      state.dataBounceSpeed = 999;
    });
    const built = await buildModels(root, BUILD);
    expect(built.build).toMatchObject({
      mode: "incremental",
      changedKeys: { "liveperson.engagements": 12, "upscope.sessions": 6, "agendize.chats": 6, "embedded.events": 6 },
    });
    const reference = await buildFromScratch("records-changed-scratch", root);
    expect(await martDifferences(root, reference)).toEqual([]);
    const db = await createOfflineDuckDB();
    try {
      const [row] = await db.queryRows(`SELECT count(*) AS n FROM read_parquet(${quoteLiteral(martPath(root, "engagements"))}) WHERE agent_name = 'Changed Agentname'`);
      expect(Number(row?.n)).toBe(12);
    } finally {
      db.close();
    }
  });

  it("rows that leave the lake leave the marts", async () => {
    const root = await lakeCopy("rows-removed", lake, lake);
    // What a repair or a replay may do to a month: rewrite it without some records.
    const [month] = await listLiveFiles(root, "liveperson", "engagements");
    if (!month) throw new Error("no engagements file");
    const db = await createOfflineDuckDB();
    try {
      const [row] = await db.queryRows(
        `COPY (SELECT * FROM read_parquet(${quoteLiteral(month.path)}) WHERE hash(engagement_id) % 5 <> 0) TO ${quoteLiteral(`${month.path}.new`)} (FORMAT parquet)`,
      );
      expect(Number(row?.Count)).toBeGreaterThan(0);
    } finally {
      db.close();
    }
    await rename(`${month.path}.new`, month.path);
    const built = await buildModels(root, BUILD);
    expect(built.build.mode).toBe("incremental");
    expect(built.build.changedKeys["liveperson.engagements"]).toBeGreaterThan(0);
    const reference = await buildFromScratch("rows-removed-scratch", root);
    expect(await martDifferences(root, reference)).toEqual([]);
  });

  it("a changed model file, a damaged or deleted models file, or full: true rebuild everything", async () => {
    const changedModels = join(dir, "changed-models");
    await cp(MODELS_DIR, changedModels, { recursive: true });
    const visitors = join(changedModels, "staging", "stg_upscope__visitors.sql");
    await writeFile(visitors, `${await readFile(visitors, "utf8")}\n-- edited\n`);
    const changed = await lakeCopy("changed-sql", lake, lake);
    expect((await buildModels(changed, { ...BUILD, modelsDir: changedModels })).build).toMatchObject({ mode: "full", reason: expect.stringMatching(/models/) });
    expect(await martDifferences(changed, scratch)).toEqual([]);

    const damaged = await lakeCopy("damaged", beforeSecondBuild, beforeSecondBuild);
    const file = modelsDatabasePath(damaged);
    const bytes = await readFile(file);
    bytes.fill(0x5a, 0, 16_384);
    await writeFile(file, bytes);
    expect((await buildModels(damaged, BUILD)).build.mode).toBe("full");
    expect(await martDifferences(damaged, scratch)).toEqual([]);

    const deleted = await lakeCopy("deleted", beforeSecondBuild, beforeSecondBuild);
    await rm(modelsDatabasePath(deleted));
    expect((await buildModels(deleted, BUILD)).build).toMatchObject({ mode: "full", reason: "no models from an earlier build" });
    expect(await martDifferences(deleted, scratch)).toEqual([]);

    const forced = await lakeCopy("forced", beforeSecondBuild, beforeSecondBuild);
    expect((await buildModels(forced, { ...BUILD, full: true })).build).toMatchObject({ mode: "full", reason: "a full build was asked for" });
    expect(await martDifferences(forced, scratch)).toEqual([]);
  });

  it("killed at any step, the next build still gives the marts of a build from scratch", async () => {
    const crashes: Array<{ kind: string; nth: number; full?: boolean }> = [
      { kind: "model-built", nth: 1 }, // inside the incremental transaction, first staging model replaced
      { kind: "model-built", nth: 14 }, // inside the transaction, staging done, marts under way
      { kind: "committed", nth: 1 }, // committed, no mart written yet
      { kind: "mart-written", nth: 4 }, // some marts written, others not
      { kind: "model-built", nth: 6, full: true }, // halfway through a full build
    ];
    for (const crash of crashes) {
      const root = await lakeCopy(`killed-${crash.kind}-${crash.nth}${crash.full ? "-full" : ""}`, beforeSecondBuild, beforeSecondBuild);
      const child = await runKilledAt(root, crash.kind, crash.nth, crash.full);
      expect(child.signal, `${JSON.stringify(crash)}: ${child.stderr}`).toBe("SIGKILL");
      const built = await buildModels(root, BUILD);
      // Before the commit, the old models and their versions are intact: the next build redoes the same diff.
      if (crash.kind === "model-built" && !crash.full) expect(built.build.changedKeys).toEqual(secondBuild.build.changedKeys);
      if (crash.full) expect(built.build.mode).toBe("full");
      expect(await martDifferences(root, scratch), JSON.stringify(crash)).toEqual([]);
    }
  }, 180_000);

  it("refuses an @incremental_key the model cannot honour", async () => {
    const badModels = join(dir, "bad-models");
    await cp(MODELS_DIR, badModels, { recursive: true });
    const summaries = join(badModels, "staging", "stg_agendize__list_summaries.sql");
    // Its rows do not carry the source's primary key (summary_id), so they cannot be replaced by it.
    await writeFile(summaries, `-- @incremental_key window_start\n${await readFile(summaries, "utf8")}`);
    await expect(buildModels(await lakeCopy("bad-header", lake), { ...BUILD, modelsDir: badModels })).rejects.toThrow(/@incremental_key window_start is not the primary key/);
  });
});
