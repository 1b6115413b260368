// The analysts' annotations (src/annotations.yml), validated and published as
// JSON for the charts and table views. A broken file stops the build: the loader
// prints every problem with the file, the line and the field, and exits non-zero.
// SI_ANNOTATIONS_FILE names another file (the tests use it to try broken ones).
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { AnnotationsFileError, parseAnnotations } from "../components/annotations-file.js";

const sourceRoot = dirname(dirname(fileURLToPath(import.meta.url)));
const file = process.env.SI_ANNOTATIONS_FILE?.trim() || join(sourceRoot, "annotations.yml");

/** The site's pages by file name without .md ("index", "chats", "agents/[agent]"): what an entry's `page` may name. */
const pages = readdirSync(sourceRoot, { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile() && entry.name.endsWith(".md") && !join(entry.parentPath, entry.name).includes(`${sep}.observablehq${sep}`))
  .map((entry) => relative(sourceRoot, join(entry.parentPath, entry.name)).split(sep).join("/").replace(/\.md$/, ""))
  .sort();

/** The file as an error names it: relative to the working directory when inside it. */
function shownPath(path: string): string {
  const inside = relative(process.cwd(), path);
  return inside === "" || inside.startsWith("..") ? path : inside;
}

try {
  const annotations = parseAnnotations(readFileSync(file, "utf8"), shownPath(file), pages);
  await new Promise<void>((resolve, reject) => process.stdout.write(`${JSON.stringify(annotations)}\n`, (error) => (error ? reject(error) : resolve())));
} catch (error) {
  if (!(error instanceof AnnotationsFileError)) throw error;
  process.stderr.write(`The annotations file has ${error.issues.length === 1 ? "a problem" : `${error.issues.length} problems`}:\n${error.message}\n`);
  process.exitCode = 1;
}
