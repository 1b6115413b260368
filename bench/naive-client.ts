/**
 * The baseline: LivePerson search fetched the way public scripts do it. One request at
 * a time, a new TCP connection for every request (node:http with no agent, so no
 * keep-alive), windows of a month (the most the API allows), offset pages of 100, each
 * body parsed as JSON and its records counted. No validation, no partial-record
 * re-fetch, nothing written: the cheapest possible client with that request pattern,
 * so "our speed / baseline" is not flattered by a slow baseline.
 *
 *   node --import tsx bench/naive-client.ts --url http://127.0.0.1:PORT --from MS --to MS
 *
 * Prints one JSON line: {records, requests, seconds}.
 */
import { request } from "node:http";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { DEMO_CREDENTIALS } from "../simulator/index.js";

const MONTH_MS = 30 * 24 * 3600 * 1000;
const PAGE_SIZE = 100;

export interface NaiveResult {
  records: number;
  requests: number;
  seconds: number;
}

function call(url: string, method: "GET" | "POST", body?: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        agent: false, // a fresh connection per request, closed after it
        headers: {
          authorization: `Bearer ${DEMO_CREDENTIALS.liveperson.bearerToken}`,
          connection: "close",
          ...(body === undefined ? {} : { "content-type": "application/json", "content-length": Buffer.byteLength(body) }),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          if (response.statusCode !== 200) reject(new Error(`HTTP ${response.statusCode} from ${url}: ${text.slice(0, 200)}`));
          else resolve(JSON.parse(text) as unknown);
        });
        response.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) current = current !== null && typeof current === "object" ? (current as Record<string, unknown>)[key] : undefined;
  return current;
}

export async function fetchNaively(simulatorUrl: string, from: number, to: number): Promise<NaiveResult> {
  const started = performance.now();
  const account = DEMO_CREDENTIALS.liveperson.accountId;
  const domain = field(await call(`${simulatorUrl}/liveperson/csds/api/account/${account}/service/engHistDomain/baseURI.json?version=1.0`, "GET"), "baseURI");
  if (typeof domain !== "string") throw new Error("CSDS answered without a baseURI");
  // Search requests only (the one CSDS lookup is not a page), as counted for our sync.
  let requests = 0;
  let records = 0;
  for (let windowFrom = from; windowFrom < to; windowFrom += MONTH_MS) {
    const body = JSON.stringify({ start: { from: windowFrom, to: Math.min(windowFrom + MONTH_MS, to) } });
    for (let offset = 0; ; offset += PAGE_SIZE) {
      const page = await call(`http://${domain}/interaction_history/api/account/${account}/interactions/search?offset=${offset}&limit=${PAGE_SIZE}&sort=start:asc`, "POST", body);
      requests += 1;
      const batch = field(page, "interactionHistoryRecords");
      const count = Number(field(page, "_metadata", "count") ?? 0);
      const received = Array.isArray(batch) ? batch.length : 0;
      records += received;
      if (received === 0 || offset + PAGE_SIZE >= count) break;
    }
  }
  return { records, requests, seconds: (performance.now() - started) / 1000 };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { url: { type: "string" }, from: { type: "string" }, to: { type: "string" } } });
  if (!values.url || !values.from || !values.to) {
    process.stderr.write("usage: node --import tsx bench/naive-client.ts --url URL --from EPOCH_MS --to EPOCH_MS\n");
    process.exit(2);
  }
  const result = await fetchNaively(values.url, Number(values.from), Number(values.to));
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
