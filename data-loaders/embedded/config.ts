/**
 * Configuration of the embedded-events source: the folder of NDJSON files the
 * collector (embedded/collector) or an organisation's own endpoint writes
 * (`EMBEDDED_EVENTS_DIR`), read from `SyncConfig.sources.embedded` and checked
 * with zod so the sync refuses a half-made configuration instead of guessing.
 */
import { join } from "node:path";
import { z } from "zod";
import { optionalText, type SyncConfig } from "../settings.js";

export const EMBEDDED_SOURCE = "embedded" as const;

/** The name progress lines and run manifests use. */
export const EMBEDDED_PROGRESS_SOURCE: string = EMBEDDED_SOURCE;

export const EmbeddedEnv = z.object({
  EMBEDDED_EVENTS_DIR: optionalText,
});
export type EmbeddedEnv = z.infer<typeof EmbeddedEnv>;

export const EmbeddedConfig = z.object({
  /** Folder of `*.ndjson` / `*.jsonl` event files (EMBEDDED_EVENTS_DIR). */
  eventsDir: z.string().trim().min(1),
});
export type EmbeddedConfig = z.infer<typeof EmbeddedConfig>;

declare module "../settings.js" {
  interface SourceConfigs {
    embedded?: EmbeddedConfig;
  }
}

/** `config.sources.embedded`, validated; undefined when the source is not configured. */
export function embeddedConfigOf(config: SyncConfig): EmbeddedConfig | undefined {
  const value = config.sources.embedded;
  if (value === undefined) return undefined;
  const parsed = EmbeddedConfig.safeParse(value);
  if (!parsed.success) throw new Error(`embedded is misconfigured: ${parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`);
  return parsed.data;
}

/** Where demo mode writes the simulator's event files: inside the lake, under a "_" folder readers skip. */
export function demoEmbeddedEventsDir(lakeDir: string): string {
  return join(lakeDir, "_demo", "embedded-events");
}

/** The configuration with this source set (tests). */
export function withEmbeddedConfig(config: SyncConfig, embedded: EmbeddedConfig): SyncConfig {
  return { ...config, sources: { ...config.sources, embedded: EmbeddedConfig.parse(embedded) } };
}
