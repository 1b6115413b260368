/**
 * Quarantine messages are ours (issue 18): what the Data page shows is a field path and a
 * message written by the sync, never a parser's quote of the record. validateRecord
 * renders zod issues from their code and expected type (zod's own message for an
 * unknown key quotes the key, which can be a visitor's email); the file readers say
 * where a line is broken, not what it holds (V8's message quotes the text); and the
 * Data page's loader redacts quoted text, emails, IPs and URLs again, for messages made
 * by older runs. The privacy scan's fragment matcher catches the leak the old scan missed.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { parseJsonText } from "../../embedded/json-text.js";
import { openLake } from "../../data-loaders/lake/index.js";
import { parseLineText } from "../../data-loaders/sync/file-lines.js";
import { redactMessage, validateRecord } from "../../data-loaders/sync/validate.js";
import { PrivacyScanner } from "../browser/privacy-scan.js";

const EMAIL = "zelda.visitorname@example.org";
const where = { source: "upscope" as const, stream: "sessions" };

describe("messages made where entries are made", () => {
  it("render zod issues from their code and expected type, never the received value or key", () => {
    const schema = z.strictObject({
      count: z.number(),
      kind: z.enum(["cobrowse", "call"]),
      at: z.iso.datetime(),
      contact: z.email(),
      tags: z.array(z.string()).max(1),
      agent: z.looseObject({ id: z.string() }),
      extra: z.record(z.string(), z.number()),
    });
    const raw = { count: EMAIL, kind: EMAIL, at: EMAIL, contact: "zelda.visitorname@", tags: ["a", EMAIL], agent: {}, extra: { [EMAIL]: EMAIL }, [EMAIL]: 1 };
    const checked = validateRecord(where, schema, raw, () => "s-1");
    expect(checked.ok).toBe(false);
    const problems = checked.ok ? [] : checked.problems;
    expect(problems.map((problem) => [problem.fieldPath, problem.message])).toEqual([
      ["count", "expected number, found a string"],
      ["kind", "expected one of: cobrowse, call"],
      ["at", "not in the expected format (datetime)"],
      ["contact", "not in the expected format (email)"],
      ["tags", "too big: expected array length <= 1"],
      ["agent.id", "required: expected string, found nothing"],
      [`extra.${EMAIL}`, "expected number, found a string"],
      ["(record)", "1 unexpected field"],
    ]);
    for (const problem of problems) expect(problem.message).not.toMatch(/zelda|example/);
    // The record itself is kept for the private quarantine table.
    expect(problems[0]?.raw).toBe(raw);
  });

  it("say where a line or a body is broken, never what it holds", () => {
    for (const text of [`{"email":"${EMAIL}" x}`, `"${EMAIL}`, EMAIL, `{"email":"${EMAIL}"}garbage`, `{"a":1,}`]) {
      const outcome = parseLineText(text, 12);
      expect(outcome.kind).toBe("problem");
      if (outcome.kind === "problem") {
        expect(outcome.message).toMatch(/^not valid JSON( \(line 12, column \d+\)| \(it ends too soon: cut short\?\))?$/);
        expect(outcome.message).not.toMatch(/zelda|example/);
      }
    }
    expect(parseJsonText(`{\n  "email": "${EMAIL}" oops\n}`)).toEqual({ ok: false, cause: "json", message: "not valid JSON (line 2, column 44)" });
  });
});

describe("the Data page's second guard", () => {
  it("redacts quoted text, emails (cut ones too), IPs and URLs, and leaves our messages alone", () => {
    expect(redactMessage(`not valid JSON: Unexpected token 'v', "zelda.visit"... is not valid JSON`)).toBe('not valid JSON: Unexpected token "…"... is not valid JSON');
    expect(redactMessage(`Unexpected token 'x', "{"email":"zelda.visit"... is not valid JSON`)).toBe('Unexpected token "…"... is not valid JSON');
    expect(redactMessage(`Unterminated string: "zelda.visitorn`)).toBe('Unterminated string: "…"');
    expect(redactMessage("Unrecognized key: zelda.visitorname@exa")).toBe("Unrecognized key: [email]");
    expect(redactMessage("from 198.51.100.23 via https://app.upscope.io/r/secret-link?x=1")).toBe("from [ip] via [url]");
    for (const ours of ["expected number, found a string", "not valid JSON (line 12, column 40)", "line longer than 8 MiB (52428827 bytes): not read", "Invalid input: expected string, received number", "SI_PSEUDONYM_KEY is the demo's published key"]) {
      expect(redactMessage(ours)).toBe(ours);
    }
  });

  let lakeRoot: string;
  beforeAll(async () => {
    lakeRoot = await mkdtemp(join(tmpdir(), "si-quarantine-messages-"));
    const lake = await openLake(lakeRoot);
    try {
      // Messages as runs before this change wrote them: V8's and zod's, quoting the record.
      const base = { source: "upscope", fetchedAt: "2026-11-20T10:00:00Z", runId: "run-old", raw: { visitor_email: EMAIL } };
      await lake.quarantine([
        { ...base, recordId: "sessions:hooks.ndjson:2", fieldPath: "(line)", message: `not valid JSON: Unexpected token 'x', "{"email":"zelda.visit"... is not valid JSON` },
        { ...base, recordId: "sessions:s-2", fieldPath: "(record)", message: `Unrecognized key: "${EMAIL}"` },
      ]);
    } finally {
      lake.close();
    }
  });
  afterAll(async () => {
    await rm(lakeRoot, { recursive: true, force: true });
  });

  it("publishes those messages without the fragments, and the fragment scan would have caught them", async () => {
    const loader = join(process.cwd(), "src", "data", "data-status.json.ts");
    const { stdout } = await promisify(execFile)(join(process.cwd(), "node_modules", ".bin", "tsx"), [loader], { env: { ...process.env, SI_LAKE_DIR: lakeRoot }, maxBuffer: 10_000_000 });
    const status = JSON.parse(stdout) as { quarantine: { records: Array<{ record_id: string; message: string }> } };
    expect(status.quarantine.records.map((record) => [record.record_id, record.message]).sort()).toEqual([
      ["sessions:hooks.ndjson:2", 'not valid JSON: Unexpected token "…"... is not valid JSON'],
      ["sessions:s-2", 'Unrecognized key: "…"'],
    ]);
    const scanner = new PrivacyScanner([{ kind: "email", value: EMAIL }]);
    expect(scanner.findings(stdout)).toEqual([]);
    // Unredacted, the first message passes the old scan (no whole email, nothing email-like) and fails the new one.
    const old = `not valid JSON: Unexpected token 'x', "{"email":"zelda.visit"... is not valid JSON`;
    expect(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/.test(old) || old.includes(EMAIL)).toBe(false);
    expect(scanner.findings(old)).toEqual(['contains "zelda.vi", a fragment of "zelda.visitorname@example.org"']);
  }, 60_000);
});
