/**
 * Loaded by observablehq.config.ts, so it runs inside Framework's own process.
 * Framework quietly fetches from a CDN, the npm registry and the DuckDB extension
 * host when something is missing from its cache; the project promises a build with
 * no network but the loopback simulator. Any other fetch fails the build here with
 * a message that says what was missing and how to provide it.
 */
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

function explain(url: URL): string {
  if (url.hostname === "cdn.jsdelivr.net") {
    const specifier = url.pathname.replace(/^\/npm\//, "").replace(/\/\+esm$/, "").replace("@0.0.0-not-vendored", "");
    return (
      `the page needs npm:${specifier}, which the project does not provide. ` +
      `Add the package to package.json (exact version) and to VENDORED_LIBRARIES or VENDORED_FILES ` +
      `in tools/vendor-npm.ts; see "Adding a library" in the README`
    );
  }
  if (url.hostname === "registry.npmjs.org") {
    return `Framework tried to resolve a version of ${url.pathname.slice(1)} that is not vendored; add it to tools/vendor-npm.ts`;
  }
  if (url.hostname.endsWith("duckdb.org")) {
    return `a DuckDB-WASM extension was requested (${url.pathname}); extensions are disabled in observablehq.config.ts because they would be downloaded`;
  }
  return `no network is allowed during the build`;
}

export class OfflineBuildError extends Error {
  constructor(readonly url: string, reason: string) {
    super(`Offline build: refused to fetch ${url}: ${reason}.`);
    this.name = "OfflineBuildError";
  }
}

export function isAllowedUrl(href: string): boolean {
  const url = new URL(href);
  return (url.protocol === "http:" || url.protocol === "https:") && LOOPBACK_HOSTS.has(url.hostname);
}

let installed = false;

export function installOfflineGuard(): void {
  if (installed) return;
  installed = true;
  process.env.OBSERVABLE_TELEMETRY_DISABLE = "true";
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    const href = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (!isAllowedUrl(href)) {
      const error = new OfflineBuildError(href, explain(new URL(href)));
      // Framework sometimes logs and swallows a failed fetch; print it so it is seen.
      console.error(`\n${error.message}\n`);
      throw error;
    }
    return realFetch(input, init);
  };
}
