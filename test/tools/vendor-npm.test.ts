import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { digestVendored, NOT_VENDORED_VERSION, VENDORED_FILES, VENDORED_LIBRARIES, vendorNpm, type VendorResult } from "../../tools/vendor-npm.js";

const projectRoot = process.cwd();
let cacheRoot: string;
let result: VendorResult;

function installedVersion(name: string): string {
  const pkg = JSON.parse(readFileSync(join(projectRoot, "node_modules", name, "package.json"), "utf-8")) as { version: string };
  return pkg.version;
}

function importSpecifiers(code: string): string[] {
  const specifiers: string[] = [];
  for (const match of code.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*(["'])([^"']+)\1/g)) {
    if (match[2]) specifiers.push(match[2]);
  }
  return specifiers;
}

beforeAll(async () => {
  cacheRoot = await mkdtemp(join(tmpdir(), "si-vendor-"));
  result = await vendorNpm({ projectRoot, cacheRoot });
}, 120_000);

afterAll(async () => {
  await rm(cacheRoot, { recursive: true, force: true });
});

describe("vendorNpm", () => {
  it("writes each library at the version installed from the lockfile", () => {
    for (const library of VENDORED_LIBRARIES) {
      const [scopeOrName, maybeName, ...rest] = library.split("/");
      const name = library.startsWith("@") ? `${scopeOrName}/${maybeName}` : (scopeOrName as string);
      const subpath = (library.startsWith("@") ? rest : [maybeName, ...rest]).filter(Boolean).join("/");
      const bundle = join(cacheRoot, "_npm", `${name}@${installedVersion(name)}`, subpath ? `${subpath}._esm.js` : "_esm.js");
      expect(existsSync(bundle), bundle).toBe(true);
    }
  });

  it("copies the WebAssembly and worker files Framework asks for by path", () => {
    expect(result.files).toHaveLength(VENDORED_FILES.length);
    for (const file of result.files) expect(existsSync(join(cacheRoot, "_npm", file)), file).toBe(true);
  });

  it("leaves no bare import: every import points at another vendored bundle that exists", async () => {
    for (const module of result.modules) {
      const path = join(cacheRoot, "_npm", module);
      for (const specifier of importSpecifiers(await readFile(path, "utf-8"))) {
        expect(specifier.startsWith("./") || specifier.startsWith("../"), `${module} imports ${specifier}`).toBe(true);
        expect(existsSync(resolve(dirname(path), specifier)), `${module} → ${specifier}`).toBe(true);
      }
    }
  });

  it("shares one Arrow between DuckDB-WASM and pages", async () => {
    const duckdb = await readFile(join(cacheRoot, "_npm", "@duckdb/duckdb-wasm@1.29.0/_esm.js"), "utf-8");
    expect(importSpecifiers(duckdb)).toContain(`../../apache-arrow@${installedVersion("apache-arrow")}/_esm.js`);
    const arrowVersions = result.modules.filter((m) => m.startsWith("apache-arrow@"));
    expect(arrowVersions).toEqual([`apache-arrow@${installedVersion("apache-arrow")}/_esm.js`]);
  });

  it("gives CommonJS packages their named exports (Framework needs react-dom's createRoot)", async () => {
    const bundle = await readFile(join(cacheRoot, "_npm", `react-dom@${installedVersion("react-dom")}`, "client._esm.js"), "utf-8");
    expect(bundle).toMatch(/export\s*\{[^}]*createRoot/);
  });

  it("writes version-only placeholders for libraries Framework mentions but we do not provide", () => {
    expect(result.placeholders).toContain("lodash");
    expect(result.placeholders).not.toContain("d3");
    expect(existsSync(join(cacheRoot, "_npm", `lodash@${NOT_VENDORED_VERSION}`))).toBe(true);
    expect(existsSync(join(cacheRoot, "_npm", `lodash@${NOT_VENDORED_VERSION}`, "_esm.js"))).toBe(false);
  });

  it("is reproducible: a second run writes the same bytes", async () => {
    const first = await digestVendored(cacheRoot, result);
    const again = await vendorNpm({ projectRoot, cacheRoot });
    expect(await digestVendored(cacheRoot, again)).toBe(first);
  }, 120_000);
});
