/**
 * The simulator's vendor drift: off by default; at a rate, a seeded share of records
 * drifts the same way in every response and in the export, each in one of the enabled
 * kinds; `drift.ndjson` lists them, and each listed drift is exactly what the schemas'
 * drift policy finds in the record (missing optional objects aside, which are not drift
 * to find). The CLI exposes the option.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { ChatSessionRecord } from "../../data-loaders/agendize/schemas.js";
import { generalisePath, parseWithDrift } from "../../data-loaders/drift/policy.js";
import { InteractionHistoryRecord } from "../../data-loaders/liveperson/schemas.js";
import { Session, Visitor } from "../../data-loaders/upscope/schemas.js";
import { exportGroundTruth, SIMULATED_DRIFT_KINDS, type DriftLine } from "../../simulator/index.js";
import { agendizeQuery, http, jsonOf, NOW, start } from "./helpers.js";

type Json = Record<string, unknown>;
let dir: string;

async function exported(name: string, options: Parameters<typeof exportGroundTruth>[0]): Promise<string> {
  const directory = join(dir, name);
  await exportGroundTruth({ seed: 3, now: NOW, days: 8, scale: 0.5, ...options }, directory);
  return directory;
}

async function lines<T = Json>(directory: string, file: string): Promise<T[]> {
  return (await readFile(join(directory, `${file}.ndjson`), "utf8"))
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T);
}

const FILES: Record<string, { file: string; schema: z.ZodType; id: (record: Json) => string }> = {
  "upscope/sessions": { file: "upscope-sessions", schema: Session, id: (record) => String(record.id) },
  "upscope/visitors": { file: "upscope-visitors", schema: Visitor, id: (record) => String(record.short_id) },
  "liveperson/engagements": { file: "liveperson-engagements", schema: InteractionHistoryRecord, id: (record) => String((record.info as Json).engagementId) },
  "agendize/chats": { file: "agendize-chats", schema: ChatSessionRecord, id: (record) => String(record.id) },
};

let drifted: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sim-drift-"));
  drifted = await exported("drifted", { drift: { rate: 0.6 } });
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("simulated vendor drift", () => {
  it("is off by default: no record listed, and the same records as at rate 0", async () => {
    const plain = await exported("plain", {});
    expect(await lines(plain, "drift")).toEqual([]);
    const zero = await exported("zero", { drift: { rate: 0 } });
    for (const file of ["upscope-sessions", "liveperson-engagements", "agendize-chats"]) {
      expect(await readFile(join(zero, `${file}.ndjson`), "utf8")).toBe(await readFile(join(plain, `${file}.ndjson`), "utf8"));
    }
  });

  it("lists each drifted record with the drift the schemas' policy finds in it, and shows every kind in every source", async () => {
    const records = new Map<string, Json>();
    for (const [key, { file, id }] of Object.entries(FILES)) for (const record of await lines(drifted, file)) records.set(`${key}/${id(record)}`, record);
    const drift = await lines<DriftLine>(drifted, "drift");
    expect(drift.length).toBeGreaterThan(100);
    const unmatched: string[] = [];
    for (const line of drift) {
      const key = `${line.source}/${line.stream}`;
      const entry = FILES[key];
      const record = records.get(`${key}/${line.id}`);
      expect(entry && record, `${key} ${line.id}`).toBeTruthy();
      const parsed = parseWithDrift(entry?.schema as z.ZodType, record);
      expect(parsed.success, `${key} ${line.id} ${line.kind}`).toBe(true);
      if (!parsed.success || line.kind === "missing_optional") continue;
      if (!parsed.drift.some((finding) => finding.kind === line.kind && finding.path === generalisePath(line.path))) unmatched.push(`${key} ${line.id} ${line.kind}`);
    }
    expect(unmatched).toEqual([]);
    const kinds = (key: string) => [...new Set(drift.filter((line) => `${line.source}/${line.stream}` === key).map((line) => line.kind))].sort();
    expect(kinds("upscope/sessions")).toEqual([...SIMULATED_DRIFT_KINDS].sort());
    expect(kinds("liveperson/engagements")).toEqual([...SIMULATED_DRIFT_KINDS].sort());
    expect(kinds("agendize/chats")).toEqual(SIMULATED_DRIFT_KINDS.filter((kind) => kind !== "number_as_string").sort());
    expect(kinds("upscope/visitors")).toEqual(SIMULATED_DRIFT_KINDS.filter((kind) => kind !== "number_as_string").sort());
  });

  it("draws only the kinds asked for, and is the same for the same seed", async () => {
    const only = await exported("only", { drift: { rate: 0.6, kinds: ["null_in_array"] } });
    const drift = await lines<DriftLine>(only, "drift");
    expect(drift.length).toBeGreaterThan(50);
    expect(new Set(drift.map((line) => line.kind))).toEqual(new Set(["null_in_array"]));
    const again = await exported("again", { drift: { rate: 0.6 } });
    expect(await readFile(join(again, "drift.ndjson"), "utf8")).toBe(await readFile(join(drifted, "drift.ndjson"), "utf8"));
    await expect(exported("bad", { drift: { rate: 2 } })).rejects.toThrow(/drift rate/);
  });

  it("serves a drifted record exactly as the export holds it", async () => {
    const chat = (await lines<DriftLine>(drifted, "drift")).find((line) => line.source === "agendize");
    const record = (await lines(drifted, "agendize-chats")).find((candidate) => String(candidate.id) === chat?.id);
    const sim = await start({ seed: 3, days: 8, scale: 0.5, drift: { rate: 0.6 } });
    try {
      const served = await http(`${sim.url}/agendize/api/2.0/chat/history/${chat?.id}?${agendizeQuery}`);
      expect(jsonOf(served)).toEqual(record);
    } finally {
      await sim.stop();
    }
  });

  it("is an option of the CLI, documented in --help, with kinds checked", async () => {
    const tsx = fileURLToPath(new URL("../../node_modules/.bin/tsx", import.meta.url));
    const root = fileURLToPath(new URL("../..", import.meta.url));
    const help = spawn(tsx, ["simulator/cli.ts", "--help"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    help.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    await once(help, "exit");
    for (const text of ["--drift-rate", "--drift-kinds", ...SIMULATED_DRIFT_KINDS]) expect(out).toContain(text);
    const bad = spawn(tsx, ["simulator/cli.ts", "--export", join(dir, "cli"), "--drift-kinds", "teleport"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    bad.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    const [code] = (await once(bad, "exit")) as [number];
    expect(code).toBe(2);
    expect(err).toContain('unknown kind "teleport"');
  });
});
