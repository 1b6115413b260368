/**
 * A Content-Security-Policy for every built page, added after `observable build`
 * as a `<meta http-equiv="Content-Security-Policy">` at the top of each page's
 * `<head>` (before any script, so it governs all of them).
 *
 * Scripts: the site's own files (`'self'`) and the SHA-256 of each inline script
 * the page was built with (Framework puts each page's code in one inline module
 * and the sidebar's in another); no `'unsafe-inline'`, no `eval`. A script that
 * text from a vendor managed to put into the page at run time has no hash, so the
 * browser refuses it and reports a violation. The hashes trust what is in the built
 * HTML: it comes from our own Markdown; vendor data reaches pages only through data
 * files, rendered as text.
 *
 * WebAssembly only where a page uses it: DuckDB-WASM (`sql:` front matter, the
 * `DuckDBClient`) and parquet-wasm (`FileAttachment(...).parquet()`) compile
 * WebAssembly (`'wasm-unsafe-eval'`, which allows compiling WebAssembly and not
 * JavaScript `eval`), and DuckDB-WASM runs in a worker started from a `blob:` URL.
 *
 * Styles: `'unsafe-inline'` for styles only. Plot writes a `<style>` element into
 * every chart and `style` attributes on its marks, Inputs and htl set `style`
 * attributes, and the page header (the demo banner) carries one; all of them are
 * made at run time, so no hash can list them. CSS cannot run script, and what it
 * could fetch is held to this site by img-src, font-src and connect-src.
 *
 * A meta policy cannot carry `frame-ancestors` (browsers ignore it there, with a
 * console error), so it is left to the server's headers: HEADER_POLICY below is what
 * the README's server configuration sends, and the browser enforces both policies.
 */
import { createHash } from "node:crypto";
import { readdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";

const META_PREFIX = '<meta http-equiv="Content-Security-Policy" content="';

/** The directives every page gets, whatever its scripts. */
const COMMON_DIRECTIVES: ReadonlyArray<readonly [string, string]> = [
  ["default-src", "'self'"],
  ["style-src", "'self' 'unsafe-inline'"],
  // data: for the small SVG icons in Framework's stylesheet; blob: for images a page makes.
  ["img-src", "'self' data: blob:"],
  ["font-src", "'self' data:"],
  ["connect-src", "'self'"],
  ["object-src", "'none'"],
  // Framework's 404 page sets <base href="/">: the site's own origin only.
  ["base-uri", "'self'"],
  ["form-action", "'self'"],
];

/**
 * The policy a server (or a proxy in front of Pages) sends as an HTTP header with
 * every file of the site: what a meta element cannot carry (frame-ancestors) and the
 * rest of the pages' policy. It has no script-src and no default-src (which scripts
 * would fall back to): the script hashes differ per page, so scripts are governed by
 * each page's meta policy alone. The browser enforces both policies.
 */
export const HEADER_POLICY = [
  ...COMMON_DIRECTIVES.slice(1).map(([name, value]) => `${name} ${value}`),
  "worker-src 'self' blob:",
  "frame-ancestors 'none'",
].join("; ");

/** The other headers the README's server configuration sends with every file. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy": HEADER_POLICY,
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
};

export interface PagePolicy {
  policy: string;
  inlineScripts: number;
  wasm: boolean;
}

/** Inline `<script>` elements (no src) in an HTML document, as the text the browser hashes. */
export function inlineScripts(html: string): string[] {
  const scripts: string[] = [];
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    const attributes = match[1] ?? "";
    if (/\bsrc\s*=/i.test(attributes)) continue;
    scripts.push(match[2] ?? "");
  }
  return scripts;
}

/** Whether the page loads DuckDB-WASM or parquet-wasm, which compile WebAssembly. */
export function usesWasm(html: string): boolean {
  return /duckdb|parquet/i.test(html.replace(/<main\b[\s\S]*<\/main>/i, ""));
}

export function sha256Source(text: string): string {
  return `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
}

export function pagePolicy(html: string): PagePolicy {
  const scripts = inlineScripts(html);
  const wasm = usesWasm(html);
  const hashes = [...new Set(scripts.map(sha256Source))];
  const directives: Array<readonly [string, string]> = [
    ...COMMON_DIRECTIVES.slice(0, 1),
    ["script-src", ["'self'", ...hashes, ...(wasm ? ["'wasm-unsafe-eval'"] : [])].join(" ")],
    ...COMMON_DIRECTIVES.slice(1),
    ["worker-src", wasm ? "'self' blob:" : "'self'"],
  ];
  return { policy: directives.map(([name, value]) => `${name} ${value}`).join("; "), inlineScripts: scripts.length, wasm };
}

/** The page with its policy as the first element of <head> after the charset (replacing an earlier one). */
export function withPolicy(html: string): { html: string; page: PagePolicy } {
  const withoutOld = html.replace(/<meta http-equiv="Content-Security-Policy" content="[^"]*">\n?/g, "");
  const page = pagePolicy(withoutOld);
  const meta = `${META_PREFIX}${page.policy}">`;
  const charset = /<meta charset="utf-8">\n?/i.exec(withoutOld);
  if (charset) {
    const at = charset.index + charset[0].length;
    return { html: `${withoutOld.slice(0, at)}${meta}\n${withoutOld.slice(at)}`, page };
  }
  const head = /<head[^>]*>\n?/i.exec(withoutOld);
  if (!head) throw new Error("no <head> to put the Content-Security-Policy in");
  const at = head.index + head[0].length;
  return { html: `${withoutOld.slice(0, at)}${meta}\n${withoutOld.slice(at)}`, page };
}

/** The policy meta of a built page, or undefined. */
export function readPolicy(html: string): string | undefined {
  const at = html.indexOf(META_PREFIX);
  if (at < 0) return undefined;
  const start = at + META_PREFIX.length;
  return html.slice(start, html.indexOf('"', start));
}

async function htmlFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith(".html")) files.push(join(entry.parentPath, entry.name));
  }
  return files.sort();
}

/**
 * Adds the policy to every page of a built site. Each page is rewritten through a
 * temporary file and a rename, so a page is never half-written.
 */
export async function applyCsp(siteDir: string): Promise<{ pages: number; wasmPages: string[] }> {
  const wasmPages: string[] = [];
  const files = await htmlFiles(siteDir);
  for (const file of files) {
    const { html, page } = withPolicy(await readFile(file, "utf8"));
    if (page.wasm) wasmPages.push(file.slice(siteDir.length + 1));
    const temporary = `${file}.csp-tmp`;
    await writeFile(temporary, html);
    await rename(temporary, file);
  }
  return { pages: files.length, wasmPages };
}
