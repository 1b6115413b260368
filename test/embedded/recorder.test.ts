/**
 * The recorder outside the browser: its bundle is one self-contained ES module (no
 * import of anything), and its buffer keeps events in storage, bounded, and hands a
 * gone page's events to the next recorder (here the heartbeat path, for browsers
 * without Web Locks; the Chromium test covers the Web Locks path).
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildRecorder } from "../../embedded/build.js";
import { bufferedEvent, EventBuffer, type BufferedEvent, type BufferOptions } from "../../embedded/recorder/buffer.js";
import { RecordedEvent } from "../../embedded/schemas.js";
import { recordedEvent } from "./fixtures.js";

/** localStorage's interface over a Map; `quota` makes setItem fail beyond that many keys. */
class MemoryStorage implements Storage {
  readonly items = new Map<string, string>();
  constructor(private readonly quota = Number.POSITIVE_INFINITY) {}
  get length() {
    return this.items.size;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    if (!this.items.has(key) && this.items.size >= this.quota) throw new DOMException("quota exceeded", "QuotaExceededError");
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  clear() {
    this.items.clear();
  }
}

const event = (sequence: number): BufferedEvent => bufferedEvent(RecordedEvent.parse(recordedEvent({ sequence, recordedAt: new Date(Date.UTC(2026, 4, 1, 10, 0, sequence)).toISOString() })));

function buffer(storage: Storage | null, overrides: Partial<BufferOptions> = {}): EventBuffer {
  return new EventBuffer({ embedId: `embed-${Math.random().toString(36).slice(2)}`, storage, locks: null, namespace: "test", maxEvents: 100, staleAfterMs: 30_000, now: () => Date.now(), onDrop: () => {}, ...overrides });
}

const eventKeys = (storage: MemoryStorage) => [...storage.items.keys()].filter((key) => key.includes("/e/"));

describe("the recorder's buffer", () => {
  it("keeps each event in storage until it is acknowledged, and leaves the rest there when the page goes", async () => {
    const storage = new MemoryStorage();
    const first = buffer(storage);
    await first.open();
    const events = [event(0), event(1), event(2)];
    for (const item of events) first.add(item);
    first.add(events[0] as BufferedEvent); // the same id twice is one event
    expect(first.size).toBe(3);
    expect(eventKeys(storage)).toHaveLength(3);
    expect(first.take(2, 1_000_000).map((item) => item.id)).toEqual(events.slice(0, 2).map((item) => item.id));
    expect(first.take(10, 10).map((item) => item.id)).toEqual([events[0]?.id]); // always at least one
    first.remove([events[0]?.id ?? ""]);
    expect(eventKeys(storage)).toHaveLength(2);
    first.close();
    expect(eventKeys(storage)).toHaveLength(2);
  });

  it("adopts a gone page's events (oldest first), but not those of a page still alive", async () => {
    const storage = new MemoryStorage();
    let clock = Date.UTC(2026, 4, 1);
    const alive = buffer(storage, { now: () => clock });
    await alive.open();
    alive.add(event(5));
    const other = buffer(storage, { now: () => clock });
    await other.open();
    expect(other.size).toBe(0); // the first page's heartbeat is fresh

    const gone = buffer(storage, { now: () => clock });
    await gone.open();
    gone.add(event(1));
    gone.add(event(2));
    gone.close(); // the page went away with two events unsent
    const next = buffer(storage, { now: () => clock });
    next.add(event(9)); // recorded before the buffer was open
    await next.open();
    expect(next.all().map((item) => item.recordedAt)).toEqual([event(1).recordedAt, event(2).recordedAt, event(9).recordedAt]);
    expect(next.adopted).toBe(2);

    clock += 60_000; // the first page stopped beating long ago (it crashed)
    await next.adoptOrphans();
    expect(next.size).toBe(4);
    // Everything now lives under the adopter's keys only.
    const owners = new Set(eventKeys(storage).map((key) => key.split("/")[2]));
    expect(owners.size).toBe(1);
    for (const recorder of [alive, other, next]) recorder.close();
  });

  it("is bounded: beyond maxEvents the oldest is dropped and reported", async () => {
    const storage = new MemoryStorage();
    const dropped: string[] = [];
    const small = buffer(storage, { maxEvents: 3, onDrop: (item) => dropped.push(item.id) });
    await small.open();
    const events = [0, 1, 2, 3, 4].map(event);
    for (const item of events) small.add(item);
    expect(dropped).toEqual(events.slice(0, 2).map((item) => item.id));
    expect(small.all().map((item) => item.id)).toEqual(events.slice(2).map((item) => item.id));
    expect(eventKeys(storage)).toHaveLength(3);
    small.close();
  });

  it("keeps events in memory when storage refuses them", async () => {
    const storage = new MemoryStorage(2);
    const full = buffer(storage);
    await full.open(); // the heartbeat takes one key
    for (const item of [0, 1, 2].map(event)) full.add(item);
    expect(full.size).toBe(3);
    expect(full.unpersisted).toBe(2);
    const memoryOnly = buffer(null);
    await memoryOnly.open();
    memoryOnly.add(event(0));
    expect(memoryOnly.size).toBe(1);
    full.close();
  });
});

describe("the recorder bundle", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "si-recorder-build-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("is one ES module that imports nothing (zod inside) and exports the recorder and the instruction helpers", async () => {
    const built = await buildRecorder(join(dir, "recorder.js"));
    const code = await readFile(built.path, "utf8");
    expect(code).not.toMatch(/\bimport\s*[\s{*"'(]|\brequire\(/);
    for (const name of ["recordEmbeddedSession", "sendInstruction", "endSession", "setMode", "setActiveConnection", "emojiConfetti"]) expect(code).toMatch(new RegExp(`\\b${name}\\b`));
    expect(code).toMatch(/export\s*\{/);
    console.log(`recorder bundle: ${(built.bytes / 1024).toFixed(1)} KiB minified`);
    expect(built.bytes).toBeLessThan(200 * 1024);
  });
});
