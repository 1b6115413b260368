/**
 * The staging models read a lake record with DuckDB's `from_json(record_json, '<struct>')`,
 * and the record stored in `record_json` is what a zod schema gave the sync (the
 * validated output, not the raw payload). The struct is a second declaration of the
 * record's shape, and DuckDB is silent when the two part: a field the record does not
 * have reads as NULL, a value of the wrong type as NULL or an error at build time. This
 * module reads the structs out of a model's SQL and names every struct path that the
 * schema does not declare, or declares with a type that does not fit, so a test can
 * hold the two declarations together (test/models/staging-shapes.test.ts).
 *
 * Only what the schema *declares* counts: an open object keeps undocumented fields,
 * but a struct field that only such a catch-all would hold is a misspelling or a
 * rename. A `z.record` (keys that are data) holds any field name.
 */
import * as z from "zod";

/** A `from_json` struct: a DuckDB type name, a list (one element: its type), or an object of fields. */
export type DuckDBJsonType = string | [DuckDBJsonType] | { [field: string]: DuckDBJsonType };
export type DuckDBJsonStruct = { [field: string]: DuckDBJsonType };

const JsonType: z.ZodType<DuckDBJsonType> = z.lazy(() => z.union([z.string().min(1), z.tuple([JsonType]), z.record(z.string(), JsonType)]));
const JsonStruct = z.record(z.string(), JsonType);

export interface FromJsonCall {
  /** What is parsed: `record_json` in every staging model today. */
  argument: string;
  struct: DuckDBJsonStruct;
}

/** A `from_json(<column>, '<literal>')` call; `''` is SQL's quote inside a literal. */
const FROM_JSON_WITH_LITERAL = /\bfrom_json\s*\(\s*([^,()]+?)\s*,\s*'((?:[^']|'')*)'\s*\)/gi;
const FROM_JSON = /\bfrom_json\s*\(/gi;

/** The `from_json` calls of a model's SQL (comments aside). A call whose struct is not a literal cannot be checked, so it throws. */
export function fromJsonCalls(sql: string): FromJsonCall[] {
  const code = sql.replace(/--[^\n]*/g, "");
  const calls = [...code.matchAll(FROM_JSON_WITH_LITERAL)].map(([, argument = "", literal = ""]) => ({
    argument,
    struct: parseStructLiteral(literal.replaceAll("''", "'")),
  }));
  const all = code.match(FROM_JSON)?.length ?? 0;
  if (all !== calls.length) throw new Error(`${all - calls.length} from_json call(s) without a literal struct: their shape cannot be checked`);
  return calls;
}

function parseStructLiteral(literal: string): DuckDBJsonStruct {
  let json: unknown;
  try {
    json = JSON.parse(literal);
  } catch (error) {
    throw new Error(`from_json struct is not JSON (${error instanceof Error ? error.message : String(error)}): ${literal.slice(0, 80)}`);
  }
  const parsed = JsonStruct.safeParse(json);
  if (!parsed.success) throw new Error(`from_json struct is not an object of DuckDB types: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

type Scalar = "text" | "number" | "boolean";

/** One thing a schema's output may be at one path. */
type Alternative =
  | { kind: "any" }
  | { kind: "null" }
  /** `sentAs`: the JSON types the vendor may send that the schema turns into this one. */
  | { kind: "scalar"; type: Scalar; sentAs: ReadonlySet<Scalar> }
  /** `values`: the value schema of a `z.record`, whose keys are data. */
  | { kind: "object"; fields: Readonly<Record<string, z.core.$ZodType>>; values?: z.core.$ZodType }
  | { kind: "array"; element: z.core.$ZodType };

const ANY: Alternative = { kind: "any" };
const NULL: Alternative = { kind: "null" };
const scalar = (type: Scalar, sentAs: ReadonlySet<Scalar> = new Set([type])): Alternative => ({ kind: "scalar", type, sentAs });

function scalarOfValue(value: unknown): Alternative {
  if (value === null || value === undefined) return NULL;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    return scalar(typeof value === "string" ? "text" : (typeof value as Scalar));
  }
  return ANY;
}

/** What the schema's output may be, wrappers (optional, nullable, defaults, unions, pipes) looked through. */
function alternativesOf(schema: z.core.$ZodType): Alternative[] {
  const def = (schema as z.core.$ZodTypes)._zod.def;
  switch (def.type) {
    case "string":
    case "template_literal":
    case "date": // a Date in the record is stored as its ISO text
      return [scalar("text")];
    case "number":
    case "bigint":
    case "nan":
      return [scalar("number")];
    case "boolean":
      return [scalar("boolean")];
    case "enum":
      return Object.values(def.entries).map(scalarOfValue);
    case "literal":
      return def.values.map(scalarOfValue);
    case "null":
    case "undefined":
    case "void":
      return [NULL];
    case "never":
      return [];
    case "any":
    case "unknown":
      return [ANY];
    case "object":
      return [{ kind: "object", fields: def.shape }];
    case "record":
      return [{ kind: "object", fields: {}, values: def.valueType }];
    case "array":
      return [{ kind: "array", element: def.element }];
    case "optional":
    case "nullable":
      return [NULL, ...alternativesOf(def.innerType)];
    case "default":
    case "prefault":
    case "catch":
    case "readonly":
    case "nonoptional":
      return alternativesOf(def.innerType);
    case "lazy":
      return alternativesOf(def.getter());
    case "union":
      return def.options.flatMap(alternativesOf);
    case "pipe":
      return (def.out as z.core.$ZodTypes)._zod.def.type === "transform" ? transformedAlternatives(schema, def.in) : alternativesOf(def.out);
    default:
      throw new Error(`the shape check cannot read a zod ${def.type} schema`);
  }
}

const SAMPLES: Record<Scalar, readonly unknown[]> = {
  text: ["1", "text", "2026-01-01T00:00:00Z"],
  number: [1, 0, 1.5],
  boolean: [true, false],
};

/**
 * A transform does not declare what it returns, so each scalar its input accepts is
 * probed: the first sample the whole pipe accepts shows the output's type (the drift
 * helpers turn a number sent for a text into text, a numeric text into a number). An
 * object or a list is taken to keep its fields or elements, as the helpers do (they
 * only drop nulls); a scalar no sample passes keeps its input type.
 */
function transformedAlternatives(pipe: z.core.$ZodType, input: z.core.$ZodType): Alternative[] {
  return alternativesOf(input).map((alternative) => {
    if (alternative.kind !== "scalar") return alternative;
    for (const sample of SAMPLES[alternative.type]) {
      const parsed = z.safeParse(pipe, sample);
      if (!parsed.success) continue;
      const output = scalarOfValue(parsed.data);
      return output.kind === "scalar" ? { ...output, sentAs: alternative.sentAs } : output;
    }
    return alternative;
  });
}

/** What a DuckDB type name reads from a JSON value; `json` reads anything. */
const DUCKDB_TYPES: ReadonlyArray<[RegExp, Scalar | "json"]> = [
  [/^(VARCHAR|TEXT|STRING|UUID|DATE|TIME|TIMESTAMP|TIMESTAMPTZ)$/, "text"],
  [/^(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|REAL|DOUBLE|DECIMAL(\(\d+,\s*\d+\))?)$/, "number"],
  [/^(BOOLEAN|BOOL)$/, "boolean"],
  [/^JSON$/, "json"],
];

/**
 * Whether a field of this scalar type fits: text fits text, and also a number the
 * schema accepts as text too (DuckDB reads a JSON number into VARCHAR as its exact
 * text: LivePerson's survey and question ids are read so); a number fits a number
 * (DuckDB would read a text as NULL); a boolean a boolean.
 */
function fits(type: Scalar, alternatives: readonly Alternative[]): boolean {
  return alternatives.some(
    (alternative) => alternative.kind === "scalar" && (alternative.type === type || (type === "text" && alternative.sentAs.has("text"))),
  );
}

function describe(alternatives: readonly Alternative[]): string {
  const numberSentAsText = alternatives.some((alternative) => alternative.kind === "scalar" && alternative.type === "number" && alternative.sentAs.has("text"));
  const names = alternatives.map((alternative) => {
    switch (alternative.kind) {
      case "scalar":
        return alternative.type === "number" && numberSentAsText ? "number (also sent as text)" : alternative.type;
      case "object":
        return "object";
      case "array":
        return "list";
      default:
        return alternative.kind;
    }
  });
  const distinct = [...new Set(names)];
  return (distinct.length > 1 ? distinct.filter((name) => name !== "null") : distinct).join(" or ") || "nothing";
}

export interface ShapeMismatch {
  /** The struct path: `messages[].sent.dateTime`. */
  path: string;
  problem: string;
}

const join = (path: string, field: string) => (path === "" ? field : `${path}.${field}`);

function compare(type: DuckDBJsonType, alternatives: readonly Alternative[], path: string, mismatches: ShapeMismatch[]): void {
  if (alternatives.some((alternative) => alternative.kind === "any")) return;
  if (typeof type === "string") {
    const list = /^(.+)\[\]$/.exec(type.trim());
    if (list?.[1]) return compare([list[1]], alternatives, path, mismatches);
    const name = type.trim().toUpperCase();
    const reads = DUCKDB_TYPES.find(([pattern]) => pattern.test(name))?.[1];
    if (reads === undefined) mismatches.push({ path, problem: `${type} is not a DuckDB type this check knows` });
    else if (reads !== "json" && !fits(reads, alternatives)) {
      mismatches.push({ path, problem: `the struct reads ${type}, the schema gives ${describe(alternatives)}` });
    }
    return;
  }
  if (Array.isArray(type)) {
    const lists = alternatives.flatMap((alternative) => (alternative.kind === "array" ? [alternative.element] : []));
    if (lists.length === 0) mismatches.push({ path, problem: `the struct reads a list, the schema gives ${describe(alternatives)}` });
    else compare(type[0], lists.flatMap(alternativesOf), `${path}[]`, mismatches);
    return;
  }
  const objects = alternatives.flatMap((alternative) => (alternative.kind === "object" ? [alternative] : []));
  if (objects.length === 0) {
    mismatches.push({ path, problem: `the struct reads an object, the schema gives ${describe(alternatives)}` });
    return;
  }
  for (const [field, inner] of Object.entries(type)) {
    // A union (a discriminated event, say) declares a field when any of its objects does.
    const declared = objects.flatMap((object) => (Object.hasOwn(object.fields, field) ? [object.fields[field] as z.core.$ZodType] : []));
    const schemas = declared.length > 0 ? declared : objects.flatMap((object) => (object.values ? [object.values] : []));
    if (schemas.length === 0) mismatches.push({ path: join(path, field), problem: "not a field of the schema" });
    else compare(inner, schemas.flatMap(alternativesOf), join(path, field), mismatches);
  }
}

/** Every path of the struct that the schema's output does not declare, or declares with another type. */
export function structMismatches(struct: DuckDBJsonStruct, schema: z.core.$ZodType): ShapeMismatch[] {
  const mismatches: ShapeMismatch[] = [];
  compare(struct, alternativesOf(schema), "", mismatches);
  return mismatches;
}
