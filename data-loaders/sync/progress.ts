/**
 * Progress of a sync, per source: counted as it happens, printed to stderr at
 * most once a second (and at the end of each source), and summed up in a table.
 * The engineer on call reads these lines in a nightly log, so every line names its
 * source and carries absolute counts, not just a spinner.
 */
import type { DriftKind } from "../drift/policy.js";

export interface SourceCounters {
  pages: number;
  records: number;
  retries: number;
  quarantined: number;
  /** Records kept although they drifted from the vendor's docs (see data-loaders/drift/). */
  drifted: number;
  /** Of those, how many carried each kind of drift. */
  driftKinds: Partial<Record<DriftKind, number>>;
  written: number;
  startedAt: number;
  finishedAt: number | undefined;
  status: "running" | "ok" | "failed" | "skipped";
  error: string | undefined;
}

export class SyncProgress {
  private readonly counters = new Map<string, SourceCounters>();
  private lastPrint = 0;

  constructor(
    private readonly write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
    private readonly clock: () => number = Date.now,
    private readonly quiet = false,
  ) {}

  start(source: string): void {
    this.counters.set(source, {
      pages: 0,
      records: 0,
      retries: 0,
      quarantined: 0,
      drifted: 0,
      driftKinds: {},
      written: 0,
      startedAt: this.clock(),
      finishedAt: undefined,
      status: "running",
      error: undefined,
    });
    if (!this.quiet) this.write(`[${source}] starting`);
  }

  private get(source: string): SourceCounters {
    const counters = this.counters.get(source);
    if (!counters) throw new Error(`progress for ${source} was not started`);
    return counters;
  }

  page(source: string, records: number): void {
    const counters = this.get(source);
    counters.pages += 1;
    counters.records += records;
    this.maybePrint(source);
  }

  retry(source: string): void {
    this.get(source).retries += 1;
  }

  quarantine(source: string, count = 1): void {
    this.get(source).quarantined += count;
  }

  /** One record kept with drift, of these kinds. */
  drift(source: string, kinds: readonly DriftKind[]): void {
    const counters = this.get(source);
    counters.drifted += 1;
    for (const kind of new Set(kinds)) counters.driftKinds[kind] = (counters.driftKinds[kind] ?? 0) + 1;
  }

  written(source: string, rows: number): void {
    this.get(source).written += rows;
  }

  finish(source: string, outcome: { ok: true } | { ok: false; error: string }): void {
    const counters = this.get(source);
    counters.finishedAt = this.clock();
    counters.status = outcome.ok ? "ok" : "failed";
    counters.error = outcome.ok ? undefined : outcome.error;
    this.write(outcome.ok ? `[${source}] done: ${this.describe(counters)}` : `[${source}] FAILED: ${outcome.error}`);
    const warning = this.driftWarning(source, counters);
    if (warning) this.write(`[${source}] ${warning}`);
  }

  /** The warning for a source that kept drifted records, or undefined. Counts and kinds only: never a value. */
  private driftWarning(source: string, counters: SourceCounters): string | undefined {
    if (counters.drifted === 0) return undefined;
    const kinds = Object.entries(counters.driftKinds)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([kind, count]) => `${kind} in ${count}`)
      .join(", ");
    return `warning: ${counters.drifted} ${source} records kept with vendor drift (${kinds}); kept, not quarantined: see the drift ledger on the Data page`;
  }

  skip(source: string, reason: string): void {
    this.counters.set(source, {
      pages: 0, records: 0, retries: 0, quarantined: 0, drifted: 0, driftKinds: {}, written: 0,
      startedAt: this.clock(), finishedAt: this.clock(), status: "skipped", error: reason,
    });
  }

  /** A free-form line for the log (demo mode, thresholds). */
  note(line: string): void {
    this.write(line);
  }

  snapshot(): ReadonlyMap<string, Readonly<SourceCounters>> {
    return this.counters;
  }

  private describe(counters: SourceCounters): string {
    const seconds = Math.max(((counters.finishedAt ?? this.clock()) - counters.startedAt) / 1000, 0.001);
    const rate = Math.round(counters.records / seconds);
    const drift = counters.drifted > 0 ? `, ${counters.drifted} kept with drift` : "";
    return `${counters.pages} pages, ${counters.records} records (${rate}/s), ${counters.retries} retries, ${counters.quarantined} quarantined${drift}`;
  }

  private maybePrint(source: string): void {
    if (this.quiet) return;
    const now = this.clock();
    if (now - this.lastPrint < 1000) return;
    this.lastPrint = now;
    this.write(`[${source}] ${this.describe(this.get(source))}`);
  }

  /** The end-of-run table, one row per source. */
  summaryTable(): string {
    const header = ["source", "status", "pages", "records", "rows written", "retries", "quarantined", "seconds"];
    const rows = [...this.counters.entries()].map(([source, c]) => [
      source,
      c.status,
      String(c.pages),
      String(c.records),
      String(c.written),
      String(c.retries),
      String(c.quarantined),
      (((c.finishedAt ?? this.clock()) - c.startedAt) / 1000).toFixed(1),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
    const line = (cells: string[]) => cells.map((cell, i) => (i === 0 || i === 1 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  ");
    // Drift never fails a run, but whoever reads the log should see it.
    const warnings = [...this.counters.entries()].map(([source, c]) => this.driftWarning(source, c)).filter((w): w is string => w !== undefined);
    return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line), ...warnings].join("\n");
  }
}
