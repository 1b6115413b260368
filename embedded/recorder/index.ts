/**
 * The embedded session recorder: an agent console calls
 * `recordEmbeddedSession(iframe, {collectorUrl, token})` once it has put the co-browsing
 * iframe on its page. From then on every message the iframe posts (seed 002) is checked
 * against the documented shapes, cut down to the allowed fields, given an id, buffered
 * locally and sent in batches to the collector. Messages from any other frame (or from
 * the page itself) are ignored.
 *
 * Delivery is at least once, and exactly once at the collector, which de-duplicates by
 * event id: an event leaves the buffer only when the collector acknowledged it (2xx).
 * Network errors, 5xx, 429, 401 and 404 are retried with backoff (with jitter, and at
 * once when the browser says it is online again); the buffer lives in localStorage, so
 * a reload or a closed tab hands it to the next recorder on that origin (see buffer.ts).
 * When the page is hidden or unloaded, everything pending also goes out by
 * `navigator.sendBeacon` (it may or may not arrive; the buffer keeps it until a
 * collector says so). A 400 is final: the collector will never take that event, so it
 * is isolated (batches are re-sent one event at a time) and only the refused one is
 * dropped and reported through `onError`.
 *
 * Requests are CORS "simple" requests (POST, text/plain, the token in the query), so
 * `fetch` with `keepalive` and `sendBeacon` share one shape and need no preflight.
 * Bundled with zod into one dependency-free ES module by embedded/build.ts.
 */
import { resolveFieldSettings, filterEvent, filterUnknown, type FieldSettings } from "../fields.js";
import { parseWithDrift, type DriftFinding } from "../../data-loaders/drift/policy.js";
import { EmbeddedEvent, formatIssuePath, MAX_RECORDED_DRIFT, WIRE_VERSION, type EventContext, type RecordedEvent } from "../schemas.js";
import { bufferedEvent, EventBuffer, type BufferedEvent } from "./buffer.js";

export * from "./instructions.js";
export { DEFAULT_CONNECTION_FIELDS, DEFAULT_STATE_FIELDS, DEFAULT_VISITOR_FIELDS, type FieldSettings } from "../fields.js";
export type { EmbeddedEvent, EmbeddedInstruction, EventContext, RecordedEvent } from "../schemas.js";

export interface RecorderOptions {
  /** The collector's endpoint, e.g. `https://insights.example.com/embedded/events`. */
  collectorUrl: string;
  /** The collector's ingestion token (write-only), sent as the `token` query parameter. */
  token?: string;
  /** Ids the console knows, sent with every event: the Upscope session id links the events to the REST API's session. */
  context?: EventContext;
  /** Which fields leave the page (defaults: no visitor personal data, no URLs, no custom message content). */
  fields?: FieldSettings;
  batch?: {
    /** Events per request (default 100). */
    maxEvents?: number;
    /** Bytes per request (default 60 000: a keepalive request may carry at most 64 KiB). */
    maxBytes?: number;
    /** Wait this long after an event for more to join its batch (default 1000 ms). */
    delayMs?: number;
  };
  retry?: {
    /** First retry delay (default 1000 ms), doubled after each failure, with jitter. */
    initialDelayMs?: number;
    /** Longest retry delay (default 60 000 ms). */
    maxDelayMs?: number;
  };
  buffer?: {
    /** Events kept while the collector cannot be reached (default 2000); beyond that the oldest are dropped and counted. */
    maxEvents?: number;
    /** Where the buffer survives reloads (default `localStorage`; null: memory only). */
    storage?: Storage | null;
    /** Prefix of the storage keys and lock names (default `si-embedded`). */
    namespace?: string;
    /** How often to look again for events that gone pages left in storage (default 30 000 ms). */
    adoptEveryMs?: number;
  };
  /** Called for each message from the iframe that fails the documented shapes (it is still sent, as an `invalid` report). */
  onInvalid?: (report: RecordedEvent) => void;
  /**
   * Called for each message that drifted from the documented shapes but is usable (a new
   * mode, a number sent as text …): it is recorded as an event, its drift sent with it.
   */
  onDrift?: (event: RecordedEvent, drift: readonly DriftFinding[]) => void;
  /** Called when the buffer is full and drops its oldest event, or when the collector refuses an event for good (400). */
  onError?: (problem: RecorderProblem) => void;
}

export type RecorderProblem =
  | { kind: "dropped"; eventId: string; reason: "buffer full" }
  | { kind: "refused"; eventId: string; status: number; message: string };

export interface RecorderStats {
  /** Messages from the iframe. */
  received: number;
  /** Messages from other frames or the page itself. */
  ignored: number;
  /** Messages from the iframe that failed the documented shapes. */
  invalid: number;
  /** Messages recorded although they drifted from the documented shapes (new values, numbers as text …). */
  drifted: number;
  /** Events the collector acknowledged. */
  acknowledged: number;
  /** Events waiting in the buffer. */
  pending: number;
  /** Events dropped because the buffer was full. */
  dropped: number;
  /** Events the collector refused (400). */
  refused: number;
  /** Events taken over from a page that went away before sending them. */
  adopted: number;
}

export interface EmbeddedRecorder {
  /** This recorder's id, sent with every event as `embedId`. */
  readonly embedId: string;
  /** Resolves once the buffer holds its lock and has adopted what earlier pages left. */
  readonly ready: Promise<void>;
  /** Replaces the context for the events recorded from now on (e.g. once the session id is known). */
  setContext(context: EventContext): void;
  /** Sends what is pending now; resolves when the collector answered (or the attempt failed). */
  flush(): Promise<void>;
  stats(): RecorderStats;
  /** Stops listening, tries a last send, and keeps anything unsent in storage for the next page. */
  stop(): Promise<void>;
}

const KEEPALIVE_LIMIT_BYTES = 64 * 1024 - 1024;
const MAX_INVALID_RAW_CHARS = 16 * 1024;

function randomId(): string {
  if (typeof crypto !== "undefined" && typeof crypto.randomUUID === "function") return crypto.randomUUID();
  // Older browsers: 122 random bits in the same layout.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function defaultStorage(): Storage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null; // access denied (sandboxed or storage disabled)
  }
}

export function recordEmbeddedSession(iframe: HTMLIFrameElement, options: RecorderOptions): EmbeddedRecorder {
  const fields = resolveFieldSettings(options.fields);
  const maxBatchEvents = Math.max(1, options.batch?.maxEvents ?? 100);
  const maxBatchBytes = Math.max(1024, options.batch?.maxBytes ?? 60_000);
  const batchDelayMs = Math.max(0, options.batch?.delayMs ?? 1000);
  const initialRetryMs = Math.max(1, options.retry?.initialDelayMs ?? 1000);
  const maxRetryMs = Math.max(initialRetryMs, options.retry?.maxDelayMs ?? 60_000);
  const target = new URL(options.collectorUrl, typeof location === "undefined" ? undefined : location.href);
  if (options.token !== undefined) target.searchParams.set("token", options.token);
  const url = target.toString();

  const embedId = randomId();
  let context: EventContext | undefined = options.context;
  let sequence = 0;
  const counts = { received: 0, ignored: 0, invalid: 0, drifted: 0, acknowledged: 0, dropped: 0, refused: 0 };
  const report = (problem: RecorderProblem) => {
    try {
      options.onError?.(problem);
    } catch {
      // a failing callback must not stop the recording
    }
  };
  const buffer = new EventBuffer({
    embedId,
    storage: options.buffer?.storage === undefined ? defaultStorage() : options.buffer.storage,
    locks: typeof navigator !== "undefined" && navigator.locks ? navigator.locks : null,
    namespace: options.buffer?.namespace ?? "si-embedded",
    maxEvents: Math.max(1, options.buffer?.maxEvents ?? 2000),
    staleAfterMs: 30_000,
    now: () => Date.now(),
    onDrop: (event) => {
      counts.dropped += 1;
      report({ kind: "dropped", eventId: event.id, reason: "buffer full" });
    },
  });

  // Sends wait for the buffer's lock; then whatever a gone page left behind goes out at once.
  // If storage or locks refuse (a sandboxed page), the recorder still works from memory.
  const ready = buffer
    .open()
    .catch(() => undefined)
    .then(() => {
      if (buffer.size > 0) void drain();
    });

  const adoptTimer = setInterval(() => {
    void ready
      .then(() => buffer.adoptOrphans())
      .then(() => {
        if (buffer.size > 0) scheduleSend();
      })
      .catch(() => undefined); // storage or locks refused this time; the next round tries again
  }, Math.max(100, options.buffer?.adoptEveryMs ?? 30_000));

  let stopped = false;
  let draining: Promise<void> | undefined;
  let batchTimer: ReturnType<typeof setTimeout> | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  /** After a 400, send this many events one at a time to find the refused one(s). */
  let isolate = 0;

  const record = (data: unknown) => {
    // Drift (a new enum value, a number as text, an undocumented field) is recorded with the event, not reported as invalid.
    const checked = parseWithDrift(EmbeddedEvent, data);
    const base = { v: WIRE_VERSION, id: randomId(), recordedAt: new Date().toISOString(), embedId, sequence: sequence++, ...(context ? { context } : {}) };
    let envelope: RecordedEvent;
    if (checked.success) {
      const drift = checked.drift.slice(0, MAX_RECORDED_DRIFT);
      envelope = { ...base, event: filterEvent(checked.data, fields), ...(drift.length > 0 ? { drift } : {}) } as RecordedEvent;
      if (drift.length > 0) {
        counts.drifted += 1;
        try {
          options.onDrift?.(envelope, drift);
        } catch {
          // see report()
        }
      }
    } else {
      counts.invalid += 1;
      const type = data !== null && typeof data === "object" && typeof (data as { type?: unknown }).type === "string" ? String((data as { type: string }).type).slice(0, 200) : null;
      let raw: unknown = filterUnknown(data, fields);
      try {
        // A huge message would crowd the buffer out: its report keeps the issues only.
        if (JSON.stringify(raw).length > MAX_INVALID_RAW_CHARS) raw = null;
      } catch {
        raw = null; // BigInt or a cycle (structured clone allows both): the issues still say what was wrong
      }
      const issues = checked.issues.slice(0, 20).map((issue) => ({ path: formatIssuePath(issue.path).slice(0, 500), message: issue.message.slice(0, 2000) }));
      envelope = { ...base, invalid: { type, issues, raw } } as RecordedEvent;
      try {
        options.onInvalid?.(envelope);
      } catch {
        // see report()
      }
    }
    buffer.add(bufferedEvent(envelope));
    scheduleSend();
  };

  const onMessage = (event: MessageEvent) => {
    // As the vendor documents it: only what comes from the iframe's own window counts.
    if (!event.source || event.source !== iframe.contentWindow) {
      counts.ignored += 1;
      return;
    }
    counts.received += 1;
    record(event.data);
  };

  const scheduleSend = () => {
    if (stopped || retryTimer !== undefined) return; // a retry is due anyway
    if (buffer.size >= maxBatchEvents) {
      void drain();
      return;
    }
    batchTimer ??= setTimeout(() => {
      batchTimer = undefined;
      void drain();
    }, batchDelayMs);
  };

  const scheduleRetry = () => {
    failures += 1;
    const ceiling = Math.min(maxRetryMs, initialRetryMs * 2 ** Math.min(failures - 1, 20));
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void drain();
    }, delay);
  };

  const bodyOf = (batch: readonly BufferedEvent[]) => `{"events":[${batch.map((event) => event.json).join(",")}]}`;

  const sendOnce = async (): Promise<"sent" | "retry" | "empty"> => {
    const batch = buffer.take(isolate > 0 ? 1 : maxBatchEvents, maxBatchBytes);
    if (batch.length === 0) return "empty";
    const body = bodyOf(batch);
    // UTF-8 bytes, not string length: a keepalive body over the browser's 64 KiB makes fetch throw.
    const bodyBytes = batch.reduce((sum, event) => sum + event.bytes + 1, 12);
    let response: Response;
    try {
      response = await fetch(url, {
        method: "POST",
        body,
        headers: { "content-type": "text/plain;charset=UTF-8" },
        keepalive: bodyBytes <= KEEPALIVE_LIMIT_BYTES,
        credentials: "omit",
        mode: "cors",
        cache: "no-store",
      });
    } catch {
      return "retry"; // network down, collector down, or CORS refused
    }
    if (response.ok) {
      buffer.remove(batch.map((event) => event.id));
      counts.acknowledged += batch.length;
      if (isolate > 0) isolate -= 1;
      return "sent";
    }
    if (response.status === 400 || response.status === 413) {
      const message = (await response.text().catch(() => "")).slice(0, 500);
      if (batch.length > 1) {
        isolate = batch.length; // one of these is refused: find it
        return "sent";
      }
      const [only] = batch;
      if (only) {
        buffer.remove([only.id]);
        counts.refused += 1;
        report({ kind: "refused", eventId: only.id, status: response.status, message });
      }
      if (isolate > 0) isolate -= 1;
      return "sent";
    }
    return "retry"; // 401/403 (a token to fix), 404, 429, 5xx: keep everything and try again later
  };

  const drain = (): Promise<void> => {
    draining ??= (async () => {
      try {
        await ready;
        for (;;) {
          const outcome = await sendOnce();
          if (outcome === "empty") {
            failures = 0;
            return;
          }
          if (outcome === "retry") {
            if (!stopped) scheduleRetry();
            return;
          }
          failures = 0;
        }
      } finally {
        draining = undefined;
      }
    })();
    return draining;
  };

  /** The page is being hidden or unloaded: send everything by beacon as well (it may not arrive, so nothing is removed). */
  const beaconPending = () => {
    if (typeof navigator === "undefined" || typeof navigator.sendBeacon !== "function") return;
    const pending = buffer.all();
    for (let start = 0; start < pending.length; ) {
      const batch: BufferedEvent[] = [];
      let bytes = 0;
      for (; start < pending.length; start++) {
        const event = pending[start] as BufferedEvent;
        if (batch.length > 0 && (batch.length >= maxBatchEvents || bytes + event.bytes + 1 > maxBatchBytes)) break;
        batch.push(event);
        bytes += event.bytes + 1;
      }
      // The browser caps what beacons may carry in flight; once refused, the rest waits for the next page.
      if (!navigator.sendBeacon(url, new Blob([bodyOf(batch)], { type: "text/plain;charset=UTF-8" }))) return;
    }
  };
  const onPageHide = () => beaconPending();
  const onVisibility = () => {
    if (document.visibilityState === "hidden") beaconPending();
  };
  const onOnline = () => {
    clearTimeout(retryTimer);
    retryTimer = undefined;
    failures = 0;
    void drain();
  };

  window.addEventListener("message", onMessage);
  window.addEventListener("pagehide", onPageHide);
  window.addEventListener("online", onOnline);
  document.addEventListener("visibilitychange", onVisibility);


  return {
    embedId,
    ready,
    setContext(next) {
      context = next;
    },
    async flush() {
      clearTimeout(batchTimer);
      batchTimer = undefined;
      await drain();
    },
    stats: () => ({ ...counts, pending: buffer.size, adopted: buffer.adopted }),
    async stop() {
      if (stopped) return;
      stopped = true;
      window.removeEventListener("message", onMessage);
      window.removeEventListener("pagehide", onPageHide);
      window.removeEventListener("online", onOnline);
      document.removeEventListener("visibilitychange", onVisibility);
      clearTimeout(batchTimer);
      clearTimeout(retryTimer);
      clearInterval(adoptTimer);
      await drain().catch(() => undefined);
      buffer.close();
    },
  };
}
