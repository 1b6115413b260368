/**
 * The `npm run sync` command line: parsed with node:util, validated, and
 * documented in one place (the help text is the reference the README points to).
 */
import { parseArgs } from "node:util";
import { SOURCE_DEFINITIONS, SOURCES, type SourceName } from "../sources/index.js";

export const EXIT = {
  /** Everything synced; quarantined records, if any, stayed under the threshold. */
  OK: 0,
  /** A source failed (network, auth, budget) or the quarantine threshold was exceeded. */
  SYNC_FAILED: 1,
  /** Bad command line or configuration (a half-configured source, an invalid value). */
  USAGE: 2,
} as const;

export const SYNC_HELP = `Usage: npm run sync -- [options]

Pulls every configured source into the Parquet lake, then rebuilds the SQL
models. With no source configured in the environment it runs in demo mode
against the embedded simulator.

Sources:
${SOURCE_DEFINITIONS.map((source) => `  ${source.name.padEnd(14)}  ${source.label}`).join("\n")}

Options:
  --source NAME   only this source (one of the above; repeatable)
  --since DATE    re-read from this date (YYYY-MM-DD or ISO 8601), ignoring the
                  stored watermark; records fetched again replace the old ones
  --full          re-read the whole history (SI_HISTORY_DAYS, default 395 days)
  --replay        fetch nothing: rebuild the lake tables and models from the raw
                  responses archived by earlier runs (this also restores a month
                  file that was lost or damaged)
  --now ISO       the clock to sync up to (default: now); for reproducible runs
  --skip-models   sync the lake only; do not rebuild the marts the pages read
  --quiet         no progress lines, only the summary and errors
  -h, --help      this text

Progress goes to stderr: pages, records per second, retries, quarantined.

The lake: one run at a time (the second exits 1 naming the holder of
<lake>/_lake.lock; a lock left by a killed run is taken over). A lake filled from
configured sources refuses a demo run and the reverse (exit 2). Before writing,
every month file is checked against the lake's record (_inventory.json per
table); one lost, truncated or changed is set aside under _damaged/ and its
source rebuilt from the raw archive, and the run fails (exit 1, marts left as
they were) if the recorded rows do not all come back.

Exit codes: 0 success; 1 a source failed, quarantined records exceeded
SI_QUARANTINE_MAX_SHARE, a damaged month file could not be restored, or another
run holds the lake; 2 bad arguments or configuration (a .env line that cannot be
read, a lake filled by the other kind of run).
Configuration: environment variables, listed in README.md ("Configuration").`;

export interface SyncArgs {
  sources: SourceName[];
  since: Date | undefined;
  full: boolean;
  replay: boolean;
  now: Date | undefined;
  skipModels: boolean;
  quiet: boolean;
  help: boolean;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

function parseDate(flag: string, value: string): Date {
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) throw new UsageError(`${flag} expects a date such as 2026-01-31 or 2026-01-31T12:00:00Z, not "${value}"`);
  return date;
}

export function parseSyncArgs(argv: readonly string[]): SyncArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        source: { type: "string", multiple: true },
        since: { type: "string" },
        full: { type: "boolean", default: false },
        replay: { type: "boolean", default: false },
        now: { type: "string" },
        "skip-models": { type: "boolean", default: false },
        quiet: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const sources = (values.source ?? []).map((name) => {
    if (!(SOURCES as readonly string[]).includes(name)) throw new UsageError(`--source must be one of ${SOURCES.join(", ")}, not "${name}"`);
    return name as SourceName;
  });
  if (values.full && values.since !== undefined) throw new UsageError("--full and --since contradict each other: pick one");
  if (values.replay && (values.full || values.since !== undefined)) throw new UsageError("--replay fetches nothing, so --full and --since do not apply");
  return {
    sources: [...new Set(sources)],
    since: values.since === undefined ? undefined : parseDate("--since", values.since),
    full: values.full ?? false,
    replay: values.replay ?? false,
    now: values.now === undefined ? undefined : parseDate("--now", values.now),
    skipModels: values["skip-models"] ?? false,
    quiet: values.quiet ?? false,
    help: values.help ?? false,
  };
}
