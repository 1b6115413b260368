/**
 * The collector under load, as its CLI runs it (`npm run collector`), on loopback:
 * many concurrent senders, each re-sending some batches (as a recorder does after a
 * reload), and the collector killed with SIGKILL half-way and started again on the
 * same port while the senders retry. Afterwards every event sent is stored exactly
 * once. The figures go to test-results/embedded-collector-load.json.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordedEvent } from "./fixtures.js";

const TOKEN = "load-test-token-0123456789";
const SENDERS = 40;
const BATCHES_PER_SENDER = 25;
const EVENTS_PER_BATCH = 20;
/** Every tenth batch is sent twice, as a recorder does when it cannot know whether its last send arrived. */
const RESEND_EVERY = 10;
/** The collector is killed once this many batches have been acknowledged. */
const KILL_AFTER_BATCHES = Math.floor((SENDERS * BATCHES_PER_SENDER) / 2);

let dir: string;
let child: ChildProcessWithoutNullStreams | undefined;

/** Starts the CLI and resolves with its endpoint (the first line it prints). */
function startCli(port: number): Promise<{ endpoint: string; process: ChildProcessWithoutNullStreams }> {
  const started = spawn(process.execPath, ["--import", "tsx", "embedded/collector/cli.ts", "--port", String(port), "--out", dir], {
    cwd: process.cwd(),
    env: { ...process.env, EMBEDDED_COLLECTOR_TOKEN: TOKEN },
    stdio: ["pipe", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let stderr = "";
    started.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    started.once("exit", (code) => reject(new Error(`collector exited with ${code}: ${stderr}`)));
    createInterface({ input: started.stdout }).once("line", (line) => resolve({ endpoint: line.trim(), process: started }));
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "si-collector-load-"));
});

afterAll(async () => {
  child?.kill("SIGKILL");
  await rm(dir, { recursive: true, force: true });
});

describe("the collector under concurrent senders", () => {
  it(`stores each of ${SENDERS * BATCHES_PER_SENDER * EVENTS_PER_BATCH} events exactly once, through duplicates and a SIGKILL`, async () => {
    let cli = await startCli(0);
    child = cli.process;
    const endpoint = cli.endpoint;
    const port = Number(new URL(endpoint).port);
    let acknowledged = 0;
    let retries = 0;
    let duplicatesAnswered = 0;
    let restarting: Promise<void> | undefined;

    const killAndRestart = async () => {
      const killed = cli.process;
      await new Promise<void>((resolve) => {
        killed.once("exit", () => resolve());
        killed.kill("SIGKILL");
      });
      cli = await startCli(port);
      child = cli.process;
    };

    /** Sends until the collector says 200; connection errors and 5xx are retried (the collector may be down). */
    const send = async (events: readonly Record<string, unknown>[]) => {
      const body = JSON.stringify({ events });
      for (let attempt = 0; ; attempt++) {
        try {
          const response = await fetch(`${endpoint}?token=${TOKEN}`, { method: "POST", body, headers: { "content-type": "text/plain;charset=UTF-8" } });
          const answer = (await response.json()) as { accepted?: number; duplicates?: number; error?: string };
          if (response.status === 200) {
            duplicatesAnswered += answer.duplicates ?? 0;
            return;
          }
          if (response.status < 500) throw new Error(`refused: ${response.status} ${answer.error ?? ""}`);
        } catch (error) {
          if (error instanceof Error && error.message.startsWith("refused")) throw error;
        }
        retries += 1;
        if (attempt > 200) throw new Error("the collector did not come back");
        await restarting;
        await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 80));
      }
    };

    const sent = new Set<string>();
    const started = Date.now();
    await Promise.all(
      Array.from({ length: SENDERS }, async () => {
        const embedId = randomUUID();
        for (let index = 0; index < BATCHES_PER_SENDER; index++) {
          const events = Array.from({ length: EVENTS_PER_BATCH }, (_, position) => {
            const event = recordedEvent({ embedId, sequence: index * EVENTS_PER_BATCH + position });
            sent.add(String(event.id));
            return event;
          });
          await send(events);
          if (index % RESEND_EVERY === 0) await send(events);
          acknowledged += 1;
          if (acknowledged === KILL_AFTER_BATCHES) restarting ??= killAndRestart();
        }
      }),
    );
    await restarting;
    const elapsedMs = Date.now() - started;

    // Stop cleanly (SIGTERM finishes requests under way), then read what is on disk.
    await new Promise<void>((resolve) => {
      cli.process.once("exit", () => resolve());
      cli.process.kill("SIGTERM");
    });
    child = undefined;
    const counts = new Map<string, number>();
    let tornLines = 0;
    let lines = 0;
    for (const name of await readdir(dir)) {
      for (const line of (await readFile(join(dir, name), "utf8")).split("\n")) {
        if (line.trim() === "") continue;
        lines += 1;
        try {
          const id = (JSON.parse(line) as { id: string }).id;
          counts.set(id, (counts.get(id) ?? 0) + 1);
        } catch {
          tornLines += 1; // a line the SIGKILL cut: never acknowledged, so re-sent whole
        }
      }
    }
    const missing = [...sent].filter((id) => !counts.has(id));
    const doubled = [...counts].filter(([, n]) => n > 1);
    const figures = {
      senders: SENDERS,
      batches: SENDERS * BATCHES_PER_SENDER,
      eventsSent: sent.size,
      batchesSentTwice: SENDERS * Math.ceil(BATCHES_PER_SENDER / RESEND_EVERY),
      duplicatesAnswered,
      retriesAfterKill: retries,
      collectorKilledAfterBatches: KILL_AFTER_BATCHES,
      linesStored: lines,
      tornLines,
      distinctEventsStored: counts.size,
      lost: missing.length,
      storedTwice: doubled.length,
      elapsedMs,
      eventsPerSecond: Math.round((sent.size / elapsedMs) * 1000),
    };
    await mkdir(join(process.cwd(), "test-results"), { recursive: true });
    await writeFile(join(process.cwd(), "test-results", "embedded-collector-load.json"), `${JSON.stringify(figures, null, 2)}\n`);
    console.log("collector load:", figures);

    expect(sent.size).toBe(SENDERS * BATCHES_PER_SENDER * EVENTS_PER_BATCH);
    expect(missing).toEqual([]);
    expect(doubled).toEqual([]);
    expect(counts.size).toBe(sent.size);
    expect(retries).toBeGreaterThan(0); // the kill really happened under load
    expect(duplicatesAnswered).toBeGreaterThanOrEqual(SENDERS * Math.ceil(BATCHES_PER_SENDER / RESEND_EVERY) * EVENTS_PER_BATCH);
  }, 120_000);
});
