/**
 * The settings every run shares (the lake, privacy, contracts, the demo simulator),
 * the zod checks the sources' own variables are built from, and the shape of a run's
 * configuration. Each source declares its variables and configuration in its own
 * folder (`<source>/config.ts`); config.ts puts them together through the registry.
 */
import { accessSync, constants, existsSync, realpathSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { z } from "zod";
import { SIMULATED_DRIFT_KINDS, type SimulatedDriftKind } from "./drift/policy.js";
import { parseMetricShift, type MetricShift } from "./demo-shift.js";

/** The demo's story: two weeks before the build, LivePerson visitors start waiting twice as long. */
export const DEFAULT_DEMO_SHIFT = "liveperson-wait x2 from day -14";

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

export const nonEmpty = z.string().trim().min(1);
export const optionalText = nonEmpty.optional();
/** An http(s) URL without user or password in it (those would end up in logs and archives). */
export const url = z
  .url({ protocol: /^https?$/, message: "expected an http:// or https:// URL" })
  .refine((value) => {
    if (!URL.canParse(value)) return true; // already reported by z.url
    const parsed = new URL(value);
    return parsed.username === "" && parsed.password === "";
  }, "the URL must not carry a user or password: credentials go in their own variables");
/**
 * A whole number written in plain decimal digits, from `min` to `max`. z.coerce.number()
 * took "0x10", "1e3" and " 12 " (and "1e9" days made an invalid date that exited 0).
 */
export const wholeNumber = (min: number, max: number, unit = "") =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, "expected a whole number in plain decimal digits (e.g. 30), not hex, an exponent or a fraction")
    .transform(Number)
    .pipe(z.number().min(min, `expected at least ${min}${unit && ` ${unit}`}`).max(max, `expected at most ${max}${unit && ` ${unit}`}`));
/** A plain decimal number (`0.02`, `1`, `.5`), from `min` to `max`. */
const decimal = (min: number, max: number, what: string) =>
  z
    .string()
    .trim()
    .regex(/^(\d+(\.\d*)?|\.\d+)$/, `expected ${what} as a plain decimal number (e.g. 0.02), not a percentage, hex or an exponent`)
    .transform(Number)
    .pipe(z.number().min(min, `expected ${what} of at least ${min}`).max(max, `expected ${what} of at most ${max}`));
const share = decimal(0, 1, "a share between 0 and 1");
/** Requests a source keeps in flight at once. */
export const concurrency = wholeNumber(1, 32, "requests at once");
const flag = z
  .enum(["true", "false", "1", "0", "yes", "no"], { message: "expected true or false (also 1/0, yes/no)" })
  .transform((value) => value === "true" || value === "1" || value === "yes");

/** True when the runtime's ICU data knows the IANA zone (the same check Agendize's local times need). */
export function isKnownTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Shortest pseudonym key accepted: 16 characters (`openssl rand -hex 32` gives 64). */
export const MIN_PSEUDONYM_KEY_LENGTH = 16;
/** Most days of history read: ten years. LivePerson keeps 13 months (395 days, the default); older windows come back empty. */
export const MAX_HISTORY_DAYS = 3650;

/** The variables every run reads, whatever its sources, with their defaults. */
export const SharedEnvSchema = z.object({
  SI_LAKE_DIR: nonEmpty
    .refine((value) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(value), {
      // DuckDB's httpfs is not built into @duckdb/node-api and would be downloaded at run
      // time; the lake also relies on atomic renames, which object stores do not have.
      message:
        "the lake must be a local folder; to keep it in object storage, mirror the folder (e.g. `aws s3 sync lake/ s3://bucket/lake/`, as .github/workflows/nightly.yml does)",
    })
    .default("lake"),
  // Checked here, not when the first source makes its first pseudonym (which failed each
  // source at run time without naming the variable). The length is never echoed.
  SI_PSEUDONYM_KEY: nonEmpty
    .min(MIN_PSEUDONYM_KEY_LENGTH, `the key must be at least ${MIN_PSEUDONYM_KEY_LENGTH} characters (e.g. \`openssl rand -hex 32\`)`)
    .optional(),
  SI_QUARANTINE_MAX_SHARE: share.default(0.02),
  // A chat is visible only once it has ended, up to 2 h late: the window must cover the
  // longest chat plus those 2 h, or a long chat that ended late falls before it.
  SI_TRAILING_WINDOW_HOURS: wholeNumber(1, 720, "hours").default(6),
  SI_HISTORY_DAYS: wholeNumber(1, MAX_HISTORY_DAYS, "days").default(395),
  SI_HTTP_TIME_BUDGET_SECONDS: wholeNumber(1, 86_400, "seconds").default(3600),
  SI_PUBLISH_VISITOR_IDENTITIES: flag.default(false),
  SI_PUBLISH_TEXT: flag.default(false),
  SI_CONTRACT_MAX_STALE_HOURS: wholeNumber(1, 8760, "hours").default(36),
  SI_CONTRACT_MAX_ROW_DROP: share.default(0.3),
  SI_CONTRACT_MIN_ROWS: wholeNumber(1, 1_000_000_000, "records").default(20),
  SI_DEMO_SEED: wholeNumber(0, 2_147_483_647).default(1),
  SI_DEMO_DAYS: wholeNumber(1, 800, "days").default(180),
  SI_DEMO_SCALE: decimal(0.001, 100, "a scale").default(1),
  SI_DEMO_FAULT_RATE: share.default(0),
  SI_DEMO_SERVED_SHARE: share.default(1),
  // Vendor drift in demo mode: a share of records served off the docs (kept by the sync, counted in the drift ledger).
  SI_DEMO_DRIFT_RATE: share.default(0),
  SI_DEMO_DRIFT_KINDS: z
    .string()
    .transform((value) => value.split(",").map((kind) => kind.trim()).filter(Boolean))
    .pipe(z.array(z.enum(SIMULATED_DRIFT_KINDS, { error: `expected drift kinds among ${SIMULATED_DRIFT_KINDS.join(", ")}, comma-separated` })).min(1))
    .optional(),
  // A real change in demo data, so the pages' noise rules, control charts and digest have one to find.
  SI_DEMO_SHIFT: z
    .string()
    .default(DEFAULT_DEMO_SHIFT)
    .transform((value, ctx) => {
      try {
        return parseMetricShift(value);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: (error as Error).message });
        return z.NEVER;
      }
    }),
});
export type SharedEnv = z.infer<typeof SharedEnvSchema>;

/**
 * Each source's configuration, keyed by its name: every source folder adds its own
 * entry (`declare module "../settings.js"` in `<source>/config.ts`), so a source's
 * sync reads `ctx.config.sources.<name>` typed without this module knowing the
 * sources. A source defined elsewhere (a test's) is reached through the index.
 */
export interface SourceConfigs {
  [source: string]: unknown;
}

export interface SyncConfig {
  /** True when no source is configured: the embedded simulator stands in for all three. */
  demo: boolean;
  lakeDir: string;
  pseudonymKey: string;
  quarantineMaxShare: number;
  trailingWindowHours: number;
  historyDays: number;
  httpTimeBudgetMs: number;
  publish: { visitorIdentities: boolean; text: boolean };
  /** Thresholds of the data contracts a nightly build checks (see contracts.ts). */
  contracts: { maxStaleHours: number; maxRowDrop: number; minRowsForDrop: number };
  /** The embedded simulator's settings in demo mode (a bigger or faultier demo on request). */
  demoSimulator: {
    seed: number;
    days: number;
    scale: number;
    faultRate: number;
    servedShare: number;
    /** Share of records the simulator serves drifted from the docs, and which kinds (all when unset). */
    driftRate: number;
    driftKinds: readonly SimulatedDriftKind[] | undefined;
    /** The demo's deliberate metric shift (none when SI_DEMO_SHIFT=none). */
    shift: MetricShift | undefined;
  };
  sources: SourceConfigs;
}

/** The key demo mode uses to pseudonymise the simulator's synthetic people. */
export const DEMO_PSEUDONYM_KEY = "support-insights-demo-pseudonym-key";

/** The shared part of the configuration; `demo` when no source is configured. */
export function sharedSettings(env: SharedEnv, demo: boolean): Omit<SyncConfig, "sources"> {
  if (!demo && env.SI_PSEUDONYM_KEY === undefined) {
    throw new ConfigError(
      "SI_PSEUDONYM_KEY is missing: with real sources, visitor emails, IPs and names are replaced by keyed pseudonyms, and the key must be your own secret (e.g. `openssl rand -hex 32`).",
    );
  }
  if (!demo && env.SI_PSEUDONYM_KEY === DEMO_PSEUDONYM_KEY) {
    throw new ConfigError("SI_PSEUDONYM_KEY is the demo's published key: with real sources the key must be your own secret (e.g. `openssl rand -hex 32`).");
  }
  return {
    demo,
    lakeDir: env.SI_LAKE_DIR,
    pseudonymKey: env.SI_PSEUDONYM_KEY ?? DEMO_PSEUDONYM_KEY,
    quarantineMaxShare: env.SI_QUARANTINE_MAX_SHARE,
    trailingWindowHours: env.SI_TRAILING_WINDOW_HOURS,
    historyDays: env.SI_HISTORY_DAYS,
    httpTimeBudgetMs: env.SI_HTTP_TIME_BUDGET_SECONDS * 1000,
    publish: { visitorIdentities: env.SI_PUBLISH_VISITOR_IDENTITIES, text: env.SI_PUBLISH_TEXT },
    contracts: { maxStaleHours: env.SI_CONTRACT_MAX_STALE_HOURS, maxRowDrop: env.SI_CONTRACT_MAX_ROW_DROP, minRowsForDrop: env.SI_CONTRACT_MIN_ROWS },
    demoSimulator: {
      seed: env.SI_DEMO_SEED,
      days: env.SI_DEMO_DAYS,
      scale: env.SI_DEMO_SCALE,
      faultRate: env.SI_DEMO_FAULT_RATE,
      servedShare: env.SI_DEMO_SERVED_SHARE,
      driftRate: env.SI_DEMO_DRIFT_RATE,
      driftKinds: env.SI_DEMO_DRIFT_KINDS,
      shift: env.SI_DEMO_SHIFT,
    },
  };
}

/** The value of a variable a configured source cannot do without. */
export function need<Env extends object, K extends keyof Env>(env: Env, source: string, name: K, because: string): NonNullable<Env[K]> {
  const value = env[name];
  if (value === undefined || value === null) {
    throw new ConfigError(`${source} is half-configured: ${String(name)} is missing (${because}).`);
  }
  return value as NonNullable<Env[K]>;
}

/** Kernel and device trees: never a lake, whatever their permissions say to root. */
const SPECIAL_TREES = ["/dev", "/proc", "/sys"];

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && "code" in error ? String(error.code) : undefined;
}

export interface FolderCheck {
  mayNotExist?: boolean;
  writable?: boolean;
  fileToo?: boolean;
}

/**
 * Why `path` cannot serve as the folder `name` names, or undefined when it can: it must
 * be a folder (or, with `fileToo`, a file) outside /dev, /proc and /sys; a lake that does
 * not exist yet must be creatable (its nearest existing parent a writable folder).
 */
export function checkFolder(name: string, path: string, options: FolderCheck): string | undefined {
  const absolute = resolve(path);
  let existing = absolute;
  while (!existsSync(existing) && dirname(existing) !== existing) {
    if (!options.mayNotExist) return `${name}: ${path} does not exist`;
    existing = dirname(existing);
  }
  let real: string;
  let info;
  try {
    real = realpathSync(existing);
    info = statSync(real);
  } catch (error) {
    return `${name}: ${path} cannot be read (${errorCode(error) ?? "unknown error"})`;
  }
  if (SPECIAL_TREES.some((tree) => real === tree || real.startsWith(`${tree}/`))) {
    return `${name}: ${path} is in ${real.split("/").slice(0, 2).join("/")}, a system tree: use an ordinary folder`;
  }
  const isTarget = existing === absolute;
  if (info.isFile() && isTarget && options.fileToo) return undefined;
  if (!info.isDirectory()) {
    const kind = info.isFile() ? "a file" : "a special file (device, pipe or socket)";
    return isTarget ? `${name}: ${path} is ${kind}, not a folder` : `${name}: ${path} cannot be created: ${existing} is ${kind}, not a folder`;
  }
  try {
    accessSync(real, options.writable ? constants.R_OK | constants.W_OK | constants.X_OK : constants.R_OK | constants.X_OK);
  } catch (error) {
    const what = options.writable ? "writable" : "readable";
    return isTarget ? `${name}: ${path} is not ${what} (${errorCode(error) ?? "no access"})` : `${name}: ${path} cannot be created: ${existing} is not writable (${errorCode(error) ?? "no access"})`;
  }
  return undefined;
}
