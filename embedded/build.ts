/**
 * Bundles the recorder (embedded/recorder/index.ts) with zod into one self-contained
 * ES module, `embedded/dist/recorder.js`, so an agent console needs nothing else:
 * `import { recordEmbeddedSession } from "./recorder.js"`. The file is generated (and
 * git-ignored); `npm run build:recorder` writes it, and the Chromium test builds its
 * own copy into a temporary folder.
 *
 *   npx tsx embedded/build.ts [--out FILE] [--no-minify]
 */
import { stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
export const RECORDER_ENTRY = join(here, "recorder", "index.ts");
export const DEFAULT_RECORDER_OUT = join(here, "dist", "recorder.js");

export interface BuiltRecorder {
  path: string;
  bytes: number;
}

export async function buildRecorder(outFile = DEFAULT_RECORDER_OUT, options: { minify?: boolean } = {}): Promise<BuiltRecorder> {
  await build({
    entryPoints: [RECORDER_ENTRY],
    outfile: outFile,
    bundle: true,
    format: "esm",
    platform: "browser",
    // Browsers with keepalive fetch, Web Locks and structuredClone-era APIs.
    target: ["chrome100", "firefox100", "safari15.4"],
    minify: options.minify ?? true,
    sourcemap: false,
    legalComments: "eof",
    logLevel: "silent",
  });
  return { path: outFile, bytes: (await stat(outFile)).size };
}

const HELP = `Usage: npx tsx embedded/build.ts [--out FILE] [--no-minify]

Bundles the embedded session recorder with its only dependency (zod) into one ES
module an agent console can import. Default output: embedded/dist/recorder.js.`;

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) {
    console.log(HELP);
  } else {
    const outIndex = args.indexOf("--out");
    const out = outIndex >= 0 ? args[outIndex + 1] : undefined;
    if (outIndex >= 0 && !out) {
      console.error("--out needs a file name");
      process.exit(2);
    }
    const built = await buildRecorder(out ? resolve(out) : DEFAULT_RECORDER_OUT, { minify: !args.includes("--no-minify") });
    console.log(`wrote ${built.path} (${(built.bytes / 1024).toFixed(1)} KiB)`);
  }
}
