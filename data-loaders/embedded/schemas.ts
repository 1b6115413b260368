/**
 * The embedded events' shapes (seed 002) for the sync. They are defined once, in
 * embedded/schemas.ts, because the browser recorder and the collector validate
 * against the very same schemas; this module only gives the sync the usual
 * `data-loaders/<source>/schemas.ts` entry point.
 */
export * from "../../embedded/schemas.js";
