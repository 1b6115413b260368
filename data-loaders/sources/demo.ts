/** Demo mode's configuration: every source pointed at the simulator by its own definition. */
import type { SyncConfig } from "../settings.js";
import type { DemoSimulator, SourceList } from "./definition.js";

/** `config` with every source of `sources` configured for the simulator; `files` holds the folders demo files were written to, per source. */
export function demoSourcesConfig(config: SyncConfig, sources: SourceList, simulator: DemoSimulator, files: ReadonlyMap<string, string> = new Map()): SyncConfig {
  return { ...config, sources: Object.fromEntries(sources.map((source) => [source.name, source.demo.config(simulator, files.get(source.name))])) };
}
