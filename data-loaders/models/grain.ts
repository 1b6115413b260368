/**
 * The grain and null tests every model declares in its header (`-- @unique a, b`,
 * `-- @not_null a, b`), run on the built models after every build, full or
 * incremental, before the build counts as done: a violation fails the build with
 * the model, the offending key and an example row, so a mart that breaks its own
 * grain never reaches a page (the previous marts stay published).
 *
 * In an incremental build, a model whose grain includes its `@incremental_key` is
 * checked over the rows the build replaced only: every row sharing a key value with
 * a replaced row was replaced with it, and the other rows passed last time.
 */
import { quoteIdentifier } from "../lake/duckdb.js";
import type { LakeReader } from "../lake/index.js";
import { ModelError } from "./model-error.js";
import type { Model } from "./model.js";

export class ModelGrainError extends ModelError {
  constructor(model: string, message: string) {
    super(model, message);
    this.name = "ModelGrainError";
  }
}

/** Long values (a JSON record, a list) are cut in the message: it names the row, it does not dump it. */
const EXAMPLE_VALUE_MAX = 80;

function exampleText(row: Record<string, unknown> | undefined): string {
  if (!row) return "{}";
  const shown = Object.fromEntries(
    Object.entries(row).map(([key, value]) => {
      const text = typeof value === "string" ? value : JSON.stringify(value);
      return [key, text !== undefined && text.length > EXAMPLE_VALUE_MAX ? `${text.slice(0, EXAMPLE_VALUE_MAX)}…` : value];
    }),
  );
  return JSON.stringify(shown);
}

function keyText(columns: readonly string[], row: Record<string, unknown> | undefined): string {
  return columns.map((column) => `${column} = ${JSON.stringify(row?.[column] ?? null)}`).join(", ");
}

/**
 * Checks one model's declared grain and not-null columns over `relation` (its table,
 * its view, or the rows an incremental build replaced). Throws ModelGrainError.
 */
export async function checkModelGrain(db: LakeReader, model: Model, relation: string): Promise<void> {
  const ref = `${model.layer}.${model.name}`;
  if (model.unique.length > 0) {
    const keys = model.unique.map(quoteIdentifier).join(", ");
    const [duplicate] = await db.queryRows(
      `SELECT ${keys}, count(*)::BIGINT AS __rows, count(*) OVER ()::BIGINT AS __keys FROM ${relation} GROUP BY ${keys} HAVING count(*) > 1 ORDER BY __rows DESC LIMIT 1`,
    );
    if (duplicate) {
      const match = model.unique.map((column) => `r.${quoteIdentifier(column)} IS NOT DISTINCT FROM d.${quoteIdentifier(column)}`).join(" AND ");
      const [example] = await db.queryRows(
        `SELECT r.* FROM ${relation} r JOIN (SELECT ${keys} FROM ${relation} GROUP BY ${keys} HAVING count(*) > 1 ORDER BY count(*) DESC LIMIT 1) d ON ${match} LIMIT 1`,
      );
      throw new ModelGrainError(
        ref,
        `grain broken: ${duplicate.__rows} rows share ${keyText(model.unique, duplicate)} (${duplicate.__keys} such keys in all), where the header says "@unique ${model.unique.join(", ")}". Example row: ${exampleText(example)}`,
      );
    }
  }
  if (model.notNull.length > 0) {
    const counts = model.notNull.map((column, index) => `count(*) FILTER (WHERE ${quoteIdentifier(column)} IS NULL)::BIGINT AS c${index}`);
    const [row] = await db.queryRows(`SELECT ${counts.join(", ")} FROM ${relation}`);
    for (const [index, column] of model.notNull.entries()) {
      const nulls = Number(row?.[`c${index}`] ?? 0);
      if (nulls === 0) continue;
      const [example] = await db.queryRows(`SELECT * FROM ${relation} WHERE ${quoteIdentifier(column)} IS NULL LIMIT 1`);
      throw new ModelGrainError(ref, `${nulls} rows with ${column} NULL, where the header says "@not_null ${model.notNull.join(", ")}". Example row: ${exampleText(example)}`);
    }
  }
}
