import { installOfflineGuard } from "./tools/offline-guard.js";

// Framework runs this file in its own process: refuse every fetch off this machine.
installOfflineGuard();

export default {
  root: "src",
  title: "Support Insights",
  // Light and dark follow the viewer's system setting.
  theme: ["air", "near-midnight"],
  // The default stylesheet loads Source Serif from a font host; use system fonts.
  globalStylesheets: [],
  // DuckDB-WASM would download its json and parquet extensions at build time.
  // Pages query Arrow IPC files instead (see README, "SQL in pages").
  duckdb: { extensions: { json: null, parquet: null } },
  search: false,
  footer: "Support Insights · built from the project's own data lake",
};
