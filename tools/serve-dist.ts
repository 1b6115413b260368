/**
 * Serves the built site (`dist/`) on 127.0.0.1 the way a static host would, with
 * HTTP Range support (DuckDB-WASM reads files in ranges) and Framework's clean
 * URLs (`/overview` → `overview.html`). Used by `npm run preview` and the browser
 * tests. `send` does the file serving: ranges, MIME types, ETags, conditional GETs.
 */
import { existsSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import send from "send";
import { SECURITY_HEADERS } from "./csp.js";

export interface DistServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** A request target that cannot name a file: answered 400, never thrown (a throw here used to stop the server). */
class MalformedUrl extends Error {}

/** The decoded path, or MalformedUrl for a broken percent-escape, bytes that are not UTF-8, or a control character (NUL included). */
export function decodeRequestPath(pathname: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    throw new MalformedUrl("the URL has a broken percent-escape or is not UTF-8");
  }
  if (/[\u0000-\u001f\u007f]/.test(decoded)) throw new MalformedUrl("the URL holds a control character");
  return decoded;
}

function requestPathname(target: string | undefined): string {
  try {
    return new URL(target ?? "/", "http://localhost").pathname;
  } catch {
    throw new MalformedUrl("the request target is not a URL");
  }
}

function resolveRequestPath(root: string, pathname: string): string | undefined {
  const decoded = decodeRequestPath(pathname);
  const clean = normalize(decoded).replace(/^(\.\.(\/|\\|$))+/, "");
  const candidates = clean.endsWith("/") ? [join(clean, "index.html")] : [clean, `${clean}.html`, join(clean, "index.html")];
  for (const candidate of candidates) {
    const full = join(root, candidate);
    if (!full.startsWith(root)) return undefined;
    if (existsSync(full) && statSync(full).isFile()) return candidate;
  }
  return undefined;
}

export function serveDist(options: { root: string; port?: number; host?: string }): Promise<DistServer> {
  const root = options.root;
  const host = options.host ?? "127.0.0.1";
  const server = createServer((req, res) => {
    // The headers the README's server configuration sends (the pages carry the rest of their policy).
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    let path: string | undefined;
    try {
      path = resolveRequestPath(root, requestPathname(req.url));
    } catch (error) {
      // A malformed URL is the client's mistake: 400, and the server goes on serving.
      const malformed = error instanceof MalformedUrl;
      res.writeHead(malformed ? 400 : 500, { "content-type": "text/plain; charset=utf-8" });
      res.end(malformed ? `Bad request: ${error.message}` : "Internal error");
      return;
    }
    if (!path) {
      res.statusCode = 404;
      const notFound = join(root, "404.html");
      if (existsSync(notFound)) send(req, "/404.html", { root }).pipe(res);
      else res.end("Not found");
      return;
    }
    send(req, path, { root, dotfiles: "deny", index: false })
      .on("error", (error: Error & { status?: number }) => {
        res.statusCode = error.status ?? 500;
        res.end(error.message);
      })
      .pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : options.port;
      resolve({
        url: `http://${host}:${port}`,
        server,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

const USAGE = `Usage: npm run preview -- [--port 3000] [--host 127.0.0.1] [--root dist]

Serves the built site. Build it first with \`npm run build\`.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "3000" },
      host: { type: "string", default: "127.0.0.1" },
      root: { type: "string", default: "dist" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const root = join(process.cwd(), values.root);
  if (!existsSync(join(root, "index.html"))) {
    console.error(`No site in ${root}: run \`npm run build\` first.`);
    process.exit(2);
  }
  const { url, close } = await serveDist({ root, port: Number(values.port), host: values.host });
  console.log(`Serving ${root} at ${url}/ (Ctrl-C to stop)`);
  const stop = () => void close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
