/**
 * The drift policy, declared field by field in the vendors' zod schemas: what a record
 * may carry that the vendor's documentation does not say, and still be kept.
 *
 * Real payloads drift from the docs (vendor-apis.md): a new value in a documented list,
 * a number sent as text, an id sent as a number, a null inside an array, a field nobody
 * documented. None of that makes a record unusable, so none of it quarantines a record.
 * A record is quarantined only when it cannot be keyed, cannot be placed in time, or a
 * measure it carries cannot be read; those fields keep plain, strict zod types
 * (`recordKey()` for keys, zod's own for times, `lenientNumber()` for measures: a
 * numeric text reads as the number, any other text still fails).
 *
 * The open helpers accept the drift, normalise it (a number for a text field becomes
 * its text, a numeric text for a number field its number, nulls leave arrays, an unknown
 * category stays as its own text) and report it. Reporting uses zod's own issue paths:
 * `parseWithDrift` parses once with the helpers turning every drift into a
 * non-aborting issue (so zod says where it is), and only when it found some, once more
 * with the helpers accepting it (the value that is kept). A plain `schema.parse()`
 * elsewhere always accepts.
 *
 * Privacy: a finding keeps an example value only from categories, numbers and ids that
 * are not about a person, cut to 40 characters, and never anything that looks like an
 * email, a URL or an address. Field names of undocumented fields are kept only when
 * they look like field names.
 *
 * Pure zod: the browser recorder (embedded/recorder) bundles this module too.
 */
import * as z from "zod";

/** What drifted. */
export const DRIFT_KINDS = ["unknown_enum_value", "number_as_string", "number_for_string", "null_in_array", "unknown_field"] as const;
export type DriftKind = (typeof DRIFT_KINDS)[number];

/**
 * The kinds the demo simulator serves (simulator/drift.ts) and SI_DEMO_DRIFT_KINDS may
 * name: the above, and an optional object left out (which the schemas accept as it is).
 * Here, below both, so the configuration checks the variable without the simulator.
 */
export const SIMULATED_DRIFT_KINDS = [
  "unknown_enum_value",
  "number_as_string",
  "number_for_string",
  "null_in_array",
  "unknown_field",
  "missing_optional",
] as const;
export type SimulatedDriftKind = (typeof SIMULATED_DRIFT_KINDS)[number];

/** One drift met in one record. `path` is generalised: `transcript.lines[].lineSeq`. */
export interface DriftFinding {
  path: string;
  kind: DriftKind;
  /** A short example of the value as sent, or null where the field may hold personal data. */
  example: string | null;
}

/** Marker on the issues the helpers raise while reporting. */
const DRIFT_PARAM = "siDrift";
const EXAMPLE_MAX = 40;

/** True only inside `parseWithDrift`'s first pass. Parsing is synchronous, so no other parse can interleave. */
let reporting = false;

interface DriftParams {
  [DRIFT_PARAM]: DriftKind;
  example: string | null;
}

/** An example that may be kept: short, and nothing that looks like an email, a link or an address. */
export function safeExample(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = String(value);
  if (/[@/\\]|:\/\/|^\d{1,3}(\.\d{1,3}){3}$/.test(text)) return null;
  return text.length > EXAMPLE_MAX ? `${text.slice(0, EXAMPLE_MAX - 1)}…` : text;
}

type CheckContext = z.core.ParsePayload<unknown>;

function report(ctx: CheckContext, kind: DriftKind, example: string | null): void {
  if (!reporting) return;
  const params: DriftParams = { [DRIFT_PARAM]: kind, example };
  // `continue: true`: the rest of the record is still checked, so every drift is found in one pass.
  ctx.issues.push({ code: "custom", message: `drift: ${kind}`, input: ctx.value, params, continue: true });
}

/** Unambiguous numeric text: an optional minus, digits without a leading zero (but "0"), an optional fraction. */
const NUMERIC_TEXT = /^-?(0|[1-9]\d*)(\.\d+)?$/;

export interface OpenOptions {
  /** The field may hold personal data: drift is counted, but no example is kept. */
  personal?: boolean;
}

/**
 * A documented list of values (a category). A value outside it is kept as its own text,
 * a number as its text; both are reported.
 */
export function openEnum<const T extends readonly [string, ...string[]]>(values: T, options: OpenOptions = {}) {
  const known = new Set<string>(values);
  return openCategory((value) => known.has(value), {
    ...options,
    error: `expected one of ${values.map((value) => `"${value}"`).join(", ")}`,
  });
}

export interface CategoryOptions extends OpenOptions {
  /** The message when the value is neither text nor a number. */
  error?: string;
  /** The part of an unknown value that may serve as its example (default: the value). */
  exampleOf?: (value: string) => string;
}

/**
 * A category documented by a rule rather than a list (`"off" | "active:<id>"`): a value
 * the rule does not know is kept as its text and reported, with `exampleOf` choosing
 * what of it may be shown (never an id).
 */
export function openCategory(isKnown: (value: string) => boolean, options: CategoryOptions = {}) {
  return z
    .union([z.string(), z.number()], { error: options.error ?? "expected a text" })
    .check((ctx) => {
      const value = ctx.value;
      const example = (text: string) => (options.personal ? null : safeExample(options.exampleOf ? options.exampleOf(text) : text));
      if (typeof value === "number") report(ctx, "number_for_string", example(String(value)));
      else if (!isKnown(value)) report(ctx, "unknown_enum_value", example(value));
    })
    .transform((value) => String(value));
}

/** Descriptive text (a name, a label, a reason): a number is kept as its text and reported, never with an example. */
export function openText() {
  return z
    .union([z.string(), z.number()], { error: "expected a text" })
    .check((ctx) => {
      if (typeof ctx.value === "number") report(ctx, "number_for_string", null);
    })
    .transform((value) => String(value));
}

/** An id that is not the record's key (agent, skill, team, line): a number is kept as its text and reported. */
export function lenientId(options: OpenOptions = {}) {
  return z
    .union([z.string(), z.number()], { error: "expected an id (text or number)" })
    .check((ctx) => {
      if (typeof ctx.value === "number") report(ctx, "number_for_string", options.personal ? null : safeExample(ctx.value));
    })
    .transform((value) => String(value));
}

/**
 * An id the vendor documents as a number but shows as text too (LivePerson's `agentId`,
 * `skillId` …): both forms are documented, so neither is drift. Always kept as text.
 */
export function numberOrTextId() {
  return z.union([z.string(), z.number()], { error: "expected an id (text or number)" }).transform((value) => String(value));
}

/**
 * The record's key: required and non-empty, so a record without one is quarantined. A
 * number is unambiguous, so it is kept as its text (and reported as drift).
 */
export function recordKey(options: OpenOptions = {}) {
  return z
    .union([z.string().min(1, "expected a non-empty id"), z.number()], {
      error: (issue) => (issue.input === undefined ? "required: the record's id is missing" : "expected an id (text or number)"),
    })
    .check((ctx) => {
      if (typeof ctx.value === "number") report(ctx, "number_for_string", options.personal ? null : safeExample(ctx.value));
    })
    .transform((value) => String(value));
}

export interface NumberOptions {
  /** Only whole numbers (a fraction fails as before). */
  int?: boolean;
}

/**
 * A number (a measure, a count, a code). Unambiguous numeric text reads as the number and
 * is reported; any other text fails, so a measure that cannot be read still quarantines.
 */
export function lenientNumber(options: NumberOptions = {}) {
  return z
    .union([z.number(), z.string()], { error: "expected a number" })
    .check((ctx) => {
      const value = ctx.value;
      if (typeof value === "string") {
        if (!NUMERIC_TEXT.test(value)) {
          ctx.issues.push({ code: "invalid_type", expected: "number", input: value, message: "expected a number, received text that is not one" });
          return;
        }
        if (options.int && !Number.isInteger(Number(value))) {
          ctx.issues.push({ code: "invalid_type", expected: "int", input: value, message: "expected a whole number" });
          return;
        }
        report(ctx, "number_as_string", safeExample(value));
      } else if (options.int && !Number.isInteger(value)) {
        ctx.issues.push({ code: "invalid_type", expected: "int", input: value, message: "expected a whole number" });
      }
    })
    .transform((value) => (typeof value === "string" ? Number(value) : value));
}

/** An array whose null entries are left out (and reported, each at its index). */
export function arrayWithoutNulls<T extends z.ZodType>(element: T) {
  return z
    .array(element.nullable())
    .check((ctx) => {
      if (!reporting) return;
      ctx.value.forEach((entry, index) => {
        if (entry !== null) return;
        const params: DriftParams = { [DRIFT_PARAM]: "null_in_array", example: null };
        ctx.issues.push({ code: "custom", message: "drift: null_in_array", input: entry, path: [index], params, continue: true });
      });
    })
    .transform((entries) => entries.filter((entry): entry is Exclude<typeof entry, null> => entry !== null));
}

/** A field the schema does not declare: kept in the record as it came, and reported. */
const UndocumentedField = z.unknown().check((ctx) => report(ctx, "unknown_field", null));

/**
 * An object as documented, whose undocumented fields are kept (like `z.looseObject`)
 * and reported as drift.
 */
export function openObject<T extends z.core.$ZodLooseShape>(shape: T) {
  return z.object(shape).catchall(UndocumentedField);
}

// ---------------------------------------------------------------------------------------

/** The outcome of `parseWithDrift`: the kept value and its drift, or the issues that make it unusable. */
export type DriftParseResult<T> = { success: true; data: T; drift: DriftFinding[] } | { success: false; issues: z.core.$ZodIssue[] };

function driftParams(issue: z.core.$ZodIssue): DriftParams | undefined {
  if (issue.code !== "custom") return undefined;
  const params = issue.params as Partial<DriftParams> | undefined;
  return params?.[DRIFT_PARAM] === undefined ? undefined : (params as DriftParams);
}

/** A field name kept in a path: what looks like one; anything else (a key holding data) is not repeated. */
const FIELD_NAME = /^[A-Za-z_$][A-Za-z0-9_$.-]{0,63}$/;

/** `["transcript", "lines", 3, "lineSeq"]` → `transcript.lines[].lineSeq`: one ledger entry per field, whatever the index. */
export function generalisePath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += "[]";
    else {
      const name = FIELD_NAME.test(String(part)) ? String(part) : "(field)";
      out += out === "" ? name : `.${name}`;
    }
  }
  return out || "(record)";
}

/**
 * Parses `raw`, keeping what is only drift. Records without drift parse once; a record
 * with drift twice (find it, then accept it); the findings are one per field and kind.
 */
export function parseWithDrift<S extends z.ZodType>(schema: S, raw: unknown): DriftParseResult<z.output<S>> {
  let first: ReturnType<S["safeParse"]>;
  reporting = true;
  try {
    first = schema.safeParse(raw) as ReturnType<S["safeParse"]>;
  } finally {
    reporting = false;
  }
  if (first.success) return { success: true, data: first.data as z.output<S>, drift: [] };
  const issues = first.error.issues;
  const driftIssues = issues.filter((issue) => driftParams(issue) !== undefined);
  // No drift: the issues are exactly what an accepting parse would report.
  if (driftIssues.length === 0) return { success: false, issues };
  const second = schema.safeParse(raw);
  if (!second.success) return { success: false, issues: second.error.issues };
  const findings = new Map<string, DriftFinding>();
  for (const issue of driftIssues) {
    const params = driftParams(issue) as DriftParams;
    const path = generalisePath(issue.path);
    const key = `${params[DRIFT_PARAM]}\u0000${path}`;
    if (!findings.has(key)) findings.set(key, { path, kind: params[DRIFT_PARAM], example: params.example });
  }
  return { success: true, data: second.data as z.output<S>, drift: [...findings.values()] };
}
