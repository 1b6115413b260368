/**
 * JSON text from outside (a collector body, a line of an event or session file) parsed
 * with limits and with messages of our own. A parser's message quotes the text it
 * failed on ("Unexpected token 'v', "visitor@ex"... is not valid JSON"), and that text
 * is a visitor's data: messages made here name a position, never the content.
 *
 * Depth is bounded because every consumer downstream (zod, canonical JSON, JSON.stringify)
 * recurses: V8's JSON.parse takes `[[[[…` 100,000 deep, and the first JSON.stringify of
 * the value then throws RangeError far from the line it came from.
 */

/** Deepest nesting of arrays and objects accepted (a real record nests fewer than 10). */
export const MAX_JSON_DEPTH = 64;

export type ParsedJson = { ok: true; value: unknown } | { ok: false; cause: "json" | "depth"; message: string };

/** True when `value` nests arrays and objects more than `max` levels deep. Iterative, so any depth is measured. */
export function nestedDeeperThan(value: unknown, max: number = MAX_JSON_DEPTH): boolean {
  if (value === null || typeof value !== "object") return false;
  const stack: Array<{ item: object; depth: number }> = [{ item: value, depth: 1 }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    if (next.depth > max) return true;
    const children = Array.isArray(next.item) ? (next.item as unknown[]) : Object.values(next.item);
    for (const child of children) if (child !== null && typeof child === "object") stack.push({ item: child, depth: next.depth + 1 });
  }
  return false;
}

/** Line and column (1-based) of a character offset in `text`, whose first line is `firstLine`. */
export function lineAndColumn(text: string, offset: number, firstLine = 1): { line: number; column: number } {
  let line = firstLine;
  let lineStart = 0;
  for (let index = text.indexOf("\n"); index !== -1 && index < offset; index = text.indexOf("\n", index + 1)) {
    line += 1;
    lineStart = index + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** Our description of a JSON.parse SyntaxError: where, never what (its own message quotes the text). */
export function describeJsonSyntaxError(error: unknown, text: string, firstLine = 1): string {
  const message = error instanceof Error ? error.message : "";
  const position = /at position (\d+)/.exec(message)?.[1];
  if (position !== undefined) {
    const { line, column } = lineAndColumn(text, Number(position), firstLine);
    return `not valid JSON (line ${line}, column ${column})`;
  }
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (lineColumn) return `not valid JSON (line ${Number(lineColumn[1]) + firstLine - 1}, column ${lineColumn[2]})`;
  if (/end of (JSON )?input|Unterminated/i.test(message)) return "not valid JSON (it ends too soon: cut short?)";
  return "not valid JSON";
}

/**
 * Parses JSON text: a syntax error, a nesting too deep for the parser or deeper than
 * `maxDepth` is a message, never a throw. `firstLine` numbers the text's first line
 * (a line of a file) in messages.
 */
export function parseJsonText(text: string, options: { maxDepth?: number; firstLine?: number } = {}): ParsedJson {
  const maxDepth = options.maxDepth ?? MAX_JSON_DEPTH;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    if (error instanceof RangeError) return { ok: false, cause: "depth", message: `nested more than ${maxDepth} levels deep (too deep to parse)` };
    return { ok: false, cause: "json", message: describeJsonSyntaxError(error, text, options.firstLine) };
  }
  if (nestedDeeperThan(value, maxDepth)) return { ok: false, cause: "depth", message: `nested more than ${maxDepth} levels deep` };
  return { ok: true, value };
}
