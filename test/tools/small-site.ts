/**
 * A two-page Framework project for tests that run the nightly many times
 * (`SI_SITE_SOURCE`): the real site's 36 loaders take over a minute per build, and
 * what these tests check (the sync, the publish step) does not depend on which
 * pages are built. Its one loader reads the lake's marts, so each page shows the
 * data of the lake it was built from.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

const projectRoot = process.cwd();

export const SMALL_SITE_PAGES = ["index.html", "about.html", "404.html"];

export async function writeSmallSite(dir: string): Promise<string> {
  await mkdir(join(dir, "src", "data"), { recursive: true });
  // ES modules, as in the project (tsx then loads the config's TypeScript imports).
  await writeFile(join(dir, "package.json"), `${JSON.stringify({ private: true, type: "module" })}\n`);
  await writeFile(
    join(dir, "observablehq.config.ts"),
    [
      `import { installOfflineGuard } from ${JSON.stringify(join(projectRoot, "tools", "offline-guard.ts"))};`,
      "installOfflineGuard();",
      "export default {",
      '  root: "src",',
      '  output: process.env.SI_BUILD_OUTPUT ?? "dist",',
      '  title: "Small site",',
      "  globalStylesheets: [],",
      "  duckdb: { extensions: { json: null, parquet: null } },",
      "  search: false,",
      '  pages: [{ name: "About", path: "/about" }],',
      "};",
      "",
    ].join("\n"),
  );
  const page = (title: string) =>
    `# ${title}\n\n\`\`\`js\nconst counts = await FileAttachment("data/counts.json").json();\n\`\`\`\n\n<p data-testid="counts">${"${"}JSON.stringify(counts)}</p>\n`;
  await writeFile(join(dir, "src", "index.md"), page("Small site"));
  await writeFile(join(dir, "src", "about.md"), page("About"));
  await writeFile(
    join(dir, "src", "data", "counts.json.ts"),
    [
      'import { openMarts } from "../../data-loaders/site.js";',
      "const db = await openMarts();",
      "try {",
      '  const [row] = await db.queryRows("SELECT (SELECT count(*) FROM engagements)::INTEGER AS engagements, (SELECT count(*) FROM cobrowse_sessions)::INTEGER AS sessions");',
      "  process.stdout.write(JSON.stringify(row));",
      "} finally {",
      "  db.close();",
      "}",
      "",
    ].join("\n"),
  );
  return dir;
}
