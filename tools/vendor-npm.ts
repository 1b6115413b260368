/**
 * Fills Observable Framework's npm cache (`src/.observablehq/cache/_npm`) with ES
 * module bundles built from `node_modules`, so that `npm:` imports resolve to the
 * versions the lockfile pins and the build never asks a CDN or the registry.
 *
 * Framework looks for `_npm/<name>@<version>/_esm.js` (what jsDelivr calls `+esm`)
 * before fetching, and resolves an unversioned `npm:<name>` to the highest version
 * it finds there. We mirror jsDelivr's shape: one bundle per package, with every
 * import of another package left external and pointed at that package's own
 * bundle. Sharing matters: Plot and the page must see one d3, and DuckDB-WASM and
 * the page must see one Arrow, or `instanceof` checks fail across copies.
 *
 * We write this ourselves (on top of esbuild, which Framework already uses) because
 * Framework has no offline mode; the alternative, a local CDN mirror, would still
 * need network at build time.
 */
import { build, type Plugin } from "esbuild";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { builtinModules, createRequire } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";

/** Libraries pages may import with `npm:`. Add a package here and to package.json. */
export const VENDORED_LIBRARIES: readonly string[] = [
  "@observablehq/plot",
  "@observablehq/inputs",
  "d3",
  "d3-dsv",
  "htl",
  "apache-arrow",
  "parquet-wasm",
  "@duckdb/duckdb-wasm",
  // Framework's client imports react-dom for JSX pages, even when no page uses JSX.
  "react",
  "react-dom",
  "react-dom/client",
];

/**
 * Libraries bundled with all their dependencies inside, instead of one bundle per
 * dependency. d3 is thirty packages (d3-array, d3-scale, …): as separate bundles
 * every page that draws a chart makes thirty more requests before its first chart,
 * queued six at a time by the browser. Only d3 itself imports them (Plot imports
 * "d3"), so there is still one copy of each; the same holds for apache-arrow's
 * flatbuffers and tslib.
 */
export const BUNDLED_WITH_DEPENDENCIES: ReadonlySet<string> = new Set(["d3", "apache-arrow"]);

/**
 * Non-module files Framework asks for by path (WebAssembly and classic workers).
 * Each is `<package>/<path inside the package>`.
 */
export const VENDORED_FILES: readonly string[] = [
  "@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm",
  "@duckdb/duckdb-wasm/dist/duckdb-eh.wasm",
  "@duckdb/duckdb-wasm/dist/duckdb-browser-mvp.worker.js",
  "@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js",
  "parquet-wasm/esm/parquet_wasm_bg.wasm",
];

interface PackageRef {
  name: string;
  version: string;
  dir: string;
}

interface ModuleJob {
  pkg: PackageRef;
  /** Absolute path of the entry file as resolved for the browser. */
  entry: string;
  /** Path of the bundle below `_npm/`, such as `d3@7.9.0/_esm.js`. */
  outPath: string;
}

export interface VendorResult {
  modules: string[];
  files: string[];
  /** Libraries Framework's client mentions that are not vendored (version-only entries). */
  placeholders: string[];
}

/**
 * The version written for a library Framework's client refers to lazily (lodash,
 * echarts, leaflet, …) that the project does not provide. Framework only needs a
 * version to write the URL of a lazy import; a page that really uses the library
 * makes Framework fetch it, which the offline guard refuses with a clear message.
 */
export const NOT_VENDORED_VERSION = "0.0.0-not-vendored";

function splitSpecifier(specifier: string): { name: string; subpath: string | undefined } {
  const parts = specifier.split("/");
  const nameParts = specifier.startsWith("@") ? parts.splice(0, 2) : parts.splice(0, 1);
  return { name: nameParts.join("/"), subpath: parts.length > 0 ? parts.join("/") : undefined };
}

/** Finds the package that owns a resolved file: the nearest package.json with a name. */
function owningPackage(file: string): PackageRef {
  let dir = dirname(file);
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      const pkg = JSON.parse(readFileSync(manifest, "utf-8")) as { name?: string; version?: string };
      if (pkg.name && pkg.version) return { name: pkg.name, version: pkg.version, dir };
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json with a name above ${file}`);
    dir = parent;
  }
}

function bundlePath(pkg: PackageRef, subpath: string | undefined): string {
  return `${pkg.name}@${pkg.version}/${subpath ? `${subpath}._esm.js` : "_esm.js"}`;
}

function toPosix(path: string): string {
  return path.split(sep).join("/");
}

export async function vendorNpm(options: { projectRoot: string; cacheRoot: string; log?: (line: string) => void }): Promise<VendorResult> {
  const { projectRoot, cacheRoot } = options;
  const log = options.log ?? (() => {});
  const npmRoot = join(cacheRoot, "_npm");
  const pending: ModuleJob[] = [];
  const queued = new Map<string, ModuleJob>();
  const written: string[] = [];

  // Stale versions would win Framework's "highest cached version" lookup, so the
  // folder is rebuilt from node_modules every time; bundling all of it takes seconds.
  await rm(npmRoot, { recursive: true, force: true });

  const enqueue = (pkg: PackageRef, subpath: string | undefined, entry: string): ModuleJob => {
    const outPath = bundlePath(pkg, subpath);
    let job = queued.get(outPath);
    if (!job) {
      job = { pkg, entry, outPath };
      queued.set(outPath, job);
      pending.push(job);
    }
    return job;
  };

  // Resolves a bare specifier the way a browser bundler would, from a directory.
  const resolveForBrowser = async (specifier: string, fromDir: string): Promise<string> => {
    const result = await build({
      stdin: { contents: `import ${JSON.stringify(specifier)};`, resolveDir: fromDir },
      bundle: true,
      write: false,
      platform: "browser",
      format: "esm",
      metafile: true,
      logLevel: "silent",
      plugins: [
        {
          name: "capture-entry",
          setup(b) {
            b.onLoad({ filter: /.*/ }, (args) => (args.path === "<stdin>" ? undefined : { contents: "", loader: "js" }));
          },
        },
      ],
    });
    const inputs = Object.keys(result.metafile?.inputs ?? {}).filter((p) => p !== "<stdin>");
    const first = inputs[0];
    if (!first) throw new Error(`cannot resolve ${specifier} from ${fromDir}`);
    return resolve(projectRoot, first);
  };

  for (const library of VENDORED_LIBRARIES) {
    const entry = await resolveForBrowser(library, projectRoot);
    enqueue(owningPackage(entry), splitSpecifier(library).subpath, entry);
  }

  while (pending.length > 0) {
    const job = pending.shift() as ModuleJob;
    const externalize: Plugin = {
      name: "externalize-other-packages",
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, async (args) => {
          if (args.kind === "entry-point" || args.pluginData === "resolving") return undefined;
          if (BUNDLED_WITH_DEPENDENCIES.has(job.pkg.name)) return undefined;
          const bare = args.path.replace(/^node:/, "");
          if (builtinModules.includes(splitSpecifier(bare).name)) {
            throw new Error(`${job.pkg.name}@${job.pkg.version} imports the Node built-in "${args.path}", which has no browser build`);
          }
          const resolved = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: "resolving" });
          if (resolved.errors.length > 0 || !resolved.path) return undefined;
          const owner = owningPackage(resolved.path);
          if (owner.dir === job.pkg.dir) return undefined; // a self-reference stays inside the bundle
          const dep = enqueue(owner, splitSpecifier(args.path).subpath, resolved.path);
          const from = dirname(join(npmRoot, job.outPath));
          let rel = toPosix(relative(from, join(npmRoot, dep.outPath)));
          if (!rel.startsWith(".")) rel = `./${rel}`;
          return { path: rel, external: true };
        });
      },
    };
    const result = await build({
      ...entryFor(job),
      bundle: true,
      define: { "process.env.NODE_ENV": '"production"' },
      write: false,
      format: "esm",
      platform: "browser",
      target: "es2022",
      minify: true,
      legalComments: "inline",
      logLevel: "silent",
      plugins: [externalize],
    });
    const output = result.outputFiles[0];
    if (!output) throw new Error(`esbuild produced nothing for ${job.outPath}`);
    const target = join(npmRoot, job.outPath);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, output.contents);
    const manifest = join(npmRoot, `${job.pkg.name}@${job.pkg.version}`, "package.json");
    if (!existsSync(manifest)) await copyFile(join(job.pkg.dir, "package.json"), manifest);
    written.push(job.outPath);
    log(`npm:${job.outPath.replace(/\/_esm\.js$/, "")} ← node_modules (${(output.contents.length / 1024).toFixed(0)} KiB)`);
  }

  const files: string[] = [];
  for (const spec of VENDORED_FILES) {
    const { name, subpath } = splitSpecifier(spec);
    if (!subpath) throw new Error(`vendored file needs a path inside the package: ${spec}`);
    const pkg = owningPackage(join(resolvePackageDir(name, projectRoot), "package.json"));
    const target = join(npmRoot, `${pkg.name}@${pkg.version}`, subpath);
    await mkdir(dirname(target), { recursive: true });
    await copyFile(join(pkg.dir, subpath), target);
    files.push(`${pkg.name}@${pkg.version}/${subpath}`);
  }
  const vendoredNames = new Set([...queued.values()].map((job) => job.pkg.name));
  const placeholders: string[] = [];
  for (const name of await frameworkClientLibraries(projectRoot)) {
    if (vendoredNames.has(name)) continue;
    await mkdir(join(npmRoot, `${name}@${NOT_VENDORED_VERSION}`), { recursive: true });
    placeholders.push(name);
  }
  return { modules: written, files, placeholders };
}

/** Every package named by an `npm:` specifier in Framework's browser client. */
async function frameworkClientLibraries(projectRoot: string): Promise<string[]> {
  const clientDir = join(resolvePackageDir("@observablehq/framework", projectRoot), "dist", "client");
  const names = new Set<string>();
  for (const entry of await readdir(clientDir, { recursive: true })) {
    if (!entry.endsWith(".js")) continue;
    const source = await readFile(join(clientDir, entry), "utf-8");
    for (const match of source.matchAll(/["'`]npm:((?:@[\w.-]+\/)?[\w.-]+)/g)) {
      if (match[1]) names.add(match[1]);
    }
  }
  return [...names].sort();
}

/**
 * esbuild turns a CommonJS entry into an ES module with only a default export;
 * consumers such as Framework's `const {createRoot} = await import("npm:react-dom")`
 * need named exports too. Like jsDelivr, we list the names by loading the module
 * in Node and re-export them from a small wrapper around the bundled module.
 */
function entryFor(job: ModuleJob): { entryPoints: string[] } | { stdin: { contents: string; resolveDir: string; sourcefile: string } } {
  if (!isCommonJS(job.entry)) return { entryPoints: [job.entry] };
  let names: string[] = [];
  try {
    const loaded: unknown = createRequire(job.entry)(job.entry);
    if (loaded !== null && (typeof loaded === "object" || typeof loaded === "function")) {
      names = Object.keys(loaded).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== "default");
    }
  } catch {
    // Browser-only code may not load in Node; it keeps just its default export.
  }
  const source = JSON.stringify(job.entry);
  const contents = [
    `import module from ${source};`,
    names.length > 0 ? `export const { ${names.join(", ")} } = module;` : "",
    "export default module;",
  ].join("\n");
  return { stdin: { contents, resolveDir: dirname(job.entry), sourcefile: job.entry } };
}

function isCommonJS(file: string): boolean {
  if (file.endsWith(".cjs")) return true;
  if (file.endsWith(".mjs")) return false;
  const source = readFileSync(file, "utf-8");
  const hasEsmSyntax = /(^|[\n;])\s*(import\s*[\w*{]|export\s+[\w*{]|export\s+default)/.test(source);
  return !hasEsmSyntax && /\b(module\.exports|exports\.\w+|require\s*\()/.test(source);
}

function resolvePackageDir(name: string, fromDir: string): string {
  let dir = fromDir;
  for (;;) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`package ${name} is not installed (run npm install)`);
    dir = parent;
  }
}

/** A digest of every vendored file, so tests can prove two runs give the same cache. */
export async function digestVendored(cacheRoot: string, result: VendorResult): Promise<string> {
  const hash = createHash("sha256");
  for (const path of [...result.modules, ...result.files].sort()) {
    hash.update(path);
    hash.update(await readFile(join(cacheRoot, "_npm", path)));
  }
  return hash.digest("hex");
}
