/**
 * The reference collector: token, malformed and oversized bodies (400 with a message),
 * de-duplication (within a batch, across batches, across a restart), fsync before the
 * answer, a failed write answered 500 and stored once when sent again, a line cut by a
 * crash kept apart, CORS, and the CLI's arguments.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseCollectorArgs, UsageError } from "../../embedded/collector/cli.js";
import { startCollector, type CollectorOptions, type RunningCollector } from "../../embedded/collector/server.js";
import { eventFileName, nodeFileSystem, type CollectorFileSystem } from "../../embedded/collector/store.js";
import { recordedEvent } from "./fixtures.js";

const TOKEN = "test-token-0123456789";
const NOW = new Date("2026-05-01T12:00:00.000Z");
let dir: string;
let collector: RunningCollector | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "si-collector-"));
});

afterEach(async () => {
  await collector?.close();
  collector = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function start(options: Partial<CollectorOptions> = {}): Promise<RunningCollector> {
  collector = await startCollector({ outputDir: dir, tokens: [TOKEN], now: () => NOW, ...options });
  return collector;
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

async function post(body: string | Blob, options: { token?: string | null; query?: boolean; headers?: Record<string, string> } = {}): Promise<Answer> {
  if (!collector) throw new Error("no collector");
  const token = options.token === undefined ? TOKEN : options.token;
  const url = new URL(`${collector.url}/events`);
  const headers: Record<string, string> = { "content-type": "text/plain;charset=UTF-8", ...options.headers };
  if (token !== null && options.query) url.searchParams.set("token", token);
  else if (token !== null) headers.authorization = `Bearer ${token}`;
  const response = await fetch(url, { method: "POST", body, headers });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers: response.headers };
}

const batch = (events: readonly Record<string, unknown>[]) => JSON.stringify({ events });

async function storedLines(): Promise<Array<Record<string, unknown>>> {
  const lines: Array<Record<string, unknown>> = [];
  for (const name of (await readdir(dir)).sort()) {
    for (const line of (await readFile(join(dir, name), "utf8")).split("\n")) if (line.trim() !== "") lines.push(JSON.parse(line) as Record<string, unknown>);
  }
  return lines;
}

describe("the collector's door", () => {
  it("answers 401 without the token or with a wrong one, and takes it as a Bearer header or a query parameter", async () => {
    await start();
    expect((await post(batch([recordedEvent()]), { token: null })).status).toBe(401);
    const wrong = await post(batch([recordedEvent()]), { token: "not-the-token" });
    expect(wrong.status).toBe(401);
    expect(String(wrong.body.error)).toMatch(/token/);
    expect((await post(batch([recordedEvent()]))).status).toBe(200);
    expect((await post(batch([recordedEvent()]), { query: true })).status).toBe(200);
    expect(await storedLines()).toHaveLength(2);
    expect(collector?.stats().unauthorized).toBe(2);
  });

  it("refuses malformed bodies with 400 and says what is wrong, storing nothing", async () => {
    await start({ maxEventsPerBatch: 3 });
    const cases: Array<[string | Blob, RegExp]> = [
      ["", /empty/],
      ["{not json", /not valid JSON/],
      [new Blob([new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])]), /not valid UTF-8/],
      [JSON.stringify({ events: [] }), /at least one event/],
      [JSON.stringify([recordedEvent()]), /invalid batch: \(event\)|invalid batch: events/],
      [batch([recordedEvent(), recordedEvent({ event: { type: "upscope.sessionState.update", state: { dataBounceSpeed: "fast" } } })]), /events\[1\]\.event\.state\.dataBounceSpeed/],
      [batch([recordedEvent({ id: undefined })]), /events\[0\]\.id/],
      // A new error code is drift (stored, see below); an error that is not a code at all is not.
      [batch([recordedEvent({ event: { type: "error", error: { code: "connection:laser" } } })]), /events\[0\]\.event\.error/],
      [batch([recordedEvent(), recordedEvent(), recordedEvent(), recordedEvent()]), /at most 3 events; this one holds 4/],
    ];
    for (const [body, message] of cases) {
      const answer = await post(body);
      expect(answer.status, String(body)).toBe(400);
      expect(String(answer.body.error)).toMatch(message);
    }
    expect(await readdir(dir)).toEqual([]);
    // Drift from the documented shapes is not malformed: a new error code is stored as it came.
    expect((await post(batch([recordedEvent({ event: { type: "error", error: "connection:laser" } })]))).status).toBe(200);
    expect((await storedLines()).map((line) => (line.event as { error?: string }).error)).toEqual(["connection:laser"]);
    expect(collector?.stats().rejected).toBe(cases.length);
  });

  it("answers 400, never 500, to a body nested too deeply or a request target that is not a URL", async () => {
    await start();
    const deep = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;
    const event = JSON.stringify(recordedEvent());
    const cases: Array<[string, string | Blob]> = [
      ["a whole body nested 100,000 deep", deep(100_000)],
      ["an event nested 100,000 deep", `{"events":[${deep(100_000)}]}`],
      ["an unknown field of a valid event nested 100,000 deep", `{"events":[${event.slice(0, -1)},"extra":${deep(100_000)}}]}`],
      ["a custom message nested 100,000 deep", batch([recordedEvent({ event: { type: "customMessage", message: { a: 1 } } })]).replace('{"a":1}', `{"a":${deep(100_000)}}`)],
      ["an unknown field nested 65 deep", `{"events":[${event.slice(0, -1)},"extra":${deep(65)}}]}`],
    ];
    for (const [what, body] of cases) {
      const answer = await post(body);
      expect(answer.status, what).toBe(400);
      expect(String(answer.body.error), what).toMatch(/nested more than 64 levels deep|invalid batch/);
    }
    // Just under the limit is stored as sent.
    expect((await post(`{"events":[${event.slice(0, -1)},"extra":${deep(60)}}]}`)).status).toBe(200);
    // A request target that is not a URL, sent over a raw socket (fetch would refuse it).
    const { hostname, port } = new URL(collector?.url ?? "");
    const head = await new Promise<string>((resolve, reject) => {
      const socket = connect({ host: hostname, port: Number(port) }, () => socket.write(`POST http://[ HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`));
      let text = "";
      socket.setEncoding("utf8");
      socket.on("data", (chunk: string) => (text += chunk));
      socket.on("error", reject);
      socket.on("close", () => resolve(text));
    });
    expect(head).toMatch(/^HTTP\/1\.1 400 /);
    expect(collector?.stats().failed).toBe(0);
    expect((await post(batch([recordedEvent()]))).status).toBe(200);
  });

  it("refuses an oversized body with 400, whether its length is declared or it just keeps coming", async () => {
    await start({ maxBodyBytes: 4096 });
    const big = batch(Array.from({ length: 40 }, () => recordedEvent()));
    expect(Buffer.byteLength(big)).toBeGreaterThan(4096);
    const declared = await post(big);
    expect(declared.status).toBe(400);
    expect(String(declared.body.error)).toMatch(/exceeds the limit of 4096 bytes/);

    // Chunked, no content-length: the limit is found while reading.
    const streamed = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const url = new URL(`${collector?.url}/events`);
      const request = httpRequest({ host: url.hostname, port: url.port, path: "/events", method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "transfer-encoding": "chunked" } }, (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, text }));
      });
      request.on("error", reject);
      for (let index = 0; index < 10; index++) request.write(big.slice(index * 1000, (index + 1) * 1000));
      request.end(big.slice(10_000));
    });
    expect(streamed.status).toBe(400);
    expect(streamed.text).toMatch(/exceeds the limit of 4096 bytes/);
    expect(await readdir(dir)).toEqual([]);
    // Still serving afterwards.
    expect((await post(batch([recordedEvent()]))).status).toBe(200);
  });

  it("answers a browser's preflight and sends CORS headers; /health answers without a token", async () => {
    await start({ allowOrigin: "https://console.example.com" });
    const preflight = await fetch(`${collector?.url}/events`, { method: "OPTIONS", headers: { origin: "https://console.example.com", "access-control-request-method": "POST" } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://console.example.com");
    expect(preflight.headers.get("access-control-allow-methods")).toContain("POST");
    const answer = await post(batch([recordedEvent()]));
    expect(answer.headers.get("access-control-allow-origin")).toBe("https://console.example.com");
    expect((await fetch(`${collector?.url}/health`)).status).toBe(200);
    expect((await fetch(`${collector?.url}/elsewhere`)).status).toBe(404);
  });
});

describe("storage", () => {
  it("appends NDJSON to the day's file with receivedAt, and stores an event id once: within a batch, across batches and across a restart", async () => {
    await start();
    const first = recordedEvent();
    const second = recordedEvent({ sequence: 1 });
    const answer = await post(batch([first, second, first]));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ accepted: 2, duplicates: 1 });
    expect(await readdir(dir)).toEqual([eventFileName("2026-05-01")]);
    const lines = await storedLines();
    expect(lines.map((line) => line.id)).toEqual([first.id, second.id]);
    expect(lines[0]).toEqual({ ...first, receivedAt: NOW.toISOString() });

    expect((await post(batch([second]))).body).toEqual({ accepted: 0, duplicates: 1 });
    await collector?.close();
    await start(); // a new process reads the ids back from the files
    const third = recordedEvent({ sequence: 2 });
    expect((await post(batch([first, third]))).body).toEqual({ accepted: 1, duplicates: 1 });
    expect((await storedLines()).map((line) => line.id)).toEqual([first.id, second.id, third.id]);
  });

  it("answers only after the lines are fsync'ed", async () => {
    const order: string[] = [];
    let releaseSync: () => void = () => {};
    let syncCalled: () => void = () => {};
    const syncReached = new Promise<void>((resolve) => (syncCalled = resolve));
    const gated: CollectorFileSystem = {
      syncDirectory: nodeFileSystem.syncDirectory,
      async openAppend(path) {
        const opened = await nodeFileSystem.openAppend(path);
        return {
          ...opened,
          file: {
            write: async (text) => {
              await opened.file.write(text);
              order.push("write");
            },
            sync: async () => {
              order.push("sync started");
              syncCalled();
              await new Promise<void>((resolve) => (releaseSync = resolve));
              await opened.file.sync();
              order.push("sync done");
            },
            close: opened.file.close,
          },
        };
      },
    };
    await start({ fileSystem: gated });
    const answered = post(batch([recordedEvent()])).then((answer) => {
      order.push("answered");
      return answer;
    });
    await syncReached;
    // However long the disk takes, the sender hears nothing before the fsync is done.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(order).toEqual(["write", "sync started"]);
    releaseSync();
    expect((await answered).status).toBe(200);
    expect(order).toEqual(["write", "sync started", "sync done", "answered"]);
  });

  it("answers 500 when the write fails, and stores the batch once when it is sent again", async () => {
    let failNext = true;
    const flaky: CollectorFileSystem = {
      syncDirectory: nodeFileSystem.syncDirectory,
      async openAppend(path) {
        const opened = await nodeFileSystem.openAppend(path);
        return {
          ...opened,
          file: {
            ...opened.file,
            write: async (text) => {
              if (failNext) {
                failNext = false;
                // Part of a line reaches the disk before the failure, like a full disk.
                await opened.file.write(text.slice(0, 20));
                throw new Error("ENOSPC: no space left on device");
              }
              await opened.file.write(text);
            },
          },
        };
      },
    };
    await start({ fileSystem: flaky });
    const events = [recordedEvent(), recordedEvent({ sequence: 1 })];
    const failed = await post(batch(events));
    expect(failed.status).toBe(500);
    expect(String(failed.body.error)).toMatch(/send them again/);
    expect((await post(batch(events))).body).toEqual({ accepted: 2, duplicates: 0 });
    const text = await readFile(join(dir, eventFileName("2026-05-01")), "utf8");
    const lines = text.split("\n").filter(Boolean);
    // The torn half-line stays on a line of its own; both events are stored whole once.
    expect(lines).toHaveLength(3);
    expect(() => JSON.parse(lines[0] ?? "")).toThrow();
    expect(lines.slice(1).map((line) => (JSON.parse(line) as { id: string }).id)).toEqual(events.map((event) => event.id));
  });

  it("closes a line a crash cut short before appending", async () => {
    await writeFile(join(dir, eventFileName("2026-05-01")), `${JSON.stringify({ ...recordedEvent(), receivedAt: NOW.toISOString() })}\n{"v":1,"id":"cut-sh`);
    await start();
    const event = recordedEvent();
    expect((await post(batch([event]))).status).toBe(200);
    const lines = (await readFile(join(dir, eventFileName("2026-05-01")), "utf8")).split("\n");
    expect(lines[1]).toBe('{"v":1,"id":"cut-sh');
    expect((JSON.parse(lines[2] ?? "") as { id: string }).id).toBe(event.id);
  });

  it("takes many small concurrent batches with far fewer fsyncs than batches (group commit)", async () => {
    let syncs = 0;
    const counting: CollectorFileSystem = {
      syncDirectory: nodeFileSystem.syncDirectory,
      async openAppend(path) {
        const opened = await nodeFileSystem.openAppend(path);
        return { ...opened, file: { ...opened.file, sync: () => ((syncs += 1), opened.file.sync()) } };
      },
    };
    await start({ fileSystem: counting });
    const answers = await Promise.all(Array.from({ length: 60 }, () => post(batch([recordedEvent()]))));
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(await storedLines()).toHaveLength(60);
    expect(syncs).toBeLessThan(60);
  });
});

describe("the CLI", () => {
  it("needs a token and an output folder, and reads its options", () => {
    expect(parseCollectorArgs(["--help"], {})).toBe("help");
    expect(() => parseCollectorArgs([], { EMBEDDED_EVENTS_DIR: dir })).toThrow(UsageError);
    expect(() => parseCollectorArgs([], { EMBEDDED_COLLECTOR_TOKEN: "short", EMBEDDED_EVENTS_DIR: dir })).toThrow(/8 characters/);
    expect(() => parseCollectorArgs([], { EMBEDDED_COLLECTOR_TOKEN: TOKEN })).toThrow(/--out/);
    expect(() => parseCollectorArgs(["--port", "x", "--out", dir], { EMBEDDED_COLLECTOR_TOKEN: TOKEN })).toThrow(/--port/);
    expect(() => parseCollectorArgs(["--bogus"], { EMBEDDED_COLLECTOR_TOKEN: TOKEN })).toThrow(UsageError);
    const options = parseCollectorArgs(["--port", "0", "--max-body-bytes", "2048", "--allow-origin", "https://a.example"], {
      EMBEDDED_COLLECTOR_TOKEN: `${TOKEN}, second-token-abc`,
      EMBEDDED_EVENTS_DIR: dir,
    });
    expect(options).toMatchObject({ outputDir: dir, tokens: [TOKEN, "second-token-abc"], port: 0, maxBodyBytes: 2048, allowOrigin: "https://a.example", host: "127.0.0.1" });
  });
});
