/**
 * Syncs Upscope into the lake: `upscope.sessions` and `upscope.visitors`.
 *
 * No documented endpoint lists sessions by date, so sessions come two ways:
 *
 * 1. Session files (UPSCOPE_SESSION_FILES): exports or stored webhooks, the history.
 *    A file is read when new or changed (fingerprint in the source state's cursor),
 *    archived (method "FILE": an NDJSON file in chunks of lines, a `.json` file whole),
 *    committed, and only then marked as read. A bad line or record is quarantined by
 *    position and the file is still marked: it is read again only once it changes.
 * 2. The API, for recent sessions: visitors are discovered through `/list` (the latest
 *    visitors; the cap is undocumented and there is no paging), `/list?search=online`,
 *    and every visitor already in the lake (from files or earlier runs) active since the
 *    lower bound; then `GET /visitors/{short_id}` for each (up to `concurrency` at once)
 *    brings the visitor and its recent sessions (the API keeps 30 days of them).
 *
 * Incremental runs fetch only visitors active since the last complete API pass minus the
 * trailing window (never before now − 30 days, where the API has nothing more), plus
 * new or changed files. Listed visitors not active since then are stored from their
 * list copy without another request, unless the lake already holds them as fresh.
 *
 * Exactness: records merge by primary key (a session met in a file and again through
 * its visitor is one row; the later fetch wins); retries happen below the record level
 * (the HTTP client re-reads whole bodies), so a retry never duplicates a record. The
 * raw archive is flushed before every commit, and the API watermark moves only after a
 * complete pass, so a run killed at any point loses nothing: the next run re-reads from
 * the old watermark and the files not yet marked.
 *
 * Limit (documented API): a session is reachable through the API only if its visitor
 * is discovered, i.e. listed (latest or online) at the time of some run, or already
 * known; a new visitor who is not among the latest when a run happens is only seen when
 * their sessions arrive in a session file. A visitor who never co-browsed and was never
 * among the latest listed is not reachable at all.
 */
import { createHttpClient, type HttpClient } from "../http/index.js";
import { openLakeDuckDB, lakeTableExists, type Lake } from "../lake/index.js";
import type { Pseudonymizer } from "../privacy.js";
import { commitRows } from "../sync/commit.js";
import { readFrom, saveQuarantine, type SourceRunContext, type SourceRunResult } from "../sync/context.js";
import { openFilesState, sha256OfFile, WholeFileFingerprint } from "../sync/file-cursor.js";
import { chunkOf, ingestFileLines, replayChunk, type LineSink } from "../sync/file-lines.js";
import { pick } from "../sync/validate.js";
import { UpscopeClient, upscopePolicy, type UpscopeExchange } from "./client.js";
import { ListResponseEnvelope, VisitorResponseEnvelope } from "./schemas.js";
import { isLineDelimited, listSessionFiles, parseSessionFile, readJsonSessionFile, type SessionFileProblem } from "./session-files.js";
import { mapSession, SESSIONS_TABLE, UpscopeCollector, VISITORS_TABLE, type UpscopeBatch } from "./stream.js";

const SOURCE = "upscope";
const DAY_MS = 24 * 3600 * 1000;
/** How far back `GET /visitors/{id}` returns "recent sessions". */
export const RECENT_SESSION_DAYS = 30;
/** Records collected before a commit: bounds memory and the work a crash can cost. */
const COMMIT_EVERY_RECORDS = 1000;
/** The searches that discover visitors: the latest ones, and those online now. */
const DISCOVERY_SEARCHES = ["", "online"] as const;

/** What the lake already knows per visitor (epoch ms). */
interface KnownVisitor {
  lastSeenMs: number | undefined;
  lastSessionMs: number | undefined;
  firstSessionMs: number | undefined;
}

/** The archive URL of a session file: a `file:` URL naming it inside the folder (never the local path). */
export function sessionFileUrl(name: string): string {
  return `file:///${encodeURIComponent(name)}`;
}


function instantMs(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

async function loadKnownVisitors(lake: Lake): Promise<Map<string, KnownVisitor>> {
  const known = new Map<string, KnownVisitor>();
  const hasSessions = await lakeTableExists(lake.root, SOURCE, SESSIONS_TABLE.name);
  const hasVisitors = await lakeTableExists(lake.root, SOURCE, VISITORS_TABLE.name);
  if (!hasSessions && !hasVisitors) return known;
  const reader = await openLakeDuckDB(lake.root);
  const entry = (id: string): KnownVisitor => {
    let value = known.get(id);
    if (!value) known.set(id, (value = { lastSeenMs: undefined, lastSessionMs: undefined, firstSessionMs: undefined }));
    return value;
  };
  const num = (value: unknown) => (value === null || value === undefined ? undefined : Number(value));
  try {
    if (hasSessions) {
      const rows = await reader.queryRows(
        `SELECT visitor_id AS id, min(epoch_ms(started_at)) AS first_start, max(epoch_ms(coalesce(ended_at, started_at))) AS last_session
         FROM upscope.sessions WHERE visitor_id IS NOT NULL GROUP BY visitor_id`,
      );
      for (const row of rows) {
        const value = entry(String(row.id));
        value.firstSessionMs = num(row.first_start);
        value.lastSessionMs = num(row.last_session);
      }
    }
    if (hasVisitors) {
      for (const row of await reader.queryRows("SELECT visitor_id AS id, epoch_ms(last_seen_at) AS last_seen FROM upscope.visitors")) {
        entry(String(row.id)).lastSeenMs = num(row.last_seen);
      }
    }
  } finally {
    reader.close();
  }
  return known;
}

function earliestSessions(known: Map<string, KnownVisitor>): Map<string, number> {
  const earliest = new Map<string, number>();
  for (const [id, value] of known) if (value.firstSessionMs !== undefined) earliest.set(id, value.firstSessionMs);
  return earliest;
}

/**
 * Commits batches one at a time: sessions that carry no visitor id get the one the lake
 * already holds for them (so a re-read export without `visitor_id` does not erase what
 * the API told us), then sessions, visitors and quarantine are written.
 */
class BatchWriter {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly ctx: SourceRunContext,
    private readonly pseudonym: Pseudonymizer,
  ) {}

  commit(batch: UpscopeBatch): Promise<void> {
    const run = this.chain.then(() => this.commitNow(batch));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async commitNow(batch: UpscopeBatch): Promise<void> {
    const { ctx } = this;
    const missing = batch.sessions.filter((pending) => pending.visitorId === undefined).map((pending) => pending.session.id);
    const knownVisitorIds = missing.length > 0 ? await lakeVisitorIdsOf(ctx.lake, missing) : new Map<string, string>();
    const sessionRows = batch.sessions.map((pending) =>
      mapSession(pending.session, this.pseudonym, pending.visitorId ?? knownVisitorIds.get(pending.session.id)),
    );
    const sessions = await commitRows(ctx.lake, SESSIONS_TABLE, sessionRows);
    const visitors = await commitRows(ctx.lake, VISITORS_TABLE, batch.visitors);
    await saveQuarantine(ctx, batch.problems);
    ctx.progress.written(SOURCE, sessions.written + visitors.written);
    if (batch.newlyQuarantined > 0) ctx.progress.quarantine(SOURCE, batch.newlyQuarantined);
  }
}

async function lakeVisitorIdsOf(lake: Lake, sessionIds: readonly string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (!(await lakeTableExists(lake.root, SOURCE, SESSIONS_TABLE.name))) return found;
  const reader = await openLakeDuckDB(lake.root);
  try {
    for (let i = 0; i < sessionIds.length; i += 5000) {
      const keys = sessionIds.slice(i, i + 5000).map((id) => `('${id.replaceAll("'", "''")}')`);
      const rows = await reader.queryRows(
        `SELECT s.session_id AS id, s.visitor_id AS visitor FROM upscope.sessions s JOIN (VALUES ${keys.join(",")}) v(k) ON s.session_id = v.k WHERE s.visitor_id IS NOT NULL`,
      );
      for (const row of rows) found.set(String(row.id), String(row.visitor));
    }
  } finally {
    reader.close();
  }
  return found;
}

/**
 * Adds a session file's records (and its malformed lines, as quarantine entries) to the
 * collector, handing full batches to `commit` as it goes so a large export is not mapped
 * whole in memory. Returns how many records the file held.
 */
async function ingestSessionFile(collector: UpscopeCollector, name: string, text: string, commit: () => Promise<void>): Promise<number> {
  const parsed = parseSessionFile(name, text);
  for (const problem of parsed.problems) addFileProblem(collector, problem);
  for (const record of parsed.records) {
    collector.addSession(record.raw, { fallbackId: record.position });
    if (collector.size >= COMMIT_EVERY_RECORDS) await commit();
  }
  return parsed.records.length + parsed.problems.length;
}

function addFileProblem(collector: UpscopeCollector, problem: SessionFileProblem): void {
  collector.addProblem({ source: SOURCE, stream: "sessions", recordId: problem.position, fieldPath: problem.fieldPath, message: problem.message, raw: problem.raw });
}

/** Lines of an NDJSON session file go to the collector: sessions validated, unreadable lines quarantined as lines. */
function sessionSink(collector: UpscopeCollector): LineSink {
  return {
    value: (raw, position) => collector.addSession(raw, { fallbackId: position }),
    problem: (position, message, raw) => addFileProblem(collector, { position, fieldPath: "(line)", message, raw }),
  };
}

/** An archived session file (a chunk of an NDJSON file, or a whole `.json` file) into the collector, as the sync read it. */
async function replaySessionFile(collector: UpscopeCollector, entry: { url: string; body: string; requestBody?: unknown }, commit: () => Promise<void>): Promise<number> {
  const { name, firstLine } = chunkOf(entry.url);
  if (firstLine !== undefined) return replayChunk(name, entry.body, firstLine, entry.requestBody, sessionSink(collector));
  const unreadable = (entry.requestBody as { unreadable?: SessionFileProblem[] } | undefined)?.unreadable;
  if (Array.isArray(unreadable)) {
    for (const problem of unreadable) addFileProblem(collector, problem);
    return unreadable.length;
  }
  return ingestSessionFile(collector, name, entry.body, commit);
}

/** Adds a visitor response: its sessions first (they date a visitor without `added_at`), then the visitor. */
function ingestVisitor(collector: UpscopeCollector, shortId: string, visitor: Record<string, unknown>): number {
  const sessions = visitor["sessions"];
  const visitorId = pick(visitor, "short_id") ?? shortId;
  let count = 1;
  if (Array.isArray(sessions)) {
    sessions.forEach((raw, index) => collector.addSession(raw, { visitorId, fallbackId: `${visitorId}.sessions[${index}]` }));
    count += sessions.length;
  } else if (sessions !== undefined && sessions !== null) {
    collector.addProblem({ source: SOURCE, stream: "visitors", recordId: visitorId, fieldPath: "sessions", message: "expected an array of sessions", raw: visitor });
  }
  collector.addVisitor(visitor, { fallbackId: shortId });
  return count;
}

export async function syncUpscope(ctx: SourceRunContext): Promise<SourceRunResult> {
  const config = ctx.config.sources.upscope;
  if (!config) throw new Error("upscope is not configured");
  const { state, files } = await openFilesState(ctx.lake, SOURCE, ctx.runId, WholeFileFingerprint);
  const saveState = () => ctx.lake.writeState(SOURCE, state);

  const archive = await ctx.lake.openRawArchive(SOURCE, ctx.runId);
  let http: HttpClient | undefined;
  const writer = new BatchWriter(ctx, ctx.pseudonym);
  const archiveExchange = (exchange: UpscopeExchange) =>
    archive.append({ fetchedAt: new Date().toISOString(), method: "GET", url: exchange.url, status: exchange.status, body: exchange.text });
  // Archive first, commit second: every committed row can be rebuilt by --replay.
  const commit = async (collector: UpscopeCollector) => {
    const batch = collector.take();
    await archive.flush();
    await writer.commit(batch);
  };

  let rereadFromMs: number | undefined;
  let known = await loadKnownVisitors(ctx.lake);
  const collector = new UpscopeCollector(ctx.pseudonym, earliestSessions(known));
  try {
    // 1. Session files: the history.
    if (config.sessionFiles !== undefined) {
      const force = ctx.full || ctx.since !== undefined;
      for (const entry of files.changed(await listSessionFiles(config.sessionFiles), force)) {
        const content = isLineDelimited(entry.name) ? undefined : await readJsonSessionFile(entry);
        const digest = content?.sha256 ?? (await sha256OfFile(entry.path));
        const fingerprint = { size: entry.size, mtimeMs: entry.mtimeMs, sha256: digest };
        const fetchedAt = new Date().toISOString();
        if (!force && files.stored(entry.name)?.sha256 === fingerprint.sha256) {
          // Touched, not changed: remember the new mtime so the next run skips it without reading.
          files.countUnchanged();
        } else if (content === undefined) {
          const read = await ingestFileLines({
            path: entry.path,
            name: entry.name,
            start: 0,
            firstLine: 1,
            lastLine: "take",
            archive,
            sink: sessionSink(collector),
            wantsCommit: () => collector.size >= COMMIT_EVERY_RECORDS,
            commit: () => commit(collector),
          });
          ctx.progress.page(SOURCE, read.lines);
          await commit(collector);
        } else if (content.ok) {
          await archive.append({ fetchedAt, method: "FILE", url: sessionFileUrl(entry.name), status: 200, body: content.text });
          ctx.progress.page(SOURCE, await ingestSessionFile(collector, entry.name, content.text, () => commit(collector)));
          await commit(collector);
        } else {
          // Not text (or too big to read whole): quarantined as a file, archived as such so --replay does the same.
          await archive.append({ fetchedAt, method: "FILE", url: sessionFileUrl(entry.name), status: 200, requestBody: { unreadable: [content.problem] }, body: "" });
          addFileProblem(collector, content.problem);
          ctx.progress.page(SOURCE, 1);
          await commit(collector);
        }
        files.mark(entry.name, fingerprint);
        await saveState();
      }
      ctx.progress.note(`[upscope] session files: ${files.finish()}`);
      known = await loadKnownVisitors(ctx.lake);
    }

    // 2. The API: discover visitors, then fetch each active one with its recent sessions.
    // The client is made here so that reading files does not eat into the retry time budget.
    http = createHttpClient({
      source: SOURCE,
      defaultPolicy: upscopePolicy(),
      maxConcurrency: config.concurrency,
      budgetMs: ctx.config.httpTimeBudgetMs,
      ...ctx.http,
      onEvent: (event) => {
        if (event.type === "retry") ctx.progress.retry(SOURCE);
      },
    });
    const client = new UpscopeClient(config, http);
    const nowMs = ctx.now.getTime();
    const fetchFromMs = Math.max(readFrom(ctx, state.watermarks.visitors).getTime(), nowMs - RECENT_SESSION_DAYS * DAY_MS);
    rereadFromMs = fetchFromMs;
    const listed = new Map<string, unknown>();
    const toFetch = new Set<string>();
    for (const search of DISCOVERY_SEARCHES) {
      const page = await client.listVisitors(search);
      await archiveExchange(page);
      ctx.progress.page(SOURCE, page.visitors.length);
      page.visitors.forEach((raw, index) => {
        const id = pick(raw, "short_id");
        if (id === undefined) {
          collector.addVisitor(raw, { fallbackId: `list "${search}" #${index}` }); // quarantined: no short_id
          return;
        }
        listed.set(id, raw);
        const lastSeen = instantMs(pick(raw, "last_seen_at"));
        if (lastSeen === undefined || lastSeen >= fetchFromMs) toFetch.add(id);
      });
    }
    for (const [id, value] of known) {
      const activity = Math.max(value.lastSeenMs ?? -Infinity, value.lastSessionMs ?? -Infinity);
      if (activity >= fetchFromMs) toFetch.add(id);
    }
    // Listed but idle since the lower bound: no recent session to fetch, so the list copy is
    // the visitor (it also refreshes volatile fields such as is_online; an unchanged copy
    // hashes the same and is not rewritten).
    for (const [id, raw] of listed) if (!toFetch.has(id)) collector.addVisitor(raw, { fallbackId: id });
    ctx.progress.note(
      `[upscope] ${listed.size} visitors listed, ${toFetch.size} to fetch (active since ${new Date(fetchFromMs).toISOString()})`,
    );

    const ids = [...toFetch].sort();
    let next = 0;
    let gone = 0;
    const worker = async () => {
      for (let index = next++; index < ids.length; index = next++) {
        const id = ids[index] as string;
        const page = await client.getVisitor(id);
        await archiveExchange(page);
        if (page.visitor === null) {
          // 404: the visitor is gone. Keep what the lake has; a list copy from this run still counts.
          gone += 1;
          const listCopy = listed.get(id);
          if (listCopy !== undefined) collector.addVisitor(listCopy, { fallbackId: id });
          ctx.progress.page(SOURCE, 0);
          continue;
        }
        ctx.progress.page(SOURCE, ingestVisitor(collector, id, page.visitor));
        if (collector.size >= COMMIT_EVERY_RECORDS) await commit(collector);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, config.concurrency) }, worker));
    await commit(collector);
    if (gone > 0) ctx.progress.note(`[upscope] ${gone} visitors answered 404 (gone); their rows are kept`);
    await crossCheckUsage(ctx, client);

    state.watermarks = { ...state.watermarks, visitors: ctx.now.toISOString() };
    state.lastSuccessAt = new Date().toISOString();
    await saveState();
  } finally {
    await archive.close();
    await http?.close();
  }
  return { ...collector.counts, ...(rereadFromMs === undefined ? {} : { rereadFrom: new Date(rereadFromMs) }) };
}

/**
 * `/usage` counts the account's sessions of the last 30 days; comparing it with the lake
 * shows sessions the documented API could not reach (visitors never discovered), which
 * only a session file will bring. A note, never a failure: its field names are unconfirmed.
 */
async function crossCheckUsage(ctx: SourceRunContext, client: UpscopeClient): Promise<void> {
  try {
    const usage = await client.usage();
    const reported = usage?.usage?.last_30_days?.sessions;
    if (reported === undefined) return;
    const reader = await openLakeDuckDB(ctx.lake.root);
    try {
      const from = new Date(ctx.now.getTime() - RECENT_SESSION_DAYS * DAY_MS).toISOString();
      const [row] = await reader.queryRows(`SELECT count(*) AS n FROM upscope.sessions WHERE started_at >= TIMESTAMP '${from.replace("T", " ").replace("Z", "")}'`);
      ctx.progress.note(`[upscope] /usage reports ${reported} sessions in the last 30 days; the lake holds ${String(row?.n ?? 0)} valid ones`);
    } finally {
      reader.close();
    }
  } catch (error) {
    ctx.progress.note(`[upscope] /usage cross-check skipped: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * `--replay`: rebuilds both tables from the raw archive alone (every run, oldest first,
 * in the order responses were archived), with the decisions the sync made: files and
 * visitor responses as they come; a list copy for each listed visitor that was not
 * fetched (or answered 404) in its run. Not built on sync/replay.ts's per-response
 * mapping because of these cross-response rules, and because re-read files must get
 * their sessions' visitor ids from the lake exactly as in the sync.
 */
export async function replayUpscope(ctx: SourceRunContext): Promise<SourceRunResult> {
  const known = await loadKnownVisitors(ctx.lake);
  const collector = new UpscopeCollector(ctx.pseudonym, earliestSessions(known));
  const writer = new BatchWriter(ctx, ctx.pseudonym);
  const commit = () => writer.commit(collector.take());

  let runId: string | undefined;
  let runList = new Map<string, unknown>();
  let runFetched = new Set<string>();
  const endRun = async () => {
    for (const [id, raw] of runList) if (!runFetched.has(id)) collector.addVisitor(raw, { fallbackId: id });
    runList = new Map();
    runFetched = new Set();
    await commit();
  };

  for await (const entry of ctx.lake.iterateRawArchive(SOURCE)) {
    if (entry.runId !== runId) {
      if (runId !== undefined) await endRun();
      runId = entry.runId;
    }
    if (entry.method === "FILE") {
      ctx.progress.page(SOURCE, await replaySessionFile(collector, entry, commit));
    } else if (entry.method === "GET" && entry.status === 200) {
      const path = new URL(entry.url).pathname;
      let json: unknown;
      try {
        json = JSON.parse(entry.body);
      } catch {
        continue; // not JSON, so the sync cannot have used it (it archives only the bodies it accepted)
      }
      const list = /\/(list|visitors\/list\/(latest|search))$/.test(path) ? ListResponseEnvelope.safeParse(json) : undefined;
      if (list?.success) {
        list.data.visitors.forEach((raw, index) => {
          const id = pick(raw, "short_id");
          if (id !== undefined) runList.set(id, raw);
          else collector.addVisitor(raw, { fallbackId: `list "${new URL(entry.url).searchParams.get("search") ?? ""}" #${index}` }); // no short_id: quarantined again
        });
        ctx.progress.page(SOURCE, list.data.visitors.length);
        continue;
      }
      const visitor = /\/visitors\/[^/]+$/.test(path) ? VisitorResponseEnvelope.safeParse(json) : undefined;
      if (visitor?.success) {
        const id = pick(visitor.data.visitor, "short_id") ?? decodeURIComponent(path.slice(path.lastIndexOf("/") + 1));
        runFetched.add(id);
        ctx.progress.page(SOURCE, ingestVisitor(collector, id, visitor.data.visitor));
      }
    }
    if (collector.size >= COMMIT_EVERY_RECORDS) await commit();
  }
  await endRun();
  return collector.counts;
}
