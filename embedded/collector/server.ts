/**
 * The reference collector: a small node:http server that takes the recorder's batches
 * (`POST /events`), checks the token, the size and every event against the shared
 * schemas, and appends the events as NDJSON (store.ts), answering only once they are
 * fsync'ed. A batch is taken whole or refused whole:
 *
 * - 200 `{"accepted": n, "duplicates": d}`: stored (duplicates were already stored);
 * - 400 `{"error": "…"}`: malformed, nested too deeply or oversized, never worth sending again;
 * - 401: no token or a wrong one;
 * - 500: the events could not be stored; send them again.
 *
 * Requests are answered with CORS headers (`--allow-origin`), and a browser's
 * preflight is answered too, though the recorder sends simple requests that need none.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parseJsonText } from "../json-text.js";
import { EventBatch, formatIssuePath } from "../schemas.js";
import { EventStore, type CollectorFileSystem, type StoredLine } from "./store.js";

export interface CollectorOptions {
  /** Where the day files go. */
  outputDir: string;
  /** Accepted ingestion tokens (more than one while rotating). */
  tokens: readonly string[];
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Largest body accepted, in bytes (default 1 MiB). */
  maxBodyBytes?: number;
  /** Most events in one batch (default 1000). */
  maxEventsPerBatch?: number;
  /** `Access-Control-Allow-Origin` (default `*`: the token, not the origin, is the credential). */
  allowOrigin?: string;
  /** Days of stored ids remembered for de-duplication (default 14). */
  dedupeDays?: number;
  fileSystem?: CollectorFileSystem;
  now?: () => Date;
  log?: (line: string) => void;
}

export interface CollectorStats {
  batches: number;
  accepted: number;
  duplicates: number;
  /** Requests answered 400. */
  rejected: number;
  unauthorized: number;
  /** Requests answered 500 (storage failed). */
  failed: number;
}

export interface RunningCollector {
  url: string;
  port: number;
  stats(): CollectorStats;
  /** Stops taking connections, lets requests under way finish, closes the files. */
  close(): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_MAX_EVENTS_PER_BATCH = 1000;

class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const digest = (text: string) => createHash("sha256").update(text).digest();

/** Token from `Authorization: Bearer …` or, for sendBeacon (which cannot set headers), the `token` query parameter. */
function presentedToken(request: IncomingMessage, url: URL): string | undefined {
  const header = request.headers.authorization;
  const bearer = header?.match(/^Bearer\s+(.+)$/i)?.[1];
  return bearer?.trim() ?? url.searchParams.get("token") ?? undefined;
}

function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    request.on("data", (chunk: Buffer) => {
      if (failed) return; // the rest is read and thrown away, so the client gets to read the answer
      size += chunk.length;
      if (size > limit) {
        failed = true;
        chunks.length = 0;
        reject(new RequestError(400, `the body exceeds the limit of ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    request.on("error", (error) => {
      if (!failed) reject(error);
    });
  });
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** The batch's events as NDJSON lines, or a RequestError saying what is wrong with it. */
function parseBatch(body: Buffer, maxEvents: number, receivedAt: string): StoredLine[] {
  if (body.length === 0) throw new RequestError(400, "the body is empty: send {\"events\": [...]}");
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new RequestError(400, "the body is not valid UTF-8");
  }
  const parsedJson = parseJsonText(text);
  // A body too deep for the schemas and JSON.stringify would fail the same way every time it is sent again: 400, not 500.
  if (!parsedJson.ok) throw new RequestError(400, `the body is ${parsedJson.message}`);
  const json = parsedJson.value;
  const count = json !== null && typeof json === "object" && Array.isArray((json as { events?: unknown }).events) ? (json as { events: unknown[] }).events.length : 0;
  if (count > maxEvents) throw new RequestError(400, `a batch holds at most ${maxEvents} events; this one holds ${count}`);
  const parsed = EventBatch.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((issue) => `${formatIssuePath(issue.path)}: ${issue.message}`);
    const more = parsed.error.issues.length > 5 ? ` (and ${parsed.error.issues.length - 5} more)` : "";
    throw new RequestError(400, `invalid batch: ${issues.join("; ")}${more}`);
  }
  // The events as sent (unknown fields kept), plus when they arrived.
  const raw = (json as { events: Record<string, unknown>[] }).events;
  return raw.map((event) => ({ id: String(event.id), line: `${JSON.stringify({ ...event, receivedAt })}\n` }));
}

export async function startCollector(options: CollectorOptions): Promise<RunningCollector> {
  if (options.tokens.length === 0 || options.tokens.some((token) => token.length < 8)) {
    throw new Error("the collector needs at least one token of 8 characters or more");
  }
  const tokenDigests = options.tokens.map(digest);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxEvents = options.maxEventsPerBatch ?? DEFAULT_MAX_EVENTS_PER_BATCH;
  const allowOrigin = options.allowOrigin ?? "*";
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => {});
  const store = new EventStore(options.outputDir, { fileSystem: options.fileSystem, dedupeDays: options.dedupeDays, now });
  const remembered = await store.open();
  const stats: CollectorStats = { batches: 0, accepted: 0, duplicates: 0, rejected: 0, unauthorized: 0, failed: 0 };

  const authorized = (token: string | undefined) => {
    if (token === undefined) return false;
    const presented = digest(token);
    // Compare digests: equal lengths, and no early exit that would time the token.
    return tokenDigests.reduce((match, expected) => timingSafeEqual(presented, expected) || match, false);
  };

  const answer = (response: ServerResponse, status: number, body: unknown, close = false) => {
    const text = JSON.stringify(body);
    response.writeHead(status, {
      "content-type": "application/json; charset=utf-8",
      "content-length": Buffer.byteLength(text),
      "cache-control": "no-store",
      ...(close ? { connection: "close" } : {}),
    });
    response.end(text);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    let url: URL;
    try {
      url = new URL(request.url ?? "/", "http://collector.invalid");
    } catch {
      stats.rejected += 1;
      request.resume();
      answer(response, 400, { error: "the request target is not a URL: events go to POST /events" }, true);
      return;
    }
    response.setHeader("access-control-allow-origin", allowOrigin);
    if (allowOrigin !== "*") response.setHeader("vary", "origin");
    if (request.method === "OPTIONS") {
      response.writeHead(204, {
        "access-control-allow-methods": "POST, OPTIONS",
        "access-control-allow-headers": "content-type, authorization",
        "access-control-max-age": "600",
      });
      response.end();
      return;
    }
    if (url.pathname === "/health" && (request.method === "GET" || request.method === "HEAD")) {
      answer(response, 200, { ok: true });
      return;
    }
    if (url.pathname !== "/events") {
      request.resume();
      answer(response, 404, { error: "not found: events go to POST /events" });
      return;
    }
    if (request.method !== "POST") {
      request.resume();
      response.setHeader("allow", "POST, OPTIONS");
      answer(response, 405, { error: "use POST" });
      return;
    }
    if (!authorized(presentedToken(request, url))) {
      stats.unauthorized += 1;
      request.resume();
      answer(response, 401, { error: "missing or wrong token (Authorization: Bearer <token>, or ?token=<token>)" }, true);
      return;
    }
    stats.batches += 1;
    try {
      const declared = Number(request.headers["content-length"]);
      if (Number.isFinite(declared) && declared > maxBodyBytes) {
        request.resume();
        throw new RequestError(400, `the body of ${declared} bytes exceeds the limit of ${maxBodyBytes} bytes`);
      }
      const body = await readBody(request, maxBodyBytes);
      const lines = parseBatch(body, maxEvents, now().toISOString());
      let result;
      try {
        result = await store.append(lines);
      } catch (error) {
        stats.failed += 1;
        log(`could not store a batch of ${lines.length} events: ${error instanceof Error ? error.message : String(error)}`);
        answer(response, 500, { error: "the events could not be stored; send them again" });
        return;
      }
      stats.accepted += result.accepted;
      stats.duplicates += result.duplicates;
      answer(response, 200, result);
    } catch (error) {
      if (error instanceof RequestError) {
        stats.rejected += 1;
        answer(response, error.status, { error: error.message }, true);
        return;
      }
      throw error;
    }
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      log(`request failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) answer(response, 500, { error: "internal error" }, true);
      else response.destroy();
    });
  });
  // A sender that stops half-way through a body must not hold a connection for long.
  server.requestTimeout = 60_000;
  server.headersTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  log(`collector listening on ${url}/events, writing to ${options.outputDir} (${remembered} event ids remembered for de-duplication)`);
  let closing: Promise<void> | undefined;
  return {
    url,
    port: address.port,
    stats: () => ({ ...stats }),
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await closed;
        await store.close();
      })();
      return closing;
    },
  };
}
