import { readMartsManifestSync } from "./data-loaders/site.js";
import { installOfflineGuard } from "./tools/offline-guard.js";

// Framework runs this file in its own process: refuse every fetch off this machine.
installOfflineGuard();

// Data from the embedded simulator must never pass for real: every page says so.
const manifest = readMartsManifestSync();
const demoBanner = manifest?.demo
  ? `<div class="si-demo-banner" role="status" data-testid="demo-banner" style="margin:0 0 1rem;padding:.5rem .75rem;border-radius:6px;background:#fff3cd;color:#5c4400;border:1px solid #e0c36a;font-weight:600">Demo data: these figures come from the embedded simulator, not from your vendors. Set the credentials listed in the README to see real data.</div>`
  : "";

export default {
  root: "src",
  // `npm run nightly` builds into dist.next/ and swaps it in only when the build succeeded.
  output: process.env.SI_BUILD_OUTPUT ?? "dist",
  title: "Support Insights",
  // Light and dark follow the viewer's system setting.
  theme: ["air", "near-midnight"],
  // The default stylesheet loads Source Serif from a font host; use system fonts.
  globalStylesheets: [],
  // DuckDB-WASM would download its json and parquet extensions at build time.
  // Pages query Arrow IPC files instead (see README, "SQL in pages").
  duckdb: { extensions: { json: null, parquet: null } },
  search: false,
  header: demoBanner,
  footer: "Support Insights · built from the project's own data lake",
};
