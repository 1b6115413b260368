/**
 * `npm run workflow`: writes the source settings of the nightly workflow's sync step
 * (.github/workflows/nightly.yml) from the source registry, so a new source's variables
 * reach the nightly without anyone listing them by hand: its credentials
 * (`secretVariables`) from the repository's secrets, every other variable from its
 * plain variables. An unset secret or variable arrives as "", which the configuration
 * treats as unset. `npm run workflow -- --check` exits 1 when the file is out of date.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { SourceList } from "../data-loaders/sources/definition.js";
import { SOURCE_DEFINITIONS } from "../data-loaders/sources/index.js";

const projectRoot = fileURLToPath(new URL("..", import.meta.url));
export const WORKFLOW_PATH = join(projectRoot, ".github", "workflows", "nightly.yml");

const BEGIN = "# Source settings, written from the source registry by `npm run workflow`; do not edit by hand.";
const END = "# End of the source settings.";

/** The env lines of every source's variables, each source under a comment with its label. */
export function sourceSettingsLines(sources: SourceList): string[] {
  return sources.flatMap((source) => [
    `# ${source.label}`,
    ...Object.keys(source.env.shape).map((name) => `${name}: \${{ ${source.secretVariables.includes(name) ? "secrets" : "vars"}.${name} }}`),
  ]);
}

/** The workflow text with its generated block (between the two marker comments) rewritten. */
export function withSourceSettings(workflow: string, sources: SourceList = SOURCE_DEFINITIONS): string {
  const lines = workflow.split("\n");
  const begin = lines.findIndex((line) => line.trim() === BEGIN);
  const end = lines.findIndex((line, index) => index > begin && line.trim() === END);
  if (begin < 0 || end < 0) throw new Error(`${WORKFLOW_PATH}: the marker comments "${BEGIN}" and "${END}" must both be in the sync step's env`);
  const indent = /^\s*/.exec(lines[begin] ?? "")?.[0] ?? "";
  return [...lines.slice(0, begin + 1), ...sourceSettingsLines(sources).map((line) => indent + line), ...lines.slice(end)].join("\n");
}

async function main(args: string[]): Promise<number> {
  if (args.includes("-h") || args.includes("--help")) {
    process.stdout.write("Usage: npm run workflow [-- --check]\n\nRewrites the source settings of .github/workflows/nightly.yml from the source registry;\n--check exits 1 when the file is out of date instead of writing it.\n");
    return 0;
  }
  const current = await readFile(WORKFLOW_PATH, "utf8");
  const wanted = withSourceSettings(current);
  if (args.includes("--check")) {
    if (wanted === current) return 0;
    process.stderr.write(`${WORKFLOW_PATH} is out of date: run npm run workflow\n`);
    return 1;
  }
  if (wanted !== current) await writeFile(WORKFLOW_PATH, wanted);
  process.stdout.write(wanted === current ? "nightly.yml: source settings already up to date\n" : "nightly.yml: source settings rewritten\n");
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = await main(process.argv.slice(2));
