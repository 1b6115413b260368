/**
 * Writes the simulator's Upscope sessions older than a week as weekly export files, the
 * way demo mode does before each sync (data-loaders/sync/engine.ts): the history a
 * customer's Upscope exports would hold. A week file is rewritten only when its content
 * changed, so on the next night only the new week's file looks new to the sync.
 *
 *   node --import tsx bench/drivers/export-session-files.ts --dir DIR --seed N --days N --scale X --now ISO
 *
 * Prints one JSON line: {files, sessions}.
 */
import { parseArgs } from "node:util";
import { DEMO_SESSION_FILES_LAG_DAYS } from "../../data-loaders/upscope/source.js";
import { exportUpscopeSessionFiles } from "../../simulator/index.js";

const { values } = parseArgs({
  options: { dir: { type: "string" }, seed: { type: "string" }, days: { type: "string" }, scale: { type: "string" }, now: { type: "string" } },
});
if (!values.dir || !values.now) {
  process.stderr.write("usage: --dir DIR --now ISO [--seed N] [--days N] [--scale X]\n");
  process.exit(2);
}
const now = Date.parse(values.now);
const result = await exportUpscopeSessionFiles(
  { seed: Number(values.seed ?? 1), days: Number(values.days ?? 180), scale: Number(values.scale ?? 1), now },
  values.dir,
  { startedBefore: now - DEMO_SESSION_FILES_LAG_DAYS * 24 * 3600 * 1000 },
);
process.stdout.write(`${JSON.stringify({ files: result.files.length, sessions: result.sessions })}\n`);
