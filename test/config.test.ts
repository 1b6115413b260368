import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, DEMO_PSEUDONYM_KEY, loadConfig, loadDotEnv, secretsOf } from "../data-loaders/config.js";

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
  it("reads .env from the project root, and the environment wins over the file", () => {
    const root = mkdtempSync(join(tmpdir(), "si-dotenv-"));
    try {
      expect(loadDotEnv(root)).toBe(false);
      writeFileSync(join(root, ".env"), "SI_TEST_FROM_FILE=file\nSI_TEST_SET_TWICE=file\n");
      process.env.SI_TEST_SET_TWICE = "environment";
      expect(loadDotEnv(root)).toBe(true);
      expect(process.env.SI_TEST_FROM_FILE).toBe("file");
      expect(process.env.SI_TEST_SET_TWICE).toBe("environment");
    } finally {
      delete process.env.SI_TEST_FROM_FILE;
      delete process.env.SI_TEST_SET_TWICE;
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("SI_LAKE_DIR", () => {
  it("is a local folder: a URL is refused with the way to mirror it instead", () => {
    expect(() => loadConfig({ SI_LAKE_DIR: "s3://bucket/lake" })).toThrow(/SI_LAKE_DIR: the lake must be a local folder; .*aws s3 sync/);
    expect(loadConfig({ SI_LAKE_DIR: "/var/lib/support-insights/lake" }).lakeDir).toBe("/var/lib/support-insights/lake");
  });
});
