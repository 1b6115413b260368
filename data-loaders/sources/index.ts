/**
 * The registry: every source the project syncs, in the order runs take them. The
 * configuration (config.ts), the engine, the CLI's help and `--source` choices, the
 * labels, the models' source tables and the catalog are all read from this list.
 */
import { agendizeSource } from "../agendize/source.js";
import { embeddedSource } from "../embedded/source.js";
import { livePersonSource } from "../liveperson/source.js";
import { upscopeSource } from "../upscope/source.js";
export type { SourceList } from "./definition.js";

export const SOURCE_DEFINITIONS = [upscopeSource, livePersonSource, agendizeSource, embeddedSource] as const;

export type SourceName = (typeof SOURCE_DEFINITIONS)[number]["name"];
/** The vendors, plus the embedded session events the recorder collects (see embedded/). */
export const SOURCES: readonly SourceName[] = SOURCE_DEFINITIONS.map((source) => source.name);

/** Each source's human name, for pages and the CLI. */
export const SOURCE_LABELS: Readonly<Record<SourceName, string>> = Object.fromEntries(SOURCE_DEFINITIONS.map((source) => [source.name, source.label])) as Record<SourceName, string>;

