/**
 * Ground-truth export: everything the simulator holds for a seed and clock, as NDJSON, one
 * file per object type. Upscope sessions come out exactly as the files of Session objects
 * a customer exports or collects from webhooks. Deliberately schema-breaking records go to
 * `*-invalid.ndjson` with the kind and path of the breakage, so a sync test can expect
 * them quarantined. Drifted records (drift.ts) are written as served, in their usual
 * file, and listed in `drift.ndjson` (source, stream, id, kind, path), so a sync test can
 * expect them kept and their drift in the ledger. Written day by day: memory does not
 * grow with the history.
 */
import { createWriteStream } from "node:fs";
import type { WriteStream } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { once } from "node:events";
import type { Breakage } from "./breakage.js";
import type { AppliedDrift } from "./drift.js";
import { CHAT_BUTTONS } from "./generate/agendize.js";
import { EmbeddedData, type EmbeddedEventLine } from "./generate/embedded.js";
import type { UpscopeVisit } from "./generate/upscope.js";
import { SKILLS } from "./world.js";
import { createSimulation, resolveOptions } from "./simulation.js";
import type { SimulatorOptions } from "./simulation.js";
import { dayStartMs, isoUtc } from "./time.js";

export interface ExportManifest {
  seed: number;
  now: string;
  days: number;
  scale: number;
  historyStart: string;
  invalidRecordRate: number;
  /** Share of records served drifted from the docs, and the kinds enabled. */
  drift: { rate: number; kinds: string[] };
  /** Line count per file name. */
  files: Record<string, number>;
}

class NdjsonWriter {
  private readonly stream: WriteStream;
  lines = 0;

  constructor(path: string) {
    this.stream = createWriteStream(path, { encoding: "utf8" });
  }

  async write(value: unknown): Promise<void> {
    this.lines++;
    if (!this.stream.write(`${JSON.stringify(value)}\n`)) await once(this.stream, "drain");
  }

  async close(): Promise<void> {
    this.stream.end();
    await once(this.stream, "finish");
  }
}

function invalidLine(id: string, breakage: Breakage, record: unknown): Record<string, unknown> {
  return { id, breakage: breakage.kind, path: breakage.path, record };
}

/** One line of `drift.ndjson`: which kept record drifted, and how. */
export interface DriftLine {
  source: "upscope" | "liveperson" | "agendize";
  stream: string;
  id: string;
  kind: AppliedDrift["kind"];
  path: AppliedDrift["path"];
}

function driftLine(source: DriftLine["source"], stream: string, id: unknown, drift: AppliedDrift): DriftLine {
  return { source, stream, id: String(id), kind: drift.kind, path: drift.path };
}

/** Writes the ground truth into `directory` (created if needed) and returns the manifest. */
export async function exportGroundTruth(options: SimulatorOptions, directory: string): Promise<ExportManifest> {
  const resolved = resolveOptions(options);
  const simulation = createSimulation(resolved);
  const { world, upscope, liveperson, agendize } = simulation;
  const nowMs = simulation.nowMs();
  const historyStart = world.historyStartMs(nowMs);
  await mkdir(directory, { recursive: true });
  const names = [
    "upscope-sessions",
    "upscope-sessions-invalid",
    "upscope-visitors",
    "liveperson-engagements",
    "liveperson-engagements-invalid",
    "liveperson-engagements-pending",
    "liveperson-engagements-partial",
    "liveperson-arrivals",
    "agendize-chats",
    "agendize-chats-invalid",
    "agendize-chat-instants",
    "drift",
    "people",
    "agents",
  ] as const;
  const writers = Object.fromEntries(names.map((name) => [name, new NdjsonWriter(join(directory, `${name}.ndjson`))])) as Record<
    (typeof names)[number],
    NdjsonWriter
  >;
  const lastVisits = new Map<number, UpscopeVisit>();
  const peopleSeen = new Set<number>();

  for (const day of world.historyDays(nowMs)) {
    const upscopeDay = upscope.day(day);
    for (const visit of upscopeDay.visits) {
      if (visit.atMs >= historyStart && visit.atMs <= nowMs) lastVisits.set(visit.personIndex, visit);
    }
    for (const skeleton of upscope.visibleSessions(day, nowMs)) {
      const built = upscope.buildSession(skeleton);
      if (built.breakage) await writers["upscope-sessions-invalid"].write(invalidLine(String(skeleton.key), built.breakage, built.record));
      else {
        await writers["upscope-sessions"].write(built.record);
        if (built.drift) await writers.drift.write(driftLine("upscope", "sessions", (built.record as { id: unknown }).id, built.drift));
      }
    }
    for (const skeleton of liveperson.day(day)) {
      if (skeleton.startMs < historyStart || skeleton.endMs > nowMs) continue;
      peopleSeen.add(skeleton.personIndex);
      // When each record becomes visible to search, so a sync test can predict any clock.
      await writers["liveperson-arrivals"].write({ engagementId: skeleton.engagementId, endTimeL: skeleton.endMs, visibleFromL: skeleton.visibleFromMs });
      if (!liveperson.isVisible(skeleton, nowMs)) {
        await writers["liveperson-engagements-pending"].write({
          engagementId: skeleton.engagementId,
          endTimeL: skeleton.endMs,
          visibleFromL: skeleton.visibleFromMs,
        });
        continue;
      }
      const built = liveperson.buildRecord(skeleton, true);
      if (skeleton.isPartial) await writers["liveperson-engagements-partial"].write({ engagementId: skeleton.engagementId });
      if (built.breakage) await writers["liveperson-engagements-invalid"].write(invalidLine(skeleton.engagementId, built.breakage, built.record));
      else {
        await writers["liveperson-engagements"].write(built.record);
        if (built.drift) await writers.drift.write(driftLine("liveperson", "engagements", skeleton.engagementId, built.drift));
      }
    }
    for (const chat of agendize.day(day)) {
      if (!agendize.isVisible(chat, nowMs)) continue;
      peopleSeen.add(chat.personIndex);
      const built = agendize.buildChat(chat);
      if (built.breakage) await writers["agendize-chats-invalid"].write(invalidLine(chat.id, built.breakage, built.record));
      else {
        await writers["agendize-chats"].write(built.record);
        if (built.drift) await writers.drift.write(driftLine("agendize", "chats", chat.id, built.drift));
      }
      // The instants behind the chat's local wall-clock times: checks need no zone conversion of their own.
      await writers["agendize-chat-instants"].write({ id: chat.id, startMs: chat.startMs, endMs: chat.endMs, messageTimesMs: chat.messageTimesMs });
    }
  }

  const visitorIndexes = [...lastVisits.keys()].sort((a, b) => a - b);
  for (const index of visitorIndexes) {
    const visit = lastVisits.get(index);
    if (!visit) continue;
    peopleSeen.add(index);
    const built = upscope.buildVisitorWithDrift(world.person(index), visit, nowMs);
    await writers["upscope-visitors"].write(built.record);
    if (built.drift) await writers.drift.write(driftLine("upscope", "visitors", built.record.short_id, built.drift));
  }
  // Cross-source identity ground truth: which ids in each source belong to the same customer.
  for (const index of [...peopleSeen].sort((a, b) => a - b)) {
    const person = world.person(index);
    await writers.people.write({
      index,
      name: person.name,
      email: person.email,
      uniqueId: person.uniqueId,
      upscopeShortId: person.upscopeShortId,
      livePersonVisitorId: person.livePersonVisitorId,
    });
  }
  for (const agent of world.agents) {
    await writers.agents.write({
      name: agent.name,
      nickname: agent.nickname,
      email: agent.email,
      livePersonAgentId: String(agent.livePersonId),
      upscopeAgentId: agent.upscopeId,
      externalId: agent.externalId,
      skills: agent.skillIds.map((id) => SKILLS.find((skill) => skill.id === id)?.name ?? String(id)),
      agentGroupId: agent.groupId,
    });
  }

  const files: Record<string, number> = {};
  for (const name of names) {
    await writers[name].close();
    files[`${name}.ndjson`] = writers[name].lines;
  }
  const manifest: ExportManifest = {
    seed: resolved.seed,
    now: isoUtc(nowMs),
    days: resolved.days,
    scale: resolved.scale,
    historyStart: isoUtc(historyStart),
    invalidRecordRate: resolved.faults.invalidRecord,
    drift: { rate: resolved.drift.rate, kinds: [...resolved.drift.kinds] },
    files,
  };
  await writeFile(join(directory, "manifest.json"), `${JSON.stringify({ ...manifest, chatButtons: CHAT_BUTTONS }, null, 2)}\n`);
  return manifest;
}

export interface SessionFilesResult {
  /** File names written or kept, oldest week first. */
  files: string[];
  /** Session lines in them, the deliberately broken ones included. */
  sessions: number;
}

/** Monday (UTC) of the week holding a day index; 1970-01-01, day 0, was a Thursday. */
function weekStartDay(dayIndex: number): number {
  const weekday = (dayIndex + 4) % 7; // 0 = Sunday
  return dayIndex - ((weekday + 6) % 7);
}

/**
 * Writes Upscope sessions that started before `startedBefore` the way a customer's weekly
 * exports hold them: one NDJSON file per week (Monday to Sunday, UTC), named
 * `upscope-sessions-<monday>.ndjson`, with the deliberately broken records in place (a
 * sync must quarantine them). The same Session objects the API serves, byte for byte.
 * A file is rewritten only when its content changed (atomically: a dotfile renamed over
 * it), so an unchanged week keeps its mtime; week files no longer produced are removed.
 */
export async function exportUpscopeSessionFiles(
  options: SimulatorOptions,
  directory: string,
  { startedBefore }: { startedBefore: Date | number | string },
): Promise<SessionFilesResult> {
  const cutoffMs = new Date(startedBefore).getTime();
  if (Number.isNaN(cutoffMs)) throw new RangeError(`startedBefore is not a valid date: ${String(startedBefore)}`);
  const simulation = createSimulation(resolveOptions(options));
  const { world, upscope } = simulation;
  const nowMs = simulation.nowMs();
  await mkdir(directory, { recursive: true });
  // Temporary files of a writer that was killed before its rename.
  for (const name of await readdir(directory)) if (name.startsWith(".tmp-")) await rm(join(directory, name), { force: true });
  const files: string[] = [];
  let sessions = 0;
  let week: number | undefined;
  let lines: string[] = [];
  const flush = async () => {
    if (week === undefined || lines.length === 0) return;
    const name = `upscope-sessions-${isoUtc(dayStartMs(week)).slice(0, 10)}.ndjson`;
    const content = `${lines.join("\n")}\n`;
    await writeFileIfChanged(directory, name, content);
    files.push(name);
    lines = [];
  };
  for (const day of world.historyDays(nowMs)) {
    if (dayStartMs(day) >= cutoffMs) break;
    if (weekStartDay(day) !== week) {
      await flush();
      week = weekStartDay(day);
    }
    for (const skeleton of upscope.visibleSessions(day, nowMs)) {
      if (skeleton.startMs >= cutoffMs) continue;
      lines.push(JSON.stringify(upscope.buildSession(skeleton).record));
      sessions++;
    }
  }
  await flush();
  const kept = new Set(files);
  for (const name of await readdir(directory)) {
    if (/^upscope-sessions-\d{4}-\d{2}-\d{2}\.ndjson$/.test(name) && !kept.has(name)) await rm(join(directory, name), { force: true });
  }
  return { files, sessions };
}

export interface EmbeddedEventFilesResult {
  /** File names written or kept, oldest day first. */
  files: string[];
  /** Event lines in them, the deliberately broken ones included. */
  events: number;
  /** The deliberately broken lines (the invalid-record fault): the sync must quarantine exactly these. */
  invalid: Array<{ id: string; breakage: Breakage["kind"]; path: Breakage["path"] }>;
  /** The drifted lines that are not broken (drift option): the sync must keep them and count their drift. */
  drifted: Array<{ id: string; kind: AppliedDrift["kind"]; path: AppliedDrift["path"] }>;
  /** Distinct Upscope sessions the events belong to. */
  sessions: number;
}

/** How many days before `now` the demo's agent consoles have been recording (the recorder's "go-live"). */
export const DEMO_EMBEDDED_DAYS = 60;

/**
 * Writes the embedded session events of the simulator's Upscope sessions that started
 * in the last `days` days (and ended by now) the way the collector stores them: one
 * NDJSON file per UTC day of arrival, `events-YYYY-MM-DD.ndjson`, lines in arrival
 * order, events that arrive after `now` left out. Like the session files: a file is
 * rewritten only when its content changed (atomically), and day files no longer
 * produced are removed.
 */
export async function exportEmbeddedEventFiles(
  options: SimulatorOptions,
  directory: string,
  { days = DEMO_EMBEDDED_DAYS }: { days?: number } = {},
): Promise<EmbeddedEventFilesResult> {
  const simulation = createSimulation(resolveOptions(options));
  const { world, upscope } = simulation;
  const embedded = new EmbeddedData(world, upscope);
  const nowMs = simulation.nowMs();
  const fromMs = Math.max(world.historyStartMs(nowMs), nowMs - days * 24 * 3_600_000);
  await mkdir(directory, { recursive: true });
  for (const name of await readdir(directory)) if (name.startsWith(".tmp-")) await rm(join(directory, name), { force: true });
  const byDay = new Map<string, EmbeddedEventLine[]>();
  const result: EmbeddedEventFilesResult = { files: [], events: 0, invalid: [], drifted: [], sessions: 0 };
  const flushBefore = async (day: string) => {
    for (const key of [...byDay.keys()].sort()) {
      if (key >= day) break;
      const lines = (byDay.get(key) ?? []).sort((a, b) => a.receivedAtMs - b.receivedAtMs || String(a.record.id).localeCompare(String(b.record.id)));
      byDay.delete(key);
      const name = `events-${key}.ndjson`;
      const content = `${lines.map((line) => JSON.stringify(line.record)).join("\n")}\n`;
      await writeFileIfChanged(directory, name, content);
      result.files.push(name);
      result.events += lines.length;
      for (const line of lines) {
        if (line.breakage) result.invalid.push({ id: String(line.record.id), breakage: line.breakage.kind, path: line.breakage.path });
        else if (line.drift) result.drifted.push({ id: String(line.record.id), kind: line.drift.kind, path: line.drift.path });
      }
    }
  };
  for (const day of world.historyDays(nowMs)) {
    // Late events arrive at most ~31 h after they were recorded: days two back are complete.
    await flushBefore(isoUtc(dayStartMs(day - 2)).slice(0, 10));
    for (const skeleton of upscope.visibleSessions(day, nowMs)) {
      if (skeleton.startMs < fromMs) continue;
      result.sessions += 1;
      for (const line of embedded.sessionEvents(skeleton)) {
        if (line.receivedAtMs > nowMs) continue;
        const key = isoUtc(line.receivedAtMs).slice(0, 10);
        let lines = byDay.get(key);
        if (!lines) byDay.set(key, (lines = []));
        lines.push(line);
      }
    }
  }
  await flushBefore("9999-12-31");
  const kept = new Set(result.files);
  for (const name of await readdir(directory)) {
    if (/^events-\d{4}-\d{2}-\d{2}\.ndjson$/.test(name) && !kept.has(name)) await rm(join(directory, name), { force: true });
  }
  return result;
}

/**
 * Writes a demo file only when its content changed (temporary file, then rename), so
 * a sync that fingerprints files sees an unchanged one as unchanged.
 */
async function writeFileIfChanged(directory: string, name: string, content: string): Promise<void> {
  const path = join(directory, name);
  const current = await readFile(path, "utf8").catch(() => undefined);
  if (current === content) return;
  const temporary = join(directory, `.tmp-${process.pid}-${name}`);
  await writeFile(temporary, content);
  await rename(temporary, path);
}
