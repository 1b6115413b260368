/**
 * The LivePerson sync's fetch path alone: the sync's own client, windows and
 * `readWindow` (paging, partial pages asked again, partial records fetched again by id,
 * zod validation, mapping) with the sync's window concurrency, but no raw archive and
 * no lake commit. Against the full sync it shows what the lake writes cost; against the
 * bound it shows how well the fetch keeps C requests in flight.
 *
 *   node --import tsx bench/drivers/liveperson-fetch.ts --url URL --from MS --to MS --concurrency C
 *
 * Prints one JSON line: {records, requests, seconds}.
 */
import { parseArgs } from "node:util";
import { createHttpClient } from "../../data-loaders/http/index.js";
import { livePersonPolicy } from "../../data-loaders/liveperson/retry-policy.js";
import { LivePersonClient } from "../../data-loaders/liveperson/client.js";
import { planWindows, readWindow } from "../../data-loaders/liveperson/stream.js";
import { WINDOW_MS, WINDOWS_PER_REQUEST_SLOT } from "../../data-loaders/liveperson/sync.js";
import { createPseudonymizer } from "../../data-loaders/privacy.js";
import { DEMO_CREDENTIALS } from "../../simulator/index.js";

const { values } = parseArgs({ options: { url: { type: "string" }, from: { type: "string" }, to: { type: "string" }, concurrency: { type: "string" } } });
if (!values.url || !values.from || !values.to) {
  process.stderr.write("usage: --url URL --from EPOCH_MS --to EPOCH_MS [--concurrency C]\n");
  process.exit(2);
}
const concurrency = Number(values.concurrency ?? 4);
const http = createHttpClient({ source: "liveperson", defaultPolicy: livePersonPolicy(), maxConcurrency: concurrency });
const client = new LivePersonClient(
  {
    accountId: DEMO_CREDENTIALS.liveperson.accountId,
    csdsUrl: `${values.url}/liveperson/csds`,
    auth: { kind: "bearer", token: DEMO_CREDENTIALS.liveperson.bearerToken },
    source: "SupportInsights",
    concurrency,
  },
  http,
);
const pseudonym = createPseudonymizer("support-insights-benchmark-pseudonym-key");
// The sync's windows and window pool (data-loaders/liveperson/sync.ts).
const windows = planWindows(Number(values.from), Number(values.to), WINDOW_MS);
const started = performance.now();
let records = 0;
let requests = 0;
let next = 0;
const worker = async () => {
  for (let index = next++; index < windows.length; index = next++) {
    const window = windows[index];
    if (!window) break;
    const result = await readWindow(client, window, pseudonym, { onPage: async () => void (requests += 1), onRetry: () => {} });
    records += result.records;
  }
};
await Promise.all(Array.from({ length: WINDOWS_PER_REQUEST_SLOT * concurrency }, worker));
const seconds = (performance.now() - started) / 1000;
await http.close();
process.stdout.write(`${JSON.stringify({ records, requests, seconds })}\n`);
