/**
 * Every model declares its grain (`@unique`) and its never-null columns (`@not_null`)
 * in its header, and every build checks them: a duplicate key or a NULL fails the
 * build with the model, the key and an example row, before the build counts (the
 * marts of the previous build stay published). Also: one Upscope agent is one agent,
 * however often or under whichever identifiers a session lists them, and the
 * agents' quality rating leaves out the visitor's own rating.
 */
import { cp, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOfflineDuckDB, openLake, quoteLiteral } from "../../data-loaders/lake/index.js";
import { buildModels, loadModels, martPath, martsManifestPath, ModelError, ModelGrainError, MODELS_DIR } from "../../data-loaders/models/run.js";
import { createPseudonymizer } from "../../data-loaders/privacy.js";
import { Session } from "../../data-loaders/upscope/schemas.js";
import { mapSession, SESSIONS_TABLE } from "../../data-loaders/upscope/stream.js";
import { clone, readSeedFixture } from "../schemas/fixtures.js";

const pseudonym = createPseudonymizer("test-key-for-grain-0123456789abcdef");
const BUILT_AT = new Date("2026-11-25T00:00:00Z");
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "si-grain-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The documented session (seed 001) with other agents, feedback and id. */
function session(id: string, changes: Record<string, unknown>): ReturnType<typeof mapSession> {
  const raw = { ...(clone(readSeedFixture("upscope-documented-session.json")) as Record<string, unknown>), id, ...changes };
  return mapSession(Session.parse(raw), pseudonym, undefined);
}

const MIA = { id: "ea_4k2j", agent_nickname: "mia", email: null, external_id: "crm-42", name: "Mia Chen", on_premise: false };
const MIA_AS_EXTERNAL = { agent_identifier: "crm-42", _type: "external_agent", name: "Mia Chen", agent_nickname: "mia" };
const MIA_NUMERIC = { id: 7, agent_nickname: "mia", external_id: "crm-42", name: "Mia Chen" };
const OMAR = { id: "u_77aa", agent_nickname: "omar", email: "Omar.B@support.example.com", external_id: null, name: "Omar Benali" };
const OMAR_BY_EMAIL = { agent_identifier: "omar.b@support.example.com", _type: "external_agent", name: "Omar B." };

async function lakeWith(rows: ReturnType<typeof mapSession>[]): Promise<string> {
  const root = await mkdtemp(join(dir, "lake-"));
  const lake = await openLake(root);
  try {
    await lake.upsertRecords(SESSIONS_TABLE, rows);
  } finally {
    lake.close();
  }
  return root;
}

async function rowsOf(root: string, mart: string, order: string): Promise<Array<Record<string, unknown>>> {
  const db = await createOfflineDuckDB();
  try {
    return await db.queryRows(`SELECT * FROM read_parquet(${quoteLiteral(martPath(root, mart))}) ORDER BY ${order}`);
  } finally {
    db.close();
  }
}

describe("one agent is one agent", () => {
  let root: string;

  beforeAll(async () => {
    root = await lakeWith([
      // Mia twice: once under her Upscope id and once as an external agent with her CRM id;
      // the visitor rates the session 2, Mia rates it 4.
      session("s-twice", {
        agents: [MIA, MIA_AS_EXTERNAL],
        quality_feedback: [
          { rating: 2, feedback: "laggy", by: "v8a2kq" },
          { rating: 4, feedback: null, by: "crm-42" },
        ],
      }),
      // Mia under a numeric id (drift) and again as herself; Omar under his id and his email.
      session("s-numeric", { agents: [MIA_NUMERIC, OMAR, MIA, OMAR_BY_EMAIL], quality_feedback: [{ rating: 3, feedback: null, by: 7 }] }),
      // Two different agents, one rating each; the visitor's rating is left out of theirs.
      session("s-two", {
        agents: [MIA, OMAR],
        quality_feedback: [
          { rating: 5, feedback: null, by: "ea_4k2j" },
          { rating: 3, feedback: null, by: "omar.b@support.example.com" },
          { rating: 1, feedback: null, by: "v8a2kq" },
        ],
      }),
    ]);
    await buildModels(root, { publishText: false, demo: false, builtAt: BUILT_AT });
  });

  it("lists each agent of a session once, whichever identifiers the entries use", async () => {
    const agents = await rowsOf(root, "cobrowse_session_agents", "session_id, agent_position");
    expect(agents.map((a) => [a.session_id, a.agent_key, a.agent_position])).toEqual([
      ["s-numeric", "mia-chen", 0],
      ["s-numeric", "omar-benali", 1],
      ["s-twice", "mia-chen", 0],
      ["s-two", "mia-chen", 0],
      ["s-two", "omar-benali", 1],
    ]);
    const twice = agents.find((a) => a.session_id === "s-twice");
    expect(twice?.agent_ref).toBe("external_id:crm-42");
    expect(twice?.agent_id).toBe("ea_4k2j");
    expect(twice?.is_external_agent).toBe(true);
  });

  it("counts distinct agents for 'more than one agent', and the agents mart counts a session once per agent", async () => {
    const sessions = await rowsOf(root, "cobrowse_sessions", "session_id");
    expect(sessions.map((s) => [s.session_id, Number(s.agent_count), s.multi_agent])).toEqual([
      ["s-numeric", 2, true],
      ["s-twice", 1, false],
      ["s-two", 2, true],
    ]);
    const agents = await rowsOf(root, "agents", "agent_key");
    expect(agents.map((a) => [a.agent_key, Number(a.cobrowse_sessions)])).toEqual([
      ["mia-chen", 3],
      ["omar-benali", 2],
    ]);
  });

  it("rates quality from the agents' entries only, and the visitor's own rating apart", async () => {
    const sessions = await rowsOf(root, "cobrowse_sessions", "session_id");
    const byId = new Map(sessions.map((s) => [s.session_id, s]));
    expect(byId.get("s-twice")?.quality_rating).toBe(4);
    expect(byId.get("s-twice")?.visitor_quality_rating).toBe(2);
    expect(byId.get("s-numeric")?.quality_rating).toBe(3);
    expect(byId.get("s-numeric")?.visitor_quality_rating).toBeNull();
    expect(byId.get("s-two")?.quality_rating).toBe(4);
    expect(byId.get("s-two")?.visitor_quality_rating).toBe(1);
  });
});

describe("grain and null tests", () => {
  it("every model declares its grain, and only columns it documents", async () => {
    for (const model of await loadModels()) {
      expect(model.unique.length, `${model.layer}.${model.name}`).toBeGreaterThan(0);
      const documented = new Set(model.columns.map((c) => c.name));
      for (const column of [...model.unique, ...model.notNull]) expect(documented.has(column), `${model.name}.${column}`).toBe(true);
    }
  });

  it("refuses a model that declares no grain", async () => {
    const models = await copyOfModels();
    const path = join(models, "marts", "cobrowse_session_features.sql");
    await writeFile(path, (await readFile(path, "utf8")).replace(/^-- @unique .*\n/m, ""));
    await expect(loadModels(models)).rejects.toThrow(/model marts\.cobrowse_session_features: declares no grain/);
  });

  async function copyOfModels(): Promise<string> {
    const copy = await mkdtemp(join(dir, "models-"));
    await cp(MODELS_DIR, copy, { recursive: true, filter: (source) => !source.endsWith(".ts") });
    return copy;
  }

  /** The agents model as it was before agents were resolved: one row per entry of agents[]. */
  const ONE_ROW_PER_ENTRY = `-- One row per entry of a session's agents list.
-- @column session_id: Upscope session id
-- @column agent_ref: the entry's id
-- @column agent_id: the entry's id
-- @column agent_name: the agent's name
-- @column agent_external_id: external id
-- @column is_external_agent: external agent
-- @column agent_position: position in the list
-- @column listed_entries: 1
-- @unique session_id, agent_ref
-- @not_null session_id, agent_ref, agent_position
-- @incremental_key session_id
SELECT session_id, coalesce(a.external_id, a.agent_identifier, a.id) AS agent_ref, coalesce(a.id, a.agent_identifier) AS agent_id,
  a.name AS agent_name, a.external_id AS agent_external_id, false AS is_external_agent, agent_position, 1 AS listed_entries
FROM (SELECT session_id, unnest(agents) AS a, CAST(generate_subscripts(agents, 1) - 1 AS INTEGER) AS agent_position
  FROM (SELECT session_id, from_json(record_json, '{"agents": [{"id":"VARCHAR","agent_identifier":"VARCHAR","name":"VARCHAR","external_id":"VARCHAR"}]}').agents AS agents FROM upscope.sessions))`;

  it("fails a full build on a duplicate key, naming the model, the key and an example row, and publishes nothing", async () => {
    const models = await copyOfModels();
    await writeFile(join(models, "staging", "stg_upscope__session_agents.sql"), ONE_ROW_PER_ENTRY);
    const root = await lakeWith([session("s-ok", { agents: [MIA] }), session("s-dup", { agents: [MIA, MIA_AS_EXTERNAL, OMAR] })]);
    const error = await buildModels(root, { publishText: false, demo: false, builtAt: BUILT_AT, modelsDir: models }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelGrainError);
    const message = (error as Error).message;
    expect(message).toContain("model staging.stg_upscope__session_agents: grain broken: 2 rows share session_id = \"s-dup\", agent_ref = \"crm-42\"");
    expect(message).toContain('"@unique session_id, agent_ref"');
    expect(message).toMatch(/Example row: \{"session_id":"s-dup","agent_ref":"crm-42",/);
    await expect(stat(martsManifestPath(root))).rejects.toThrow(/ENOENT/);
  });

  it("fails an incremental build the same way, and the models roll back to the last good build", async () => {
    const models = await copyOfModels();
    await writeFile(join(models, "staging", "stg_upscope__session_agents.sql"), ONE_ROW_PER_ENTRY);
    // Enough sessions that one more is a small change: the build then goes incremental.
    const root = await lakeWith(["s-ok", "s-ok-2", "s-ok-3", "s-ok-4"].map((id) => session(id, { agents: [MIA] })));
    const first = await buildModels(root, { publishText: false, demo: false, builtAt: BUILT_AT, modelsDir: models });
    expect(first.build.mode).toBe("full");
    const manifestBefore = await readFile(martsManifestPath(root), "utf8");
    const lake = await openLake(root);
    try {
      await lake.upsertRecords(SESSIONS_TABLE, [session("s-dup", { agents: [OMAR, OMAR] })]);
    } finally {
      lake.close();
    }
    const steps: string[] = [];
    const error = await buildModels(root, {
      publishText: false,
      demo: false,
      builtAt: BUILT_AT,
      modelsDir: models,
      onStep: (step) => void steps.push(step.kind === "model-built" ? `${step.mode}:${step.model}` : step.kind),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelGrainError);
    expect((error as Error).message).toContain('2 rows share session_id = "s-dup", agent_ref = "u_77aa"');
    // The incremental build ran, broke the grain and rolled back; the full build that followed broke it too.
    expect(steps).toContain("incremental:staging.stg_upscope__session_agents");
    expect(steps).not.toContain("committed");
    expect(await readFile(martsManifestPath(root), "utf8")).toBe(manifestBefore);
    // With the real models the same lake builds, incrementally from the last good state or in full.
    const fixed = await buildModels(root, { publishText: false, demo: false, builtAt: BUILT_AT });
    expect((await rowsOf(root, "cobrowse_session_agents", "session_id")).map((a) => a.session_id)).toEqual(["s-dup", "s-ok", "s-ok-2", "s-ok-3", "s-ok-4"]);
    expect(fixed.build.mode).toBe("full");
  });

  it("fails a build on a NULL in a @not_null column", async () => {
    const models = await copyOfModels();
    const path = join(models, "marts", "cobrowse_sessions.sql");
    await writeFile(path, (await readFile(path, "utf8")).replace("-- @not_null session_id, started_at, session_date", "-- @not_null session_id, started_at, session_date, start_path"));
    const root = await lakeWith([session("s-no-url", { start_url: null, agents: [MIA] })]);
    const error = await buildModels(root, { publishText: false, demo: false, builtAt: BUILT_AT, modelsDir: models }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelError);
    expect((error as Error).message).toMatch(/model marts\.cobrowse_sessions: 1 rows with start_path NULL, .*Example row: \{"session_id":"s-no-url"/);
  });
});
