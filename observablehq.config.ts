import { MartsMissingError, openMarts, readMartsManifestSync } from "./data-loaders/site.js";
import { installOfflineGuard } from "./tools/offline-guard.js";

// Framework runs this file in its own process: refuse every fetch off this machine.
installOfflineGuard();

// Data from the embedded simulator must never pass for real: every page says so.
const manifest = readMartsManifestSync();
const demoBanner = manifest?.demo
  ? `<div class="si-demo-banner" role="status" data-testid="demo-banner" style="margin:0 0 1rem;padding:.5rem .75rem;border-radius:6px;background:#fff3cd;color:#5c4400;border:1px solid #e0c36a;font-weight:600">Demo data: these figures come from the embedded simulator, not from your vendors. Set the credentials listed in the README to see real data.</div>`
  : "";

/**
 * One page per agent (src/agents/[agent].md), for every agent key in the agents
 * mart. Without marts (a fresh clone, a type check) there are no agent pages.
 */
async function* agentPaths(): AsyncGenerator<string> {
  let db: Awaited<ReturnType<typeof openMarts>>;
  try {
    db = await openMarts();
  } catch (error) {
    if (error instanceof MartsMissingError) return;
    throw error;
  }
  try {
    const rows = await db.queryRows("SELECT agent_key FROM agents WHERE agent_key IS NOT NULL ORDER BY agent_key");
    for (const row of rows) if (typeof row.agent_key === "string") yield `/agents/${row.agent_key}`;
  } finally {
    db.close();
  }
}

export default {
  root: "src",
  // `npm run build` and `npm run nightly` set it (the nightly: a new dist.versions/<id>.partial/ folder).
  output: process.env.SI_BUILD_OUTPUT ?? "dist",
  title: "Support Insights",
  // Framework's default styles and the air / near-midnight themes (light and dark
  // follow the viewer's system setting), with the contrast and focus corrections
  // WCAG 2.2 AA needs (see the file). A `style` replaces `theme`, so the file imports them.
  style: "style.css",
  // The default stylesheet loads Source Serif from a font host; use system fonts.
  globalStylesheets: [],
  // DuckDB-WASM would download its json and parquet extensions at build time.
  // Pages query Arrow IPC files instead (see README, "SQL in pages").
  duckdb: { extensions: { json: null, parquet: null } },
  search: false,
  pages: [
    { name: "Overview", path: "/" },
    { name: "Co-browsing", path: "/cobrowsing" },
    { name: "Embedded sessions", path: "/embedded-sessions" },
    { name: "Chat engagements", path: "/chats" },
    { name: "Chat history", path: "/chat-history" },
    { name: "Agents", path: "/agents" },
    { name: "Data", path: "/data" },
  ],
  dynamicPaths: agentPaths,
  toc: false,
  header: demoBanner,
  footer: "Support Insights · built from the project's own data lake",
};
