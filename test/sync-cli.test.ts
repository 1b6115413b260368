import { describe, expect, it } from "vitest";
import { parseSyncArgs, SYNC_HELP, UsageError } from "../data-loaders/sync/cli-args.js";
import { SyncProgress } from "../data-loaders/sync/progress.js";

describe("sync arguments", () => {
  it("defaults to every configured source, incremental", () => {
    expect(parseSyncArgs([])).toEqual({ sources: [], since: undefined, full: false, replay: false, skipModels: false, now: undefined, quiet: false, help: false });
  });

  it("parses sources, dates and flags", () => {
    const args = parseSyncArgs(["--source", "liveperson", "--source", "agendize", "--since", "2026-03-01", "--now", "2026-04-01T06:00:00Z"]);
    expect(args.sources).toEqual(["liveperson", "agendize"]);
    expect(args.since?.toISOString()).toBe("2026-03-01T00:00:00.000Z");
    expect(args.now?.toISOString()).toBe("2026-04-01T06:00:00.000Z");
  });

  it("rejects what makes no sense, naming the flag", () => {
    expect(() => parseSyncArgs(["--source", "zendesk"])).toThrow(/--source must be one of upscope, liveperson, agendize/);
    expect(() => parseSyncArgs(["--since", "last tuesday"])).toThrow(/--since expects a date/);
    expect(() => parseSyncArgs(["--full", "--since", "2026-01-01"])).toThrow(UsageError);
    expect(() => parseSyncArgs(["--replay", "--full"])).toThrow(/--replay fetches nothing/);
    expect(() => parseSyncArgs(["--bogus"])).toThrow(UsageError);
  });

  it("documents every option and the exit codes in --help", () => {
    for (const option of ["--source", "--since", "--full", "--replay", "--now", "--quiet", "--help"]) expect(SYNC_HELP).toContain(option);
    expect(SYNC_HELP).toMatch(/Exit codes: 0 .*; 1 .*; 2 /s);
  });
});

describe("sync progress", () => {
  it("counts per source and prints a summary table", () => {
    const lines: string[] = [];
    let now = 0;
    const progress = new SyncProgress((line) => lines.push(line), () => now);
    progress.start("liveperson");
    progress.page("liveperson", 100);
    now = 2000;
    progress.page("liveperson", 50);
    progress.retry("liveperson");
    progress.quarantine("liveperson", 2);
    progress.written("liveperson", 148);
    progress.finish("liveperson", { ok: true });
    progress.start("agendize");
    progress.finish("agendize", { ok: false, error: "HTTP 401 from agendize" });
    expect(lines).toContain("[liveperson] 2 pages, 150 records (75/s), 0 retries, 0 quarantined"); // at most once a second
    expect(lines).toContain("[liveperson] done: 2 pages, 150 records (75/s), 1 retries, 2 quarantined");
    expect(lines).toContain("[agendize] FAILED: HTTP 401 from agendize");
    const table = progress.summaryTable().split("\n");
    expect(table[0]).toMatch(/^source\s+status\s+pages\s+records\s+rows written\s+retries\s+quarantined\s+seconds$/);
    expect(table[2]).toMatch(/^liveperson\s+ok\s+2\s+150\s+148\s+1\s+2\s+2\.0$/);
    expect(table[3]).toMatch(/^agendize\s+failed/);
  });

  it("stays quiet when asked, except for the outcome", () => {
    const lines: string[] = [];
    const progress = new SyncProgress((line) => lines.push(line), () => 5000, true);
    progress.start("upscope");
    progress.page("upscope", 10);
    progress.finish("upscope", { ok: true });
    expect(lines).toEqual(["[upscope] done: 1 pages, 10 records (10000/s), 0 retries, 0 quarantined"]);
  });
});
