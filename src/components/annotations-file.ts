/**
 * Reading src/annotations.yml, the annotations an analyst edits by hand: the
 * schema every entry must meet and a parser whose errors name the file, the line
 * and the field, so a broken file fails the build with a message the analyst can
 * act on. Used at build time by the annotations.json loader; the pages use the
 * published JSON through annotations.ts.
 *
 * An entry is a day or a range of days, a label, and optionally a page and a source:
 *
 *   - date: 2026-03-14
 *     label: New chat widget released
 *   - start: 2026-04-01
 *     end: 2026-04-07
 *     label: Easter campaign
 *     page: chats
 *     source: https://example.com/release-notes/42
 */
import { LineCounter, isMap, isNode, isScalar, parseDocument, type Document } from "yaml";
import { z } from "zod";
import type { Annotation } from "./annotations.js";

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar day written as YYYY-MM-DD (2026-02-30 is not one). */
function isCalendarDay(text: string): boolean {
  if (!ISO_DAY.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** The message for a value of the wrong type, or "is missing" when there is none. */
const expected = (what: string) => (issue: { input?: unknown }) => (issue.input === undefined ? "is missing" : what);

const day = z.string({ error: expected("must be a date written YYYY-MM-DD") }).refine(isCalendarDay, { error: "must be a real date written YYYY-MM-DD" });

const text = (what: string, max: number) =>
  z
    .string({ error: expected(`must be text (${what})`) })
    .trim()
    .min(1, { error: `must not be empty (${what})` })
    .max(max, { error: `must be at most ${max} characters` });

/** One entry as written: `date`, or `start` and `end`; the label; optionally `page` and `source`. */
export const annotationEntrySchema = z
  .strictObject(
    {
      date: day.optional(),
      start: day.optional(),
      end: day.optional(),
      label: text("what happened, as the chart shows it", 120),
      page: text("the page's file name without .md", 80).optional(),
      source: text("a ticket, a release note or a URL", 500).optional(),
    },
    { error: (issue) => (issue.code === "unrecognized_keys" ? `unknown field: the fields are date, start, end, label, page and source` : "must be an entry with a date and a label") },
  )
  .superRefine((entry, context) => {
    if (entry.date !== undefined) {
      for (const field of ["start", "end"] as const) {
        if (entry[field] !== undefined) context.addIssue({ code: "custom", path: [field], message: "give either date (one day) or start and end (a range), not both" });
      }
      return;
    }
    if (entry.start === undefined && entry.end === undefined) {
      context.addIssue({ code: "custom", path: ["date"], message: "is missing: give date (one day) or start and end (a range)" });
      return;
    }
    for (const field of ["start", "end"] as const) {
      if (entry[field] === undefined) context.addIssue({ code: "custom", path: [field], message: `is missing: a range needs both start and end` });
    }
    if (entry.start !== undefined && entry.end !== undefined && entry.end < entry.start) {
      context.addIssue({ code: "custom", path: ["end"], message: `is before start (${entry.start})` });
    }
  });

/** The file: a list of entries (an empty file or an empty list: no annotations). */
export const annotationsFileSchema = z.array(annotationEntrySchema, { error: "the file must be a list of entries (each line starting with '- ')" });

export interface AnnotationsFileIssue {
  file: string;
  /** 1-based line and column of the offending field (or of its entry when the field is missing). */
  line: number;
  column: number;
  /** The entry's position in the list (1-based) and the field, e.g. "entry 3, end"; "" for the file as a whole. */
  field: string;
  message: string;
}

/** A file that does not meet the schema: every issue, each with its line and field. */
export class AnnotationsFileError extends Error {
  constructor(readonly issues: readonly AnnotationsFileIssue[]) {
    super(issues.map(formatIssue).join("\n"));
    this.name = "AnnotationsFileError";
  }
}

export function formatIssue({ file, line, column, field, message }: AnnotationsFileIssue): string {
  return `${file}:${line}:${column}: ${field === "" ? "" : `${field}: `}${message}`;
}

function describePath(path: readonly PropertyKey[]): string {
  const [index, ...rest] = path;
  if (typeof index !== "number") return "";
  return [`entry ${index + 1}`, ...rest.map(String)].join(", ");
}

/** The offset of the deepest node on `path` that exists (a missing field points at its entry). */
function offsetOf(document: Document, path: readonly PropertyKey[], unknownKey?: string): number {
  for (let length = path.length; length >= 0; length--) {
    const node = document.getIn(path.slice(0, length) as unknown[], true);
    if (!isNode(node) || !node.range) continue;
    if (length === path.length && unknownKey !== undefined && isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && item.key.value === unknownKey);
      if (pair && isNode(pair.key) && pair.key.range) return pair.key.range[0];
    }
    return node.range[0];
  }
  return 0;
}

/**
 * The annotations in a YAML file's text, validated; `file` names it in errors.
 * `pages`, when given, are the pages an entry's `page` may name (a misspelt page
 * would otherwise never show). Throws AnnotationsFileError listing every problem.
 */
export function parseAnnotations(source: string, file: string, pages?: readonly string[]): Annotation[] {
  const lineCounter = new LineCounter();
  const document = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const issue = (offset: number, field: string, message: string): AnnotationsFileIssue => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col, field, message };
  };
  if (document.errors.length > 0) {
    throw new AnnotationsFileError(document.errors.map((error) => issue(error.pos[0], "", `not valid YAML: ${error.message.split("\n")[0]}`)));
  }
  const value: unknown = document.toJS() ?? [];
  const result = annotationsFileSchema.safeParse(value);
  const issues: AnnotationsFileIssue[] = [];
  if (!result.success) {
    for (const zodIssue of result.error.issues) {
      const keys = zodIssue.code === "unrecognized_keys" ? zodIssue.keys : [undefined];
      for (const key of keys) {
        const path = key === undefined ? zodIssue.path : [...zodIssue.path, key];
        issues.push(issue(offsetOf(document, zodIssue.path, key), describePath(path), zodIssue.message));
      }
    }
    throw new AnnotationsFileError(issues);
  }
  const annotations = result.data.map((entry, index): Annotation => {
    const start = (entry.date ?? entry.start) as string;
    const annotation: Annotation = { start, end: entry.date ?? (entry.end as string), label: entry.label };
    if (entry.page !== undefined) {
      if (pages && !pages.includes(entry.page)) {
        issues.push(issue(offsetOf(document, [index, "page"]), describePath([index, "page"]), `no page is called "${entry.page}" (pages: ${pages.join(", ")})`));
      }
      annotation.page = entry.page;
    }
    if (entry.source !== undefined) annotation.source = entry.source;
    return annotation;
  });
  if (issues.length > 0) throw new AnnotationsFileError(issues);
  return annotations;
}
