import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EnvSchema } from "../data-loaders/config.js";
import { SOURCE_TABLES } from "../data-loaders/models/source-tables.js";
import { SharedEnvSchema } from "../data-loaders/settings.js";
import { SOURCE_DEFINITIONS, SOURCE_LABELS, SOURCES } from "../data-loaders/sources/index.js";
import { SYNC_HELP } from "../data-loaders/sync/cli-args.js";
import { readFreshness } from "../data-loaders/site.js";
import { sourceLabels } from "../src/components/labels.js";

describe("the source registry", () => {
  it("names the sources in the order runs take them", () => {
    expect(SOURCES).toEqual(["upscope", "liveperson", "agendize", "embedded"]);
  });

  it("gives the pages its labels through the site's freshness data (pages cannot import server code)", async () => {
    const lake = await mkdtemp(join(tmpdir(), "si-labels-"));
    try {
      const freshness = await readFreshness(lake);
      expect(freshness.map(({ source, label }) => [source, label])).toEqual(Object.entries(SOURCE_LABELS));
      const sourceLabel = sourceLabels(freshness);
      expect(sourceLabel("liveperson")).toBe("LivePerson (chat engagements)");
      expect(sourceLabel("unknown")).toBe("unknown");
    } finally {
      await rm(lake, { recursive: true, force: true });
    }
  });

  it("makes EnvSchema the shared variables and then each source's own, none twice", () => {
    const own = SOURCE_DEFINITIONS.flatMap((source) => Object.keys(source.env.shape));
    expect(Object.keys(EnvSchema.shape)).toEqual([...Object.keys(SharedEnvSchema.shape), ...own]);
    expect(new Set(own).size).toBe(own.length);
  });

  it("keys each source's configuration on its own variables and tables on its own name", () => {
    for (const source of SOURCE_DEFINITIONS) {
      for (const name of source.configuredBy) expect(Object.keys(source.env.shape), source.name).toContain(name);
      for (const table of source.tables) expect(table.source, table.name).toBe(source.name);
    }
    expect(SOURCE_TABLES.map((table) => `${table.source}.${table.name}`)).toEqual([
      "upscope.sessions",
      "upscope.visitors",
      "liveperson.engagements",
      "agendize.chats",
      "agendize.list_summaries",
      "embedded.events",
    ]);
  });

  it("lists every source in the sync's --help", () => {
    for (const source of SOURCE_DEFINITIONS) expect(SYNC_HELP).toContain(`${source.name}`.padEnd(14) + `  ${source.label}`);
  });
});
