/**
 * Memory check: starts the simulator at --scale 50, pages through a full month of
 * LivePerson search (limit 100) and prints the peak RSS, sampled every 50 ms.
 * Run: npx tsx simulator/measure-memory.ts [--scale 50] [--days 31]
 */
import { parseArgs } from "node:util";
import { request } from "undici";
import { SearchResponseEnvelope } from "../data-loaders/liveperson/schemas.js";
import { DEMO_CREDENTIALS, startSimulator } from "./index.js";

const { values } = parseArgs({ options: { scale: { type: "string" }, days: { type: "string" } } });
const scale = Number(values.scale ?? 50);
const days = Number(values.days ?? 31);
const now = Date.parse("2026-11-20T12:00:00Z");

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
let peakRss = process.memoryUsage().rss;
const samples: number[] = [];
const sampler = setInterval(() => {
  const rss = process.memoryUsage().rss;
  peakRss = Math.max(peakRss, rss);
  samples.push(rss);
}, 50);

const simulator = await startSimulator({ port: 0, seed: 1, scale, now, days: 180 });
const url = `${simulator.url}/liveperson/interaction_history/api/account/${DEMO_CREDENTIALS.liveperson.accountId}/interactions/search`;
const filter = JSON.stringify({ start: { from: now - days * 86_400_000, to: now } });
const startedAt = Date.now();
let records = 0;
let pages = 0;
let count = 0;
const rssAtPage: number[] = [];
for (let offset = 0; offset === 0 || offset < count; offset += 100) {
  const response = await request(`${url}?offset=${offset}&limit=100`, {
    method: "POST",
    headers: { authorization: `Bearer ${DEMO_CREDENTIALS.liveperson.bearerToken}`, "content-type": "application/json" },
    body: filter,
  });
  const page = SearchResponseEnvelope.parse(await response.body.json());
  count = page._metadata.count;
  records += page.interactionHistoryRecords.length;
  pages++;
  if (pages % 200 === 0) rssAtPage.push(process.memoryUsage().rss);
}
// With --expose-gc: what the simulator really retains (its day caches) once garbage is collected.
const collect = (globalThis as { gc?: () => void }).gc;
collect?.();
const retained = process.memoryUsage();
await simulator.stop();
clearInterval(sampler);
const seconds = (Date.now() - startedAt) / 1000;
process.stdout.write(
  [
    `scale ${scale}, ${days}-day window: ${records} records in ${pages} pages (count ${count}) in ${seconds.toFixed(1)} s`,
    `peak RSS ${mb(peakRss)} (${samples.length} samples)`,
    `RSS every 200 pages: ${rssAtPage.map(mb).join(", ")}`,
    collect ? `after GC, simulator still running: heap used ${mb(retained.heapUsed)}, RSS ${mb(retained.rss)}` : "(run with node --expose-gc --import tsx to see the retained heap)",
    "",
  ].join("\n"),
);
