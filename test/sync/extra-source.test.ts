/**
 * The claim of docs/adding-a-source.md, kept from rotting: a source defined here (not
 * shipped) is registered the way the registry lists its own, configured from its own
 * environment variables, synced end to end over real HTTP into a lake, and read by a
 * staging model and a mart written for it.
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { loadConfig, secretsOf } from "../../data-loaders/config.js";
import { createHttpClient, jitteredExponentialPolicy } from "../../data-loaders/http/index.js";
import { openLakeDuckDB, quoteLiteral, type TableSpec } from "../../data-loaders/lake/index.js";
import { buildModels, martPath, MODELS_DIR } from "../../data-loaders/models/run.js";
import { need, optionalText, url } from "../../data-loaders/settings.js";
import { defineSource } from "../../data-loaders/sources/definition.js";
import { SOURCE_DEFINITIONS } from "../../data-loaders/sources/index.js";
import { parseSyncArgs } from "../../data-loaders/sync/cli-args.js";
import { contentHash, commitRows, type MappedRow } from "../../data-loaders/sync/commit.js";
import { saveQuarantine, type SourceRunContext } from "../../data-loaders/sync/context.js";
import { runSync } from "../../data-loaders/sync/engine.js";
import { SyncProgress } from "../../data-loaders/sync/progress.js";
import { replayArchive } from "../../data-loaders/sync/replay.js";
import { validateRecord, type QuarantineEntry } from "../../data-loaders/sync/validate.js";

const TOKEN = "tickets-test-token-0123456789";
/** One of the four records served is broken on purpose: over the default 2 % quarantine threshold. */
const SETTINGS = { SI_PSEUDONYM_KEY: "k".repeat(32), SI_QUARANTINE_MAX_SHARE: "0.5" };

// The vendor's record, as its docs describe it.
const Ticket = z.object({ id: z.string().min(1), opened_at: z.iso.datetime({ offset: true }), subject: z.string() });
const TicketList = z.object({ tickets: z.array(z.unknown()) });

const TICKETS_TABLE: TableSpec = {
  source: "tickets",
  name: "tickets",
  primaryKey: ["ticket_id"],
  partitionColumn: "opened_at",
  columns: { ticket_id: "VARCHAR", opened_at: "TIMESTAMP", content_hash: "VARCHAR", record_json: "VARCHAR" },
};

const TicketsEnv = z.object({ TICKETS_BASE_URL: url.optional(), TICKETS_TOKEN: optionalText });
const TicketsConfig = z.object({ baseUrl: z.string(), token: z.string() });
type TicketsConfig = z.infer<typeof TicketsConfig>;

/** Rows and quarantined records of one archived (or just fetched) response body. */
function mapTickets(body: string): { rows: MappedRow[]; problems: QuarantineEntry[]; records: number } {
  const list = TicketList.parse(JSON.parse(body));
  const rows: MappedRow[] = [];
  const problems: QuarantineEntry[] = [];
  for (const raw of list.tickets) {
    const checked = validateRecord({ source: "tickets", stream: "tickets" }, Ticket, raw, (record) => String((record as { id?: unknown }).id ?? "unknown"));
    if (!checked.ok) {
      problems.push(...checked.problems);
      continue;
    }
    const recordJson = JSON.stringify(checked.value);
    rows.push({ ticket_id: checked.value.id, opened_at: new Date(checked.value.opened_at), content_hash: contentHash(recordJson), record_json: recordJson });
  }
  return { rows, problems, records: list.tickets.length };
}

async function syncTickets(ctx: SourceRunContext) {
  const config = TicketsConfig.parse(ctx.config.sources.tickets);
  const http = createHttpClient({ source: "tickets", defaultPolicy: ticketsSource.retryPolicy?.() ?? jitteredExponentialPolicy(), budgetMs: ctx.config.httpTimeBudgetMs, ...ctx.http });
  const archive = await ctx.lake.openRawArchive("tickets", ctx.runId);
  try {
    const listUrl = `${config.baseUrl}/tickets`;
    const response = await http.requestJson({ method: "GET", url: listUrl, headers: { authorization: `Bearer ${config.token}` } });
    await archive.append({ fetchedAt: new Date().toISOString(), method: "GET", url: listUrl, status: response.status, body: response.text });
    await archive.flush(); // archived before committed, so --replay can rebuild every committed row
    const { rows, problems, records } = mapTickets(response.text);
    ctx.progress.page("tickets", records);
    const { written } = await commitRows(ctx.lake, TICKETS_TABLE, rows);
    ctx.progress.written("tickets", written);
    await saveQuarantine(ctx, problems);
    ctx.progress.quarantine("tickets", problems.length);
    return { records, quarantined: problems.length };
  } finally {
    await archive.close();
    await http.close();
  }
}

const ticketsSource = defineSource({
  name: "tickets",
  label: "Tickets (test vendor)",
  env: TicketsEnv,
  configuredBy: ["TICKETS_BASE_URL", "TICKETS_TOKEN"],
  secretVariables: ["TICKETS_TOKEN"],
  configure: (env): TicketsConfig => ({
    baseUrl: need(env, "tickets", "TICKETS_BASE_URL", "the vendor's API root"),
    token: need(env, "tickets", "TICKETS_TOKEN", "every request carries it"),
  }),
  secrets: (config) => [config.token],
  tables: [TICKETS_TABLE],
  cursor: "none: every run reads the whole list",
  retryPolicy: () => jitteredExponentialPolicy({ maxAttempts: 3 }),
  sync: syncTickets,
  replay: (ctx) =>
    replayArchive(ctx, "tickets", (response) => {
      const { rows, problems, records } = mapTickets(response.body);
      return { rows: rows.map((row) => ({ spec: TICKETS_TABLE, row })), problems, records };
    }),
  demo: { config: (simulator) => ({ baseUrl: `${simulator.url}/tickets`, token: "demo" }) },
});

/** The registry's sources plus this one: what an organisation's own build would list. */
const SOURCES_WITH_TICKETS = [...SOURCE_DEFINITIONS, ticketsSource];

const STAGING_MODEL = `-- One row per ticket of the test vendor.
-- @column ticket_id: the vendor's ticket id
-- @column opened_at: when it was opened (UTC)
-- @column subject: its subject line
-- @unique ticket_id
-- @not_null ticket_id, opened_at
SELECT ticket_id, opened_at, from_json(record_json, '{"subject": "VARCHAR"}').subject AS subject FROM tickets.tickets`;

const MART_MODEL = `-- Test vendor tickets, one row per ticket, with the UTC day it was opened.
-- @column ticket_id: the vendor's ticket id
-- @column opened_date: UTC day it was opened
-- @column subject: its subject line
-- @unique ticket_id
SELECT ticket_id, CAST(opened_at AS DATE) AS opened_date, subject FROM staging.stg_tickets__tickets`;

let dir: string;
let server: Server;
let baseUrl: string;
const requests: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "si-extra-source-"));
  server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url} ${request.headers.authorization ?? "-"}`);
    if (request.headers.authorization !== `Bearer ${TOKEN}`) {
      response.writeHead(401, { "content-type": "application/json" }).end('{"error":"unauthorised"}');
      return;
    }
    const tickets = [
      { id: "T-1", opened_at: "2026-05-01T09:30:00Z", subject: "Cannot log in" },
      { id: "T-2", opened_at: "2026-05-02T23:59:00+02:00", subject: "Invoice missing" },
      { id: "T-3", opened_at: "2026-04-30T08:00:00Z", subject: "Export is slow" },
      { opened_at: "2026-05-02T10:00:00Z", subject: "no id: quarantined, never dropped in silence" },
    ];
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ tickets }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

describe("a source defined outside the registry", () => {
  it("is configured from its own variables, and its secrets are known", () => {
    const env = { ...SETTINGS, SI_LAKE_DIR: join(dir, "config-lake"), TICKETS_BASE_URL: baseUrl, TICKETS_TOKEN: TOKEN };
    const config = loadConfig(env, SOURCES_WITH_TICKETS);
    expect(config.demo).toBe(false);
    expect(config.sources).toEqual({ tickets: { baseUrl, token: TOKEN } });
    expect(secretsOf(config, SOURCES_WITH_TICKETS)).toContain(TOKEN);
    expect(() => loadConfig({ ...env, TICKETS_TOKEN: undefined }, SOURCES_WITH_TICKETS)).toThrow(/tickets is half-configured: TICKETS_TOKEN is missing/);
    expect(() => loadConfig({ ...env, TICKETS_BASE_URL: "ftp://x" }, SOURCES_WITH_TICKETS)).toThrow(/TICKETS_BASE_URL/);
  });

  it("syncs end to end into the lake and a staging model and mart over it", async () => {
    const lakeDir = join(dir, "lake");
    const config = loadConfig({ ...SETTINGS, SI_LAKE_DIR: lakeDir, TICKETS_BASE_URL: baseUrl, TICKETS_TOKEN: TOKEN }, SOURCES_WITH_TICKETS);
    const lines: string[] = [];
    const result = await runSync(config, { args: parseSyncArgs(["--now", "2026-05-03T00:00:00Z", "--skip-models"]), progress: new SyncProgress((line) => lines.push(line)), sources: SOURCES_WITH_TICKETS });
    expect(result.exitCode, lines.join("\n")).toBe(0);
    expect(result.results.tickets).toMatchObject({ records: 4, quarantined: 1 });
    // The registry's own sources are not configured here, so they are not run.
    expect(Object.keys(result.results)).toEqual(["tickets"]);
    expect(requests).toContain(`GET /api/tickets Bearer ${TOKEN}`);

    const models = join(dir, "models");
    await cp(MODELS_DIR, models, { recursive: true, filter: (source) => !source.endsWith(".ts") });
    await mkdir(join(models, "staging"), { recursive: true });
    await writeFile(join(models, "staging", "stg_tickets__tickets.sql"), STAGING_MODEL);
    await writeFile(join(models, "marts", "tickets.sql"), MART_MODEL);
    const built = await buildModels(lakeDir, { publishText: false, demo: false, builtAt: new Date("2026-05-03T00:00:00Z"), modelsDir: models });
    expect(built.map((mart) => mart.name)).toContain("tickets");

    const db = await openLakeDuckDB(lakeDir);
    try {
      const rows = await db.queryRows(`SELECT ticket_id, CAST(opened_date AS VARCHAR) AS opened_date, subject FROM read_parquet(${quoteLiteral(martPath(lakeDir, "tickets"))}) ORDER BY ticket_id`);
      expect(rows).toEqual([
        { ticket_id: "T-1", opened_date: "2026-05-01", subject: "Cannot log in" },
        { ticket_id: "T-2", opened_date: "2026-05-02", subject: "Invoice missing" },
        { ticket_id: "T-3", opened_date: "2026-04-30", subject: "Export is slow" },
      ]);
      const quarantined = await db.queryRows("SELECT DISTINCT source, field_path FROM main.quarantine");
      expect(quarantined).toEqual([{ source: "tickets", field_path: "id" }]);
    } finally {
      db.close();
    }
  }, 120_000);

  it("rebuilds from its raw archive with --replay, fetching nothing", async () => {
    const lakeDir = join(dir, "lake");
    const before = requests.length;
    const config = loadConfig({ ...SETTINGS, SI_LAKE_DIR: lakeDir, TICKETS_BASE_URL: baseUrl, TICKETS_TOKEN: TOKEN }, SOURCES_WITH_TICKETS);
    const result = await runSync(config, { args: parseSyncArgs(["--replay", "--skip-models"]), progress: new SyncProgress(() => {}), sources: SOURCES_WITH_TICKETS });
    expect(result.exitCode).toBe(0);
    expect(result.results.tickets).toMatchObject({ records: 4, quarantined: 1 });
    expect(requests.length).toBe(before);
  }, 60_000);
});
