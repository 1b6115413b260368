/**
 * A strict reader of `.env` files. Node's own parser (`process.loadEnvFile`,
 * `util.parseEnv`) skips a line it cannot read without a word: `LIVEPERSON_BEARER_TOKEN: x`
 * vanishes, the source counts as unconfigured, and the sync falls back to demo
 * mode. Here every line is a variable, a comment or blank, or it is an error naming
 * the file and the line.
 *
 * What it accepts is what Node accepts, with the same values (the tests compare the
 * two on every form): `KEY=value`, `export KEY=value`, spaces around `=`, values in
 * single, double or back quotes (which may span lines; in double quotes `\n` is a
 * newline, nothing else is an escape), `#` comments on their own line or after a
 * value, an empty value, CRLF line ends, the last of repeated keys. It refuses what
 * Node drops or mangles: a line without `=`, a name that is not `[A-Za-z_][A-Za-z0-9_]*`,
 * a quote never closed, text after a closing quote. Messages name the variable but
 * never quote a value: the line may hold a secret.
 */

export class DotEnvSyntaxError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly problem: string,
  ) {
    super(`${file}:${line}: ${problem}`);
    this.name = "DotEnvSyntaxError";
  }
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const QUOTES = new Set(["'", '"', "`"]);

/** The name-like start of a line, for a message that must not quote the rest (it may be a secret). */
function leadingName(text: string): string {
  const match = /^[A-Za-z0-9_.-]{1,64}/.exec(text);
  return match ? `"${match[0]}…"` : "this line";
}

/** Parses `.env` text; `file` is the name messages use (e.g. `.env` or its path). */
export function parseDotEnv(text: string, file = ".env"): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  for (let index = 0; index < lines.length; index += 1) {
    const lineNumber = index + 1;
    const trimmed = (lines[index] ?? "").trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    const withoutExport = /^export\s+/.test(trimmed) ? trimmed.replace(/^export\s+/, "") : trimmed;
    const equals = withoutExport.indexOf("=");
    if (equals < 0) {
      throw new DotEnvSyntaxError(file, lineNumber, `${leadingName(withoutExport)} is not KEY=value (no "="), so it would be silently ignored; write it as NAME=value`);
    }
    const name = withoutExport.slice(0, equals).trim();
    if (!NAME.test(name)) {
      throw new DotEnvSyntaxError(
        file,
        lineNumber,
        `${leadingName(withoutExport)} is not a variable name (letters, digits and "_", not starting with a digit); write it as NAME=value`,
      );
    }
    let rest = withoutExport.slice(equals + 1).replace(/^\s+/, "");
    const quote = rest[0];
    if (quote !== undefined && QUOTES.has(quote)) {
      // A quoted value may run over several lines, as in Node: gather lines until the closing quote.
      let body = rest.slice(1);
      let close = body.indexOf(quote);
      let lastLine = index;
      while (close < 0 && lastLine + 1 < lines.length) {
        lastLine += 1;
        body += `\n${lines[lastLine] ?? ""}`;
        close = body.indexOf(quote);
      }
      if (close < 0) throw new DotEnvSyntaxError(file, lineNumber, `the value of ${name} opens a ${quote} quote that is never closed`);
      const after = body.slice(close + 1).trim();
      if (after !== "" && !after.startsWith("#")) {
        throw new DotEnvSyntaxError(file, lastLine + 1, `unexpected text after the closing ${quote} of ${name}'s value (put the whole value inside the quotes)`);
      }
      const value = body.slice(0, close);
      out[name] = quote === '"' ? value.replaceAll("\\n", "\n") : value;
      index = lastLine;
      continue;
    }
    const comment = rest.indexOf("#");
    if (comment >= 0) rest = rest.slice(0, comment);
    out[name] = rest.trim();
  }
  return out;
}
