/**
 * The layers of the code and the rules between them (docs/architecture.md explains
 * them). `npm test` checks them (test/architecture.test.ts); for a readable report:
 *
 *   npm run check:layers
 *
 * Paths are relative to the project root. No rule lists exceptions: a module that
 * breaks one moves to where it belongs.
 */
const { existsSync, readdirSync, readFileSync } = require("node:fs");
const { basename, dirname, join, posix, relative, sep } = require("node:path");

const root = __dirname;

/** A regular expression matching exactly these project paths. */
function anyOf(paths) {
  return paths.length === 0 ? "^$" : paths.map((path) => `^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`).join("|");
}

/**
 * What the site's pages use, read from the pages themselves: the modules their code
 * blocks import and the data loaders behind their files (`FileAttachment`s, and the
 * front matter's `sql:` tables). The cruiser reads no Markdown, so without this every
 * component and loader would look unused.
 */
function pageEntryPoints() {
  const found = new Set();
  // A page's file "data/x.json" is built by the loader data/x.json.ts (or .js).
  // A parameterised loader (data/chats-[tier].arrow.gz.ts) builds every file its
  // pattern matches (data/chats-daily.arrow.gz), as Framework routes them.
  const addLoader = (file) => {
    for (const loader of [`${file}.ts`, `${file}.js`]) if (existsSync(loader)) return void found.add(loader);
    const folder = dirname(file);
    if (!existsSync(folder)) return;
    for (const entry of readdirSync(folder)) {
      const route = /^(.*\[\w+\].*)\.(?:ts|js)$/.exec(entry)?.[1];
      if (!route) continue;
      const pattern = route.split(/\[\w+\]/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("[^/]+");
      if (new RegExp(`^${pattern}$`).test(basename(file))) found.add(join(folder, entry));
    }
  };
  const pages = readdirSync(join(root, "src"), { recursive: true, withFileTypes: true }).filter(
    (entry) => entry.isFile() && entry.name.endsWith(".md") && !join(entry.parentPath, entry.name).includes(`${sep}.observablehq${sep}`),
  );
  for (const page of pages) {
    const text = readFileSync(join(page.parentPath, page.name), "utf8");
    const folder = page.parentPath;
    // Framework serves a TypeScript module under its .js name.
    for (const [, specifier] of text.matchAll(/\b(?:from|import\()\s*["'](\.{1,2}\/[^"']+)["']/g)) {
      const file = join(folder, specifier);
      const typescript = file.replace(/\.js$/, ".ts");
      found.add(existsSync(typescript) ? typescript : file);
    }
    for (const [, name] of text.matchAll(/\bFileAttachment\(\s*["']([^"']+)["']\s*\)/g)) addLoader(join(folder, name));
    const frontMatter = /^---\n([\s\S]*?)\n---/.exec(text)?.[1] ?? "";
    for (const [, name] of frontMatter.matchAll(/^\s+[\w-]+:\s*["']?([^\s"']+)["']?\s*$/gm)) addLoader(join(folder, name));
  }
  return [...found].map((file) => relative(root, file).split(sep).join(posix.sep)).sort();
}

/** The commands: npm scripts, and the files other processes run by path. */
const COMMANDS = [
  "tools/build.ts",
  "tools/catalog.ts",
  "tools/workflow-env.ts",
  "tools/dev.ts",
  "tools/nightly.ts",
  "tools/serve-dist.ts",
  "data-loaders/sync/cli.ts",
  "simulator/cli.ts",
  "simulator/measure-memory.ts",
  "embedded/build.ts",
  // The module embedded/build.ts bundles for agent consoles.
  "embedded/recorder/index.ts",
  "embedded/collector/cli.ts",
  "bench/run.ts",
  "bench/naive-client.ts",
  "bench/drivers/export-session-files.ts",
  "bench/drivers/ingest-floor.ts",
  "bench/drivers/liveperson-fetch.ts",
];

/** Configuration files their tools load by name. */
const CONFIGS = ["observablehq.config.ts", "vitest.config.ts", "test/browser/vitest.config.ts", "test/tools/working-tree-guard.ts"];

/** Test files, and the fixtures tests start as child processes. */
const TESTS = "^test/.+\\.test\\.ts$|^test/fixtures/|^test/.+/fixtures/";

/** Every module some tool starts from: whatever none of them reaches is dead. */
const ENTRY_POINTS = [anyOf([...COMMANDS, ...CONFIGS, ...pageEntryPoints()]), TESTS].join("|");

/**
 * The lowest layer, shared by the sync, the simulator and the recorder: the record
 * schemas, the drift policy they declare their fields with, the demo's metric shift, JSON text parsing with
 * limits, and atomic file writes. They import only zod, Node's own modules and each other.
 */
const SHARED = [
  "^data-loaders/[^/]+/schemas\\.ts$",
  "^data-loaders/drift/policy\\.ts$",
  "^data-loaders/demo-shift\\.ts$",
  "^data-loaders/lake/fs-atomic\\.ts$",
  "^embedded/schemas\\.ts$",
  "^embedded/json-text\\.ts$",
].join("|");

/** The only modules that may start the simulator: a command, or the demo wiring only commands import. */
const DEMO_WIRING = "(^|/)(cli|demo)\\.ts$";

/** Imports from modules matching `from` to modules matching `to` are errors; `comment` says why. */
function forbid(name, comment, from, to) {
  return { name, comment, severity: "error", from, to };
}

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    forbid("no-circular", "Modules that import each other (type-only imports count) cannot be read, tested or moved on their own.",
      {}, { circular: true }),
    forbid("no-orphans", "A module nothing imports and that imports nothing, and that no tool starts from, is dead.",
      { orphan: true, pathNot: ENTRY_POINTS }, {}),
    forbid("no-unreachable", "A module no command, page, configuration or test reaches, even through others, is dead.",
      { path: ENTRY_POINTS }, { path: "^(data-loaders|src|tools|bench|simulator|embedded|test)/", pathNot: ENTRY_POINTS, reachable: false }),
    forbid("not-to-unresolvable", "An import that resolves to no file (Framework's npm: imports aside, which Framework resolves).",
      {}, { couldNotResolve: true, pathNot: "^npm:" }),
    forbid("shared-imports-only-shared", "The lowest layer imports only zod, Node's own modules and itself.",
      { path: SHARED }, { pathNot: `${SHARED}|^node_modules/zod/`, dependencyTypesNot: ["core"] }),
    forbid("production-not-simulator", "The production path never imports the simulator: demo mode is wired at the top, by a command (cli.ts) or its demo wiring (demo.ts).",
      { path: "^(data-loaders|src|tools)/", pathNot: DEMO_WIRING }, { path: "^simulator/" }),
    forbid("demo-wiring-only-from-commands", "The demo wiring starts the simulator, so only a command imports it.",
      { path: "^(data-loaders|src|tools)/", pathNot: "(^|/)cli\\.ts$" }, { path: "(^|/)demo\\.ts$" }),
    forbid("beside-imports-only-shared", "simulator/ and embedded/ stand beside the sync: of the rest they import only the shared lowest layer.",
      { path: "^(simulator|embedded)/" }, { path: "^(data-loaders|src|tools|bench|simulator|embedded)/", pathNot: `^$1/|${SHARED}` }),
    forbid("data-loaders-not-up", "The sync, the lake and the models serve the site and the commands, never the reverse.",
      { path: "^data-loaders/" }, { path: "^(src|tools|bench)/" }),
    forbid("data-loaders-not-beside", "Of embedded/, the sync imports only the shared schemas and JSON parsing.",
      { path: "^data-loaders/" }, { path: "^embedded/", pathNot: SHARED }),
    forbid("site-not-up", "The site (pages' components, loaders) uses the sync's layers, never the commands or tests.",
      { path: "^src/" }, { path: "^(tools|bench|embedded)/", pathNot: SHARED }),
    forbid("components-stay-in-the-browser", "Page components run in the browser: only other components and packages, no Node module, no loader, no sync.",
      { path: "^src/components/" }, { pathNot: "^src/components/|^npm:|^node_modules/" }),
    forbid("recorder-stays-in-the-browser", "The recorder bundle (with the schemas and drift policy it validates with) runs in an agent's browser: no Node module.",
      { path: "^embedded/recorder/|^embedded/fields\\.ts$|^embedded/schemas\\.ts$|^data-loaders/drift/policy\\.ts$" }, { dependencyTypes: ["core"] }),
    forbid("tools-not-up", "The commands are not built on the benchmark.",
      { path: "^tools/" }, { path: "^bench/" }),
    forbid("only-checks-import-tests", "Test helpers serve the tests and the benchmark (which times pages with the browser suite's harness), nothing else.",
      { path: "^(data-loaders|src|tools|simulator|embedded)/" }, { path: "^test/" }),
  ],
  options: {
    // Type-only imports are edges too: a cycle through a type is still a cycle.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    doNotFollow: { path: "^node_modules/" },
    exclude: { path: "(^|/)(node_modules|dist|\\.observablehq)/" },
    // Packages resolve through their "exports" as Node does (parquet-wasm/node is only there).
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
  },
};
