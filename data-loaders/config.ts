/**
 * Configuration of the sync, read from environment variables and validated with
 * zod. A source is configured when any of its variables is set; a source that is
 * configured must be complete, or the sync stops with an error naming the missing
 * variable (it never falls back to demo data). With no source configured at all,
 * the sync runs in demo mode against the embedded simulator.
 */
import { accessSync, constants, existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { z } from "zod";
import { DotEnvSyntaxError, parseDotEnv } from "./dotenv.js";
import type { EmbeddedConfig } from "./embedded/config.js";
import { SIMULATED_DRIFT_KINDS, type SimulatedDriftKind } from "../simulator/drift.js";

/** The vendors, plus the embedded session events the recorder collects (see embedded/). */
export const SOURCES = ["upscope", "liveperson", "agendize", "embedded"] as const;
export type SourceName = (typeof SOURCES)[number];

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

const nonEmpty = z.string().trim().min(1);
const optionalText = nonEmpty.optional();
/** An http(s) URL without user or password in it (those would end up in logs and archives). */
const url = z
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
const wholeNumber = (min: number, max: number, unit = "") =>
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
const concurrency = wholeNumber(1, 32, "requests at once");
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

/** Every variable the project reads, with its default: the README's table is this. */
export const EnvSchema = z.object({
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

  UPSCOPE_API_KEY: optionalText,
  UPSCOPE_BASE_URL: url.default("https://api.upscope.io/v1.3"),
  UPSCOPE_ON_PREMISE_URL: url.optional(),
  UPSCOPE_REST_KEY: optionalText,
  UPSCOPE_SESSION_FILES: optionalText,
  UPSCOPE_CONCURRENCY: concurrency.default(4),

  LIVEPERSON_ACCOUNT_ID: optionalText,
  LIVEPERSON_BEARER_TOKEN: optionalText,
  LIVEPERSON_CONSUMER_KEY: optionalText,
  LIVEPERSON_CONSUMER_SECRET: optionalText,
  LIVEPERSON_TOKEN: optionalText,
  LIVEPERSON_TOKEN_SECRET: optionalText,
  LIVEPERSON_CSDS_URL: url.default("https://api.liveperson.net"),
  LIVEPERSON_SOURCE: nonEmpty.max(20, "LivePerson rejects a source longer than 20 characters").default("SupportInsights"),
  LIVEPERSON_CONCURRENCY: concurrency.default(4),

  AGENDIZE_API_KEY: optionalText,
  AGENDIZE_TOKEN: optionalText,
  AGENDIZE_BEARER_TOKEN: optionalText,
  AGENDIZE_BASE_URL: url.default("https://api.agendize.com/api/2.0"),
  AGENDIZE_LIST_PATH: nonEmpty
    .regex(/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/, "expected a path starting with / (e.g. /chat/history), without a query or fragment")
    .refine((value) => !value.split("/").includes(".."), "the path must not hold ..")
    .default("/chat/history"),
  AGENDIZE_COMPANY_TIME_ZONE: nonEmpty
    .refine(isKnownTimeZone, { error: (issue) => `"${String(issue.input)}" is not an IANA time zone this runtime knows (e.g. Europe/Paris, UTC)` })
    .default("UTC"),
  AGENDIZE_WINDOW_DAYS: wholeNumber(1, 31, "days").default(7),
  AGENDIZE_CONCURRENCY: concurrency.default(2),

  EMBEDDED_EVENTS_DIR: optionalText,
});
export type Env = z.infer<typeof EnvSchema>;

export type UpscopeAuth = { kind: "api-key"; apiKey: string } | { kind: "on-premise"; restKey: string };
export type LivePersonAuth =
  | { kind: "bearer"; token: string }
  | { kind: "oauth1"; consumerKey: string; consumerSecret: string; token: string; tokenSecret: string };
export type AgendizeAuth = { kind: "api-key"; apiKey: string; token: string } | { kind: "bearer"; token: string };

export interface UpscopeConfig {
  baseUrl: string;
  onPremise: boolean;
  auth: UpscopeAuth;
  /** Folder (or file) of Session objects exported or collected from webhooks. */
  sessionFiles: string | undefined;
  concurrency: number;
}

export interface LivePersonConfig {
  accountId: string;
  csdsUrl: string;
  auth: LivePersonAuth;
  source: string;
  concurrency: number;
}

export interface AgendizeConfig {
  baseUrl: string;
  listPath: string;
  auth: AgendizeAuth;
  companyTimeZone: string;
  windowDays: number;
  concurrency: number;
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
  };
  sources: { upscope?: UpscopeConfig; liveperson?: LivePersonConfig; agendize?: AgendizeConfig; embedded?: EmbeddedConfig };
}

const SOURCE_VARIABLES: Record<SourceName, readonly (keyof Env)[]> = {
  upscope: ["UPSCOPE_API_KEY", "UPSCOPE_ON_PREMISE_URL", "UPSCOPE_REST_KEY", "UPSCOPE_SESSION_FILES"],
  liveperson: [
    "LIVEPERSON_ACCOUNT_ID",
    "LIVEPERSON_BEARER_TOKEN",
    "LIVEPERSON_CONSUMER_KEY",
    "LIVEPERSON_CONSUMER_SECRET",
    "LIVEPERSON_TOKEN",
    "LIVEPERSON_TOKEN_SECRET",
  ],
  agendize: ["AGENDIZE_API_KEY", "AGENDIZE_TOKEN", "AGENDIZE_BEARER_TOKEN"],
  embedded: ["EMBEDDED_EVENTS_DIR"],
};

/** The key demo mode uses to pseudonymise the simulator's synthetic people. */
export const DEMO_PSEUDONYM_KEY = "support-insights-demo-pseudonym-key";

function need<K extends keyof Env>(env: Env, source: SourceName, name: K, because: string): NonNullable<Env[K]> {
  const value = env[name];
  if (value === undefined || value === null) {
    throw new ConfigError(`${source} is half-configured: ${String(name)} is missing (${because}).`);
  }
  return value as NonNullable<Env[K]>;
}

function upscopeConfig(env: Env): UpscopeConfig {
  if (env.UPSCOPE_ON_PREMISE_URL !== undefined || env.UPSCOPE_REST_KEY !== undefined) {
    const baseUrl = need(env, "upscope", "UPSCOPE_ON_PREMISE_URL", "UPSCOPE_REST_KEY is set for an on-premise install");
    const restKey = need(env, "upscope", "UPSCOPE_REST_KEY", "UPSCOPE_ON_PREMISE_URL is set");
    return { baseUrl, onPremise: true, auth: { kind: "on-premise", restKey }, sessionFiles: env.UPSCOPE_SESSION_FILES, concurrency: env.UPSCOPE_CONCURRENCY };
  }
  const apiKey = need(env, "upscope", "UPSCOPE_API_KEY", "the REST API needs the account's secret key");
  return { baseUrl: env.UPSCOPE_BASE_URL, onPremise: false, auth: { kind: "api-key", apiKey }, sessionFiles: env.UPSCOPE_SESSION_FILES, concurrency: env.UPSCOPE_CONCURRENCY };
}

function livePersonConfig(env: Env): LivePersonConfig {
  const accountId = need(env, "liveperson", "LIVEPERSON_ACCOUNT_ID", "every LivePerson call names the account");
  const oauthNames = ["LIVEPERSON_CONSUMER_KEY", "LIVEPERSON_CONSUMER_SECRET", "LIVEPERSON_TOKEN", "LIVEPERSON_TOKEN_SECRET"] as const;
  let auth: LivePersonAuth;
  if (env.LIVEPERSON_BEARER_TOKEN !== undefined) {
    auth = { kind: "bearer", token: env.LIVEPERSON_BEARER_TOKEN };
  } else if (oauthNames.some((name) => env[name] !== undefined)) {
    const because = "OAuth 1.0a signing needs the consumer key and secret and the token and its secret";
    auth = {
      kind: "oauth1",
      consumerKey: need(env, "liveperson", "LIVEPERSON_CONSUMER_KEY", because),
      consumerSecret: need(env, "liveperson", "LIVEPERSON_CONSUMER_SECRET", because),
      token: need(env, "liveperson", "LIVEPERSON_TOKEN", because),
      tokenSecret: need(env, "liveperson", "LIVEPERSON_TOKEN_SECRET", because),
    };
  } else {
    throw new ConfigError(
      "liveperson is half-configured: LIVEPERSON_BEARER_TOKEN is missing (or the four OAuth 1.0a variables LIVEPERSON_CONSUMER_KEY, LIVEPERSON_CONSUMER_SECRET, LIVEPERSON_TOKEN, LIVEPERSON_TOKEN_SECRET).",
    );
  }
  return { accountId, csdsUrl: env.LIVEPERSON_CSDS_URL, auth, source: env.LIVEPERSON_SOURCE, concurrency: env.LIVEPERSON_CONCURRENCY };
}

function agendizeConfig(env: Env): AgendizeConfig {
  let auth: AgendizeAuth;
  if (env.AGENDIZE_BEARER_TOKEN !== undefined) {
    auth = { kind: "bearer", token: env.AGENDIZE_BEARER_TOKEN };
  } else {
    const because = "the API key and the token go together";
    auth = {
      kind: "api-key",
      apiKey: need(env, "agendize", "AGENDIZE_API_KEY", because),
      token: need(env, "agendize", "AGENDIZE_TOKEN", because),
    };
  }
  return {
    baseUrl: env.AGENDIZE_BASE_URL,
    listPath: env.AGENDIZE_LIST_PATH,
    auth,
    companyTimeZone: env.AGENDIZE_COMPANY_TIME_ZONE,
    windowDays: env.AGENDIZE_WINDOW_DAYS,
    concurrency: env.AGENDIZE_CONCURRENCY,
  };
}

/** Which sources have at least one of their variables set. */
export function configuredSources(env: Env): SourceName[] {
  return SOURCES.filter((source) => SOURCE_VARIABLES[source].some((name) => env[name] !== undefined));
}

/**
 * Loads `.env` from the project root (or the file `SI_ENV_FILE` names) into process.env, if there is one. Variables
 * already set in the environment win, so a scheduler's or CI's secrets are never
 * shadowed by a stale file. The reader is strict (see dotenv.ts): a line Node's own
 * parser would skip in silence, such as `KEY: value`, is a ConfigError naming
 * `.env:LINE`, never a credential quietly missing (and a sync falling back to demo).
 */
export function loadDotEnv(projectRoot: string, file = process.env.SI_ENV_FILE?.trim() || ".env"): boolean {
  // SI_ENV_FILE=none reads no file: the test suite sets it, so a developer's own
  // credentials in .env never turn a test's demo run into a run against real APIs.
  if (file === "none") return false;
  const path = resolve(projectRoot, file);
  if (!existsSync(path)) return false;
  let variables: Record<string, string>;
  try {
    variables = parseDotEnv(readFileSync(path, "utf8"), path);
  } catch (error) {
    if (error instanceof DotEnvSyntaxError) throw new ConfigError(`${error.message} (nothing was read from ${path})`);
    throw error;
  }
  for (const [name, value] of Object.entries(variables)) {
    if (process.env[name] === undefined) process.env[name] = value;
  }
  return true;
}

/**
 * Reads the configuration. Empty strings count as unset (a `.env` line `KEY=`).
 * Throws ConfigError with every problem named; never returns a partial config.
 */
export function loadConfig(variables: Record<string, string | undefined> = process.env): SyncConfig {
  const present = Object.fromEntries(Object.entries(variables).filter(([, value]) => value !== undefined && value.trim() !== ""));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join("\n  ")}`);
  }
  const env = parsed.data;
  const configured = configuredSources(env);
  const demo = configured.length === 0;
  const sources: SyncConfig["sources"] = {};
  if (configured.includes("upscope")) sources.upscope = upscopeConfig(env);
  if (configured.includes("liveperson")) sources.liveperson = livePersonConfig(env);
  if (configured.includes("agendize")) sources.agendize = agendizeConfig(env);
  if (configured.includes("embedded") && env.EMBEDDED_EVENTS_DIR !== undefined) sources.embedded = { eventsDir: env.EMBEDDED_EVENTS_DIR };
  if (!demo && env.SI_PSEUDONYM_KEY === undefined) {
    throw new ConfigError(
      "SI_PSEUDONYM_KEY is missing: with real sources, visitor emails, IPs and names are replaced by keyed pseudonyms, and the key must be your own secret (e.g. `openssl rand -hex 32`).",
    );
  }
  if (!demo && env.SI_PSEUDONYM_KEY === DEMO_PSEUDONYM_KEY) {
    throw new ConfigError("SI_PSEUDONYM_KEY is the demo's published key: with real sources the key must be your own secret (e.g. `openssl rand -hex 32`).");
  }
  // Folders are checked before any source runs: a lake that is a file or /dev/null gave a
  // stack trace or a hang, and a missing session folder failed its source after the others ran.
  const problems = [
    checkFolder("SI_LAKE_DIR", env.SI_LAKE_DIR, { mayNotExist: true, writable: true }),
    env.UPSCOPE_SESSION_FILES === undefined ? undefined : checkFolder("UPSCOPE_SESSION_FILES", env.UPSCOPE_SESSION_FILES, { fileToo: true }),
    env.EMBEDDED_EVENTS_DIR === undefined ? undefined : checkFolder("EMBEDDED_EVENTS_DIR", env.EMBEDDED_EVENTS_DIR, {}),
  ].filter((problem): problem is string => problem !== undefined);
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n  ${problems.join("\n  ")}`);
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
    },
    sources,
  };
}

/** Kernel and device trees: never a lake, whatever their permissions say to root. */
const SPECIAL_TREES = ["/dev", "/proc", "/sys"];

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && "code" in error ? String(error.code) : undefined;
}

/**
 * Why `path` cannot serve as the folder `name` names, or undefined when it can: it must
 * be a folder (or, with `fileToo`, a file) outside /dev, /proc and /sys; a lake that does
 * not exist yet must be creatable (its nearest existing parent a writable folder).
 */
export function checkFolder(name: string, path: string, options: { mayNotExist?: boolean; writable?: boolean; fileToo?: boolean }): string | undefined {
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

/** Every secret value in the configuration, so logs and `dist/` can be checked for them. */
export function secretsOf(config: SyncConfig): string[] {
  const secrets: string[] = [config.pseudonymKey];
  const { upscope, liveperson, agendize } = config.sources;
  if (upscope) secrets.push(upscope.auth.kind === "api-key" ? upscope.auth.apiKey : upscope.auth.restKey);
  if (liveperson) {
    const auth = liveperson.auth;
    if (auth.kind === "bearer") secrets.push(auth.token);
    else secrets.push(auth.consumerSecret, auth.token, auth.tokenSecret);
  }
  if (agendize) {
    const auth = agendize.auth;
    if (auth.kind === "bearer") secrets.push(auth.token);
    else secrets.push(auth.apiKey, auth.token);
  }
  return secrets;
}
