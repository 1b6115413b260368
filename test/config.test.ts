import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { parseEnv } from "node:util";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, DEMO_PSEUDONYM_KEY, loadConfig, loadDotEnv, secretsOf } from "../data-loaders/config.js";
import { parseDotEnv } from "../data-loaders/dotenv.js";

const KEY = { SI_PSEUDONYM_KEY: "k".repeat(32) };

describe("loadConfig", () => {
  it("runs in demo mode when no source is configured, with sane defaults", () => {
    const config = loadConfig({});
    expect(config.demo).toBe(true);
    expect(config.sources).toEqual({});
    expect(config.lakeDir).toBe("lake");
    expect(config.pseudonymKey).toBe(DEMO_PSEUDONYM_KEY);
    // Covers LivePerson's two hours of late data after a chat ends, plus a long chat (windows go by start).
    expect(config.trailingWindowHours).toBe(6);
    expect(config.publish).toEqual({ visitorIdentities: false, text: false });
  });

  it("treats empty variables as unset (a `KEY=` line in .env)", () => {
    expect(loadConfig({ UPSCOPE_API_KEY: "", LIVEPERSON_ACCOUNT_ID: "  " }).demo).toBe(true);
  });

  it("configures a complete source and never mixes in demo data", () => {
    const config = loadConfig({ ...KEY, LIVEPERSON_ACCOUNT_ID: "123", LIVEPERSON_BEARER_TOKEN: "t" });
    expect(config.demo).toBe(false);
    expect(Object.keys(config.sources)).toEqual(["liveperson"]);
    expect(config.sources.liveperson).toMatchObject({ accountId: "123", auth: { kind: "bearer", token: "t" }, source: "SupportInsights" });
  });

  it("names the missing variable of a half-configured source", () => {
    expect(() => loadConfig({ ...KEY, LIVEPERSON_BEARER_TOKEN: "t" })).toThrow(/LIVEPERSON_ACCOUNT_ID is missing/);
    expect(() => loadConfig({ ...KEY, LIVEPERSON_ACCOUNT_ID: "1", LIVEPERSON_CONSUMER_KEY: "ck" })).toThrow(/LIVEPERSON_CONSUMER_SECRET is missing/);
    expect(() => loadConfig({ ...KEY, AGENDIZE_API_KEY: "a" })).toThrow(/AGENDIZE_TOKEN is missing/);
    expect(() => loadConfig({ ...KEY, UPSCOPE_REST_KEY: "r" })).toThrow(/UPSCOPE_ON_PREMISE_URL is missing/);
    expect(() => loadConfig({ ...KEY, UPSCOPE_SESSION_FILES: "/data/sessions" })).toThrow(/UPSCOPE_API_KEY is missing/);
    expect(() => loadConfig({ ...KEY, LIVEPERSON_ACCOUNT_ID: "1" })).toThrow(/LIVEPERSON_BEARER_TOKEN is missing/);
  });

  it("requires the pseudonym key once real sources are configured", () => {
    expect(() => loadConfig({ AGENDIZE_BEARER_TOKEN: "b" })).toThrow(/SI_PSEUDONYM_KEY is missing/);
  });

  it("accepts every auth variant the vendors document", () => {
    const config = loadConfig({
      ...KEY,
      UPSCOPE_ON_PREMISE_URL: "https://cobrowse.example.com/api",
      UPSCOPE_REST_KEY: "rest",
      LIVEPERSON_ACCOUNT_ID: "1",
      LIVEPERSON_CONSUMER_KEY: "ck",
      LIVEPERSON_CONSUMER_SECRET: "cs",
      LIVEPERSON_TOKEN: "tk",
      LIVEPERSON_TOKEN_SECRET: "ts",
      AGENDIZE_API_KEY: "ak",
      AGENDIZE_TOKEN: "at",
    });
    expect(config.sources.upscope).toMatchObject({ onPremise: true, auth: { kind: "on-premise", restKey: "rest" } });
    expect(config.sources.liveperson?.auth).toEqual({ kind: "oauth1", consumerKey: "ck", consumerSecret: "cs", token: "tk", tokenSecret: "ts" });
    expect(config.sources.agendize?.auth).toEqual({ kind: "api-key", apiKey: "ak", token: "at" });
    expect(secretsOf(config)).toEqual(expect.arrayContaining(["rest", "cs", "tk", "ts", "ak", "at", KEY.SI_PSEUDONYM_KEY]));
    expect(secretsOf(config)).not.toContain("ck"); // a consumer key identifies the app; it is not a secret
  });

  it("rejects invalid values with the variable named", () => {
    expect(() => loadConfig({ LIVEPERSON_SOURCE: "x".repeat(21) })).toThrow(/LIVEPERSON_SOURCE: LivePerson rejects a source longer than 20 characters/);
    expect(() => loadConfig({ SI_QUARANTINE_MAX_SHARE: "2" })).toThrow(/SI_QUARANTINE_MAX_SHARE/);
    expect(() => loadConfig({ UPSCOPE_BASE_URL: "ftp://x" })).toThrow(/UPSCOPE_BASE_URL/);
    expect(() => loadConfig({ SI_PUBLISH_TEXT: "maybe" })).toThrow(/SI_PUBLISH_TEXT/);
    expect(loadConfig({}) instanceof Object).toBe(true);
    expect(() => loadConfig({ SI_HISTORY_DAYS: "-3" })).toThrow(ConfigError);
  });
});

describe("loadDotEnv", () => {
  it("reads no file with SI_ENV_FILE=none, which every test runs with", () => {
    expect(process.env.SI_ENV_FILE).toBe("none");
    const root = mkdtempSync(join(tmpdir(), "si-dotenv-none-"));
    try {
      writeFileSync(join(root, ".env"), "SI_TEST_NEVER_READ=1\n");
      expect(loadDotEnv(root)).toBe(false);
      expect(process.env.SI_TEST_NEVER_READ).toBeUndefined();
      writeFileSync(join(root, "other.env"), "SI_TEST_OTHER_FILE=1\n");
      expect(loadDotEnv(root, "other.env")).toBe(true);
      expect(process.env.SI_TEST_OTHER_FILE).toBe("1");
    } finally {
      delete process.env.SI_TEST_OTHER_FILE;
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("reads .env from the project root, and the environment wins over the file", () => {
    const root = mkdtempSync(join(tmpdir(), "si-dotenv-"));
    try {
      expect(loadDotEnv(root, ".env")).toBe(false);
      writeFileSync(join(root, ".env"), "SI_TEST_FROM_FILE=file\nSI_TEST_SET_TWICE=file\n");
      process.env.SI_TEST_SET_TWICE = "environment";
      expect(loadDotEnv(root, ".env")).toBe(true);
      expect(process.env.SI_TEST_FROM_FILE).toBe("file");
      expect(process.env.SI_TEST_SET_TWICE).toBe("environment");
    } finally {
      delete process.env.SI_TEST_FROM_FILE;
      delete process.env.SI_TEST_SET_TWICE;
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("the strict .env reader", () => {
  /** Every form Node's parser accepts, one per line: the strict reader must read each to the same value. */
  const ACCEPTED = [
    "PLAIN=1",
    "export EXPORTED=2",
    "  SPACED  =  3  ",
    "SINGLE='x y # not a comment'",
    'DOUBLE="a\\nb"',
    "BACKTICK=`b t`",
    "COMMENTED=v # comment",
    'QUOTED_COMMENTED="x" # comment',
    "EMPTY=",
    "EMPTY_QUOTES=''",
    "EQUALS=a=b",
    "HASH=a#b",
    "INNER_QUOTE=it's",
    "WORDS=a b c",
    "KEEP_SPACES=' a '",
    'MULTI="first',
    "second",
    'third"',
    "# a comment line",
    "",
    "REPEATED=first",
    "REPEATED=last",
  ].join("\n");

  it("reads every form Node accepts to the value Node gives it", () => {
    expect(parseDotEnv(ACCEPTED)).toEqual(parseEnv(ACCEPTED));
    expect(parseDotEnv(ACCEPTED.replaceAll("\n", "\r\n"))).toEqual(parseEnv(ACCEPTED.replaceAll("\n", "\r\n")));
    expect(parseDotEnv(ACCEPTED)).toMatchObject({ DOUBLE: "a\nb", EXPORTED: "2", SPACED: "3", MULTI: "first\nsecond\nthird", REPEATED: "last", HASH: "a" });
  });

  it("reads .env.example, also with every variable in it uncommented", () => {
    const example = readFileSync(join(process.cwd(), ".env.example"), "utf8");
    expect(parseDotEnv(example)).toEqual({});
    const filled = parseDotEnv(example.replace(/^# ([A-Z][A-Z0-9_]*=)/gm, "$1"));
    expect(Object.keys(filled)).toEqual(expect.arrayContaining(["SI_LAKE_DIR", "LIVEPERSON_BEARER_TOKEN"]));
    expect(filled).toEqual(parseEnv(example.replace(/^# ([A-Z][A-Z0-9_]*=)/gm, "$1")));
  });

  /** Runs `check` on a temporary project root whose .env holds `text`, then removes it and the variables named. */
  function withDotEnv(text: string, variables: string[], check: (root: string) => void): void {
    const root = mkdtempSync(join(tmpdir(), "si-dotenv-"));
    try {
      writeFileSync(join(root, ".env"), text);
      check(root);
    } finally {
      for (const name of variables) delete process.env[name];
      rmSync(root, { recursive: true, force: true });
    }
  }

  it.each([
    ["a line without =", "OK=1\n# fine\nLIVEPERSON_BEARER_TOKEN: s3cr3t-value\n", 3, /"LIVEPERSON_BEARER_TOKEN…" is not KEY=value/],
    ["a name that is not a variable name", "OK=1\nKEY: value=x\n", 2, /"KEY…" is not a variable name/],
    ["a quote never closed", 'OK=1\nSI_PSEUDONYM_KEY="s3cr3t-value\nNEXT=2\n', 2, /SI_PSEUDONYM_KEY opens a " quote that is never closed/],
    ["text after the closing quote", "OK=1\nTOKEN='s3cr3t' -value\n", 2, /unexpected text after the closing ' of TOKEN/],
  ])("refuses %s with a ConfigError naming .env and the line, never the value", (_, text, line, message) => {
    withDotEnv(text, ["OK"], (root) => {
      let error: unknown;
      try {
        loadDotEnv(root, ".env");
      } catch (thrown) {
        error = thrown;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain(`${join(root, ".env")}:${line}: `);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain("s3cr3t");
      // Nothing half-read: the good line before the bad one was not applied either.
      expect(process.env.OK).toBeUndefined();
    });
  });

  it("lets the environment win over the file, even for an empty variable", () => {
    withDotEnv("export SI_TEST_EXPORTED='from file'\nSI_TEST_EMPTY_IN_ENV=file\n", ["SI_TEST_EXPORTED", "SI_TEST_EMPTY_IN_ENV"], (root) => {
      process.env.SI_TEST_EMPTY_IN_ENV = "";
      expect(loadDotEnv(root, ".env")).toBe(true);
      expect(process.env.SI_TEST_EXPORTED).toBe("from file");
      expect(process.env.SI_TEST_EMPTY_IN_ENV).toBe("");
    });
  });
});

describe("SI_LAKE_DIR", () => {
  it("is a local folder: a URL is refused with the way to mirror it instead", () => {
    expect(() => loadConfig({ SI_LAKE_DIR: "s3://bucket/lake" })).toThrow(/SI_LAKE_DIR: the lake must be a local folder; .*aws s3 sync/);
    // A folder that does not exist yet under a writable parent is accepted (created by the sync).
    const absolute = join(tmpdir(), `si-config-lake-${process.pid}`, "lake");
    expect(loadConfig({ SI_LAKE_DIR: absolute }).lakeDir).toBe(absolute);
  });
});

describe("every setting is checked before any work starts", () => {
  const problemOf = (variables: Record<string, string>): string => {
    try {
      loadConfig(variables);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error(`accepted ${JSON.stringify(variables)}`);
  };

  it("takes integers only in plain decimal digits, within stated bounds", () => {
    for (const value of ["0x10", "1e3", "1e9", "12.5", "-3", "10 days", "Infinity", "0b11", "0o7"]) {
      expect(problemOf({ SI_HISTORY_DAYS: value }), value).toMatch(/^Invalid configuration:\n {2}SI_HISTORY_DAYS: /);
    }
    expect(problemOf({ SI_HISTORY_DAYS: "3651" })).toMatch(/SI_HISTORY_DAYS: expected at most 3650 days/);
    expect(problemOf({ SI_HISTORY_DAYS: "0" })).toMatch(/SI_HISTORY_DAYS: expected at least 1 days/);
    expect(loadConfig({ SI_HISTORY_DAYS: " 30 " }).historyDays).toBe(30);
    expect(loadConfig({ SI_HISTORY_DAYS: "3650" }).historyDays).toBe(3650);
    expect(problemOf({ UPSCOPE_CONCURRENCY: "0x10" })).toMatch(/UPSCOPE_CONCURRENCY/);
    expect(problemOf({ LIVEPERSON_CONCURRENCY: "33" })).toMatch(/LIVEPERSON_CONCURRENCY: expected at most 32/);
    expect(problemOf({ AGENDIZE_CONCURRENCY: "0" })).toMatch(/AGENDIZE_CONCURRENCY: expected at least 1/);
    expect(problemOf({ AGENDIZE_WINDOW_DAYS: "32" })).toMatch(/AGENDIZE_WINDOW_DAYS: expected at most 31/);
    expect(problemOf({ SI_TRAILING_WINDOW_HOURS: "1e1" })).toMatch(/SI_TRAILING_WINDOW_HOURS/);
    expect(problemOf({ SI_HTTP_TIME_BUDGET_SECONDS: "1e3" })).toMatch(/SI_HTTP_TIME_BUDGET_SECONDS/);
    expect(problemOf({ SI_DEMO_SEED: "0x1" })).toMatch(/SI_DEMO_SEED/);
    expect(problemOf({ SI_CONTRACT_MIN_ROWS: "2e1" })).toMatch(/SI_CONTRACT_MIN_ROWS/);
  });

  it("takes shares as plain decimals from 0 to 1", () => {
    for (const value of ["2%", "1e-2", "0x0", "-0.1", "1.5", "0,02"]) expect(problemOf({ SI_QUARANTINE_MAX_SHARE: value }), value).toMatch(/SI_QUARANTINE_MAX_SHARE: /);
    expect(loadConfig({ SI_QUARANTINE_MAX_SHARE: "0.05", SI_CONTRACT_MAX_ROW_DROP: ".5", SI_DEMO_FAULT_RATE: "1" })).toMatchObject({ quarantineMaxShare: 0.05, contracts: { maxRowDrop: 0.5 } });
    expect(problemOf({ SI_DEMO_SCALE: "1e2" })).toMatch(/SI_DEMO_SCALE/);
    expect(loadConfig({ SI_DEMO_SCALE: "0.25" }).demoSimulator.scale).toBe(0.25);
  });

  it("names a pseudonym key that is too short (at least 16 characters), in demo mode too, without echoing it", () => {
    const short = "short-secret";
    const message = problemOf({ SI_PSEUDONYM_KEY: short, AGENDIZE_BEARER_TOKEN: "b" });
    expect(message).toMatch(/SI_PSEUDONYM_KEY: the key must be at least 16 characters/);
    expect(message).not.toContain(short);
    expect(problemOf({ SI_PSEUDONYM_KEY: short })).toMatch(/SI_PSEUDONYM_KEY/);
    expect(problemOf({ SI_PSEUDONYM_KEY: DEMO_PSEUDONYM_KEY, AGENDIZE_BEARER_TOKEN: "b" })).toMatch(/SI_PSEUDONYM_KEY is the demo's published key/);
    expect(loadConfig({ SI_PSEUDONYM_KEY: "0123456789abcdef", AGENDIZE_BEARER_TOKEN: "b" }).pseudonymKey).toBe("0123456789abcdef");
  });

  it("checks time-zone names with Intl", () => {
    expect(problemOf({ AGENDIZE_COMPANY_TIME_ZONE: "Europe/Pariss" })).toMatch(/AGENDIZE_COMPANY_TIME_ZONE: "Europe\/Pariss" is not an IANA time zone/);
    expect(problemOf({ AGENDIZE_COMPANY_TIME_ZONE: "+02:00" })).toMatch(/AGENDIZE_COMPANY_TIME_ZONE/);
    expect(loadConfig({ AGENDIZE_COMPANY_TIME_ZONE: "America/New_York" }) instanceof Object).toBe(true);
  });

  it("takes URLs without credentials, and an Agendize list path that is a path", () => {
    expect(problemOf({ LIVEPERSON_CSDS_URL: "https://user:secret@api.liveperson.net" })).toMatch(/LIVEPERSON_CSDS_URL: the URL must not carry a user or password/);
    expect(problemOf({ AGENDIZE_BASE_URL: "api.agendize.com" })).toMatch(/AGENDIZE_BASE_URL: expected an http/);
    expect(problemOf({ AGENDIZE_LIST_PATH: "chat/history" })).toMatch(/AGENDIZE_LIST_PATH/);
    expect(problemOf({ AGENDIZE_LIST_PATH: "/chat/history?limit=5" })).toMatch(/AGENDIZE_LIST_PATH/);
    expect(problemOf({ AGENDIZE_LIST_PATH: "/chat/../admin" })).toMatch(/AGENDIZE_LIST_PATH/);
  });

  it("refuses a lake that is a file, a device, a system tree or under a file, and folders that do not exist", () => {
    const root = mkdtempSync(join(tmpdir(), "si-config-folders-"));
    try {
      const file = join(root, "a-file");
      writeFileSync(file, "x");
      expect(problemOf({ SI_LAKE_DIR: file })).toMatch(/SI_LAKE_DIR: .*a-file is a file, not a folder/);
      expect(problemOf({ SI_LAKE_DIR: join(file, "lake") })).toMatch(/SI_LAKE_DIR: .* cannot be created: .*a-file is a file, not a folder/);
      expect(problemOf({ SI_LAKE_DIR: "/dev/null" })).toMatch(/SI_LAKE_DIR: \/dev\/null is in \/dev, a system tree/);
      expect(problemOf({ SI_LAKE_DIR: "/proc/self/lake" })).toMatch(/SI_LAKE_DIR: .* is in \/proc, a system tree/);
      expect(problemOf({ SI_LAKE_DIR: "/sys" })).toMatch(/SI_LAKE_DIR: \/sys is in \/sys/);
      expect(loadConfig({ SI_LAKE_DIR: join(root, "new", "lake") }).lakeDir).toBe(join(root, "new", "lake"));
      const key = { SI_PSEUDONYM_KEY: "k".repeat(32) };
      expect(problemOf({ ...key, UPSCOPE_API_KEY: "u", UPSCOPE_SESSION_FILES: join(root, "missing") })).toMatch(/UPSCOPE_SESSION_FILES: .*missing does not exist/);
      expect(loadConfig({ ...key, UPSCOPE_API_KEY: "u", UPSCOPE_SESSION_FILES: file }).sources.upscope?.sessionFiles).toBe(file);
      expect(problemOf({ ...key, EMBEDDED_EVENTS_DIR: file })).toMatch(/EMBEDDED_EVENTS_DIR: .*a-file is a file, not a folder/);
      expect(problemOf({ ...key, EMBEDDED_EVENTS_DIR: join(root, "missing") })).toMatch(/EMBEDDED_EVENTS_DIR: .*missing does not exist/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("a bad setting stops every entry point with exit 2 before any work", () => {
  const tsx = join(process.cwd(), "node_modules", ".bin", "tsx");
  /** The environment without any of the project's own variables, plus `variables`. */
  const environment = (variables: Record<string, string>) => ({
    ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(SI_|UPSCOPE_|LIVEPERSON_|AGENDIZE_|EMBEDDED_)/.test(name))),
    OBSERVABLE_TELEMETRY_DISABLE: "true",
    ...variables,
  });
  const run = (script: string, variables: Record<string, string>) =>
    new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      const cwd = mkdtempSync(join(tmpdir(), "si-config-cli-"));
      const child = spawn(tsx, [join(process.cwd(), script)], { cwd, env: environment(variables), stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.on("error", reject);
      child.on("exit", (code) => {
        rmSync(cwd, { recursive: true, force: true });
        resolve({ code, output });
      });
    });

  it.each(["data-loaders/sync/cli.ts", "tools/build.ts", "tools/dev.ts", "tools/nightly.ts"])("%s", async (script) => {
    const history = await run(script, { SI_HISTORY_DAYS: "1e9" });
    expect(history.code, history.output).toBe(2);
    expect(history.output).toMatch(/SI_HISTORY_DAYS: expected a whole number/);
    expect(history.output).not.toMatch(/\n\s+at /); // a message, not a stack trace
  }, 60_000);

  it("the sync names a lake that is a device and a pseudonym key that is too short", async () => {
    const lake = await run("data-loaders/sync/cli.ts", { SI_LAKE_DIR: "/dev/null" });
    expect(lake.code, lake.output).toBe(2);
    expect(lake.output).toMatch(/SI_LAKE_DIR: \/dev\/null is in \/dev/);
    const key = await run("data-loaders/sync/cli.ts", { SI_PSEUDONYM_KEY: "too-short", AGENDIZE_BEARER_TOKEN: "b" });
    expect(key.code, key.output).toBe(2);
    expect(key.output).toMatch(/SI_PSEUDONYM_KEY: the key must be at least 16 characters/);
  }, 60_000);
});
