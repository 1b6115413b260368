/**
 * The recorder's local buffer: every recorded event stays here, in memory and in
 * `localStorage`, until the collector has acknowledged it. So a reload, a closed tab
 * or a network outage loses nothing: the next recorder on the same origin adopts
 * what an earlier one left behind and sends it (the collector de-duplicates by event
 * id, so an event that did get through before the page went away is stored once).
 *
 * Layout: one storage key per event, `<namespace>/v1/<embedId>/e/<eventId>`, so
 * adding or acknowledging an event costs one small write, never a rewrite of the whole
 * buffer. Each recorder holds a Web Lock named `<namespace>/v1/<embedId>` while it
 * lives; a recorder adopts another one's keys only when it can take that lock, i.e.
 * when the page that wrote them is gone (another open tab keeps its own). Where the
 * Web Locks API is missing, a heartbeat key stands in: keys whose heartbeat is older
 * than `staleAfterMs` are adopted.
 *
 * Bounded: at most `maxEvents` events; beyond that the oldest is dropped and counted.
 * A storage write that fails (quota, private mode) keeps the event in memory only.
 */
import { RecordedEvent } from "../schemas.js";

export interface BufferedEvent {
  id: string;
  recordedAt: string;
  /** The envelope as sent (JSON text), and its size in UTF-8 bytes. */
  json: string;
  bytes: number;
}

export interface BufferOptions {
  embedId: string;
  storage: Storage | null;
  locks: LockManager | null;
  namespace: string;
  maxEvents: number;
  /** Without Web Locks: how old another recorder's heartbeat must be before its events are adopted. */
  staleAfterMs: number;
  now: () => number;
  onDrop: (event: BufferedEvent) => void;
}

const encoder = new TextEncoder();

export function bufferedEvent(envelope: RecordedEvent): BufferedEvent {
  const json = JSON.stringify(envelope);
  return { id: envelope.id, recordedAt: envelope.recordedAt, json, bytes: encoder.encode(json).length };
}

export class EventBuffer {
  private events = new Map<string, BufferedEvent>();
  /** False until this recorder holds its lock: before that, nothing is written, so nothing can be adopted from under it. */
  private persisting = false;
  private releaseLock: (() => void) | undefined;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  /** Events kept in memory only, because storage refused them. */
  unpersisted = 0;
  adopted = 0;

  constructor(private readonly options: BufferOptions) {}

  private get prefix(): string {
    return `${this.options.namespace}/v1/`;
  }

  private eventKey(embedId: string, id: string): string {
    return `${this.prefix}${embedId}/e/${id}`;
  }

  private aliveKey(embedId: string): string {
    return `${this.prefix}${embedId}/alive`;
  }

  private lockName(embedId: string): string {
    return `${this.prefix}${embedId}`;
  }

  get size(): number {
    return this.events.size;
  }

  /** Takes this recorder's lock, writes what was recorded meanwhile, then adopts what gone pages left. */
  async open(): Promise<void> {
    const { locks, storage, embedId } = this.options;
    if (storage) {
      if (locks) {
        await new Promise<void>((granted) => {
          void locks.request(this.lockName(embedId), () => {
            granted();
            return new Promise<void>((release) => (this.releaseLock = release));
          });
        });
      } else {
        const beat = () => this.trySet(this.aliveKey(embedId), String(this.options.now()));
        beat();
        this.heartbeat = setInterval(beat, Math.max(1000, this.options.staleAfterMs / 4));
      }
      this.persisting = true;
      for (const event of this.events.values()) this.persist(event);
    }
    await this.adoptOrphans();
  }

  add(event: BufferedEvent): void {
    if (this.events.has(event.id)) return;
    while (this.events.size >= this.options.maxEvents) {
      const oldest = this.events.values().next().value;
      if (!oldest) break;
      this.remove([oldest.id]);
      this.options.onDrop(oldest);
    }
    this.events.set(event.id, event);
    this.persist(event);
  }

  /** The oldest events, at most `maxEvents` of them and within `maxBytes` (always at least one). */
  take(maxEvents: number, maxBytes: number): BufferedEvent[] {
    const batch: BufferedEvent[] = [];
    let bytes = 0;
    for (const event of this.events.values()) {
      if (batch.length >= maxEvents || (batch.length > 0 && bytes + event.bytes + 1 > maxBytes)) break;
      batch.push(event);
      bytes += event.bytes + 1;
    }
    return batch;
  }

  all(): BufferedEvent[] {
    return [...this.events.values()];
  }

  /** Forgets acknowledged (or refused) events, in memory and in storage. */
  remove(ids: readonly string[]): void {
    for (const id of ids) {
      this.events.delete(id);
      if (this.persisting) this.tryRemove(this.eventKey(this.options.embedId, id));
    }
  }

  /** Stops holding the lock; whatever is still buffered stays in storage for the next recorder. */
  close(): void {
    if (this.heartbeat !== undefined) clearInterval(this.heartbeat);
    if (!this.options.locks && this.options.storage) this.tryRemove(this.aliveKey(this.options.embedId));
    this.releaseLock?.();
    this.releaseLock = undefined;
  }

  private persist(event: BufferedEvent): void {
    if (!this.persisting) return;
    if (!this.trySet(this.eventKey(this.options.embedId, event.id), event.json)) this.unpersisted += 1;
  }

  private trySet(key: string, value: string): boolean {
    try {
      this.options.storage?.setItem(key, value);
      return true;
    } catch {
      return false;
    }
  }

  private tryRemove(key: string): void {
    try {
      this.options.storage?.removeItem(key);
    } catch {
      // A storage that cannot remove cannot have stored either.
    }
  }

  /** Other recorders' embed ids that have keys in storage. */
  private otherEmbedIds(): string[] {
    const storage = this.options.storage;
    if (!storage) return [];
    const ids = new Set<string>();
    for (let index = 0; index < storage.length; index++) {
      const key = storage.key(index);
      if (!key?.startsWith(this.prefix)) continue;
      const embedId = key.slice(this.prefix.length).split("/")[0];
      if (embedId && embedId !== this.options.embedId) ids.add(embedId);
    }
    return [...ids];
  }

  /**
   * Takes over what recorders of gone pages left (also called now and then while this
   * one lives: a page that was still unloading at our start has let go of its lock since).
   */
  async adoptOrphans(): Promise<void> {
    const { locks, storage, now, staleAfterMs } = this.options;
    if (!storage) return;
    for (const other of this.otherEmbedIds()) {
      if (locks) {
        // ifAvailable: a live page holds its lock, so only a gone page's events are taken.
        await locks.request(this.lockName(other), { ifAvailable: true }, (lock) => {
          if (lock) this.adoptFrom(other);
        });
      } else {
        const alive = Number(storage.getItem(this.aliveKey(other)));
        if (!Number.isFinite(alive) || now() - alive > staleAfterMs) this.adoptFrom(other);
      }
    }
  }

  private adoptFrom(other: string): void {
    const storage = this.options.storage;
    if (!storage) return;
    const keys: string[] = [];
    for (let index = 0; index < storage.length; index++) {
      const key = storage.key(index);
      if (key?.startsWith(`${this.prefix}${other}/`)) keys.push(key);
    }
    const found: BufferedEvent[] = [];
    for (const key of keys) {
      const text = key.includes("/e/") ? storage.getItem(key) : null;
      if (text === null) continue;
      try {
        const parsed = RecordedEvent.safeParse(JSON.parse(text));
        // Written by a recorder, so always valid; a value mangled in storage cannot be sent anyway.
        if (parsed.success) found.push({ id: parsed.data.id, recordedAt: parsed.data.recordedAt, json: text, bytes: encoder.encode(text).length });
      } catch {
        // not JSON: mangled in storage
      }
    }
    // Oldest first, ahead of this page's own events, so the send order stays the record order.
    found.sort((a, b) => a.recordedAt.localeCompare(b.recordedAt));
    const own = this.events;
    this.events = new Map();
    for (const event of found) if (!own.has(event.id)) this.events.set(event.id, event);
    for (const event of own.values()) this.events.set(event.id, event);
    for (const event of found) this.persist(event);
    this.adopted += found.length;
    while (this.events.size > this.options.maxEvents) {
      const oldest = this.events.values().next().value;
      if (!oldest) break;
      this.remove([oldest.id]);
      this.options.onDrop(oldest);
    }
    for (const key of keys) this.tryRemove(key);
  }
}
