/**
 * `npm run collector`: runs the reference collector until SIGINT or SIGTERM, then
 * finishes the requests under way (their events are fsync'ed and answered) and exits.
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_EVENTS_PER_BATCH, startCollector, type CollectorOptions } from "./server.js";

export const COLLECTOR_HELP = `Usage: npm run collector -- [options]

The reference collector of embedded session events: takes the recorder's batches at
POST /events, checks the token, the size and every event, and appends them as NDJSON
to one file per UTC day (events-YYYY-MM-DD.ndjson) in the output folder, fsync'ed
before it answers. Events already stored (same id) are not stored again.

Options:
  --port N             port to listen on (default 4020; 0 picks a free one)
  --host H             interface (default 127.0.0.1; 0.0.0.0 for every interface)
  --out DIR            output folder (default: EMBEDDED_EVENTS_DIR, the folder the sync reads)
  --max-body-bytes N   largest body accepted (default ${DEFAULT_MAX_BODY_BYTES}); larger ones get 400
  --max-events N       most events per batch (default ${DEFAULT_MAX_EVENTS_PER_BATCH})
  --allow-origin O     Access-Control-Allow-Origin (default *)
  --dedupe-days N      days of stored ids remembered for de-duplication (default 14)
  -h, --help           this text

Environment:
  EMBEDDED_COLLECTOR_TOKEN   the ingestion token (required, 8 characters or more);
                             several tokens separated by commas while rotating

Answers: 200 {"accepted","duplicates"}; 400 {"error"} malformed or oversized;
401 no or wrong token; 500 not stored, send again. GET /health answers 200.
Exit codes: 0 stopped by a signal; 1 failed to start; 2 bad arguments or configuration.`;

export class UsageError extends Error {}

function positiveInteger(name: string, value: string | undefined, fallback: number, allowZero = false): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < (allowZero ? 0 : 1)) throw new UsageError(`${name} must be a ${allowZero ? "non-negative" : "positive"} integer, got "${value}"`);
  return number;
}

export function parseCollectorArgs(argv: readonly string[], env: Record<string, string | undefined> = process.env): CollectorOptions | "help" {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: "string" },
        host: { type: "string" },
        out: { type: "string" },
        "max-body-bytes": { type: "string" },
        "max-events": { type: "string" },
        "allow-origin": { type: "string" },
        "dedupe-days": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return "help";
  const tokens = (env.EMBEDDED_COLLECTOR_TOKEN ?? "")
    .split(",")
    .map((token) => token.trim())
    .filter(Boolean);
  if (tokens.length === 0) throw new UsageError("EMBEDDED_COLLECTOR_TOKEN is not set: the collector refuses to run without a token");
  if (tokens.some((token) => token.length < 8)) throw new UsageError("EMBEDDED_COLLECTOR_TOKEN: every token needs 8 characters or more");
  const out = values.out ?? env.EMBEDDED_EVENTS_DIR?.trim();
  if (!out) throw new UsageError("no output folder: pass --out DIR or set EMBEDDED_EVENTS_DIR");
  return {
    outputDir: resolve(out),
    tokens,
    port: positiveInteger("--port", values.port, 4020, true),
    host: values.host ?? "127.0.0.1",
    maxBodyBytes: positiveInteger("--max-body-bytes", values["max-body-bytes"], DEFAULT_MAX_BODY_BYTES),
    maxEventsPerBatch: positiveInteger("--max-events", values["max-events"], DEFAULT_MAX_EVENTS_PER_BATCH),
    allowOrigin: values["allow-origin"] ?? "*",
    dedupeDays: positiveInteger("--dedupe-days", values["dedupe-days"], 14),
  };
}

async function main(): Promise<void> {
  let options: CollectorOptions | "help";
  try {
    options = parseCollectorArgs(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\nnpm run collector -- --help lists the options.`);
      process.exit(2);
    }
    throw error;
  }
  if (options === "help") {
    console.log(COLLECTOR_HELP);
    return;
  }
  let collector;
  try {
    collector = await startCollector({ ...options, log: (line) => console.error(line) });
  } catch (error) {
    console.error(`collector failed to start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  // The first line on stdout is the endpoint, for scripts and tests that start the collector.
  console.log(`${collector.url}/events`);
  const stop = (signal: string) => {
    console.error(`${signal}: finishing the requests under way`);
    void collector.close().then(() => {
      const stats = collector.stats();
      console.error(`stopped: ${stats.accepted} events stored, ${stats.duplicates} duplicates, ${stats.rejected} batches refused`);
      process.exit(0);
    });
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();
