/**
 * The Markdown report (bench-results/latest.md): the targets table first, then one
 * table per measurement. Pure: the README's performance section is a copy of it.
 */
import { formatBytes, formatRatio, formatSeconds, formatTargetValue, type TargetResult } from "./bound.js";
import { ENTERPRISE_AGENDIZE_CHATS, ENTERPRISE_COBROWSE_SESSIONS, ENTERPRISE_ENGAGEMENTS } from "./context.js";
import type { BenchResults, ThroughputRun } from "./results.js";

/** A GitHub Markdown table; cells are escaped so a `|` in a label cannot break it. */
export function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>, align?: ReadonlyArray<"left" | "right">): string {
  const escape = (cell: string) => cell.replaceAll("|", "\\|").replaceAll("\n", " ");
  const rule = header.map((_, index) => ((align?.[index] ?? "left") === "right" ? "---:" : "---"));
  return [header, rule, ...rows].map((cells, index) => `| ${(index === 1 ? cells : cells.map(escape)).join(" | ")} |`).join("\n");
}

function verdict(target: TargetResult): string {
  if (target.met === null) return "not measured";
  return target.met ? "met" : `**missed**${target.miss ? ` ${target.miss}` : ""}`;
}

function limitText(target: TargetResult): string {
  if (target.unit === "boolean") return "yes";
  return `${target.direction === "at-least" ? "≥" : "≤"} ${formatTargetValue(target.limit, target.unit)}`;
}

const rate = (value: number) => `${Math.round(value).toLocaleString("en-US")}/s`;
const count = (value: number) => value.toLocaleString("en-US");
const share = (value: number, of: number) => `${Math.round((value / of) * 100)}%`;

export function machineLine(results: BenchResults): string {
  const m = results.machine;
  return `${m.cpuModel}, ${m.cores} cores, ${formatBytes(m.memoryBytes)} RAM, Node ${m.node}, ${m.os}; load average ${m.loadAverageStart.toFixed(1)} at the start, ${m.loadAverageEnd.toFixed(1)} at the end (the machine is shared)`;
}

export function renderMarkdown(results: BenchResults): string {
  const out: string[] = [];
  const { throughput, ingest, scale, pages } = results;
  const what = results.only.length > 0 ? `${results.profile.name} profile, only ${results.only.join(" and ")}` : `${results.profile.name} run`;
  out.push(`### Benchmark results: ${what}, ${results.startedAt.slice(0, 10)}`);
  out.push("");
  out.push(`Machine: ${machineLine(results)}. Run time: ${formatSeconds(results.durationSeconds)}.`);
  out.push("");
  out.push(
    markdownTable(
      ["target", "measured", "limit", "verdict"],
      results.targets.map((target) => [target.label, formatTargetValue(target.measured, target.unit), limitText(target), verdict(target)]),
    ),
  );
  for (const [name, message] of Object.entries(results.errors)) out.push("", `**${name} failed:** ${message}`);

  if (throughput) {
    out.push("", `#### Sync throughput (LivePerson, scale ${throughput.scale}, ${throughput.days} days, L = ${throughput.latencyMs} ms)`, "");
    const rows: string[][] = [];
    let naiveShown: ThroughputRun["naive"] | undefined;
    for (const run of throughput.runs) {
      const partial = `${Math.round(run.partialShare * 100)}% partial`;
      if (run.naive !== naiveShown) {
        naiveShown = run.naive;
        rows.push([`naive client, ${partial}`, "1", count(run.naive.records), count(run.naive.requests), formatSeconds(run.naive.seconds), rate(run.naive.recordsPerSecond), "–", "1.00x", formatBytes(run.naive.peakRssBytes)]);
      }
      rows.push([`our fetch path (no lake), ${partial}`, String(run.concurrency), count(run.fetchOnly.records), count(run.fetchOnly.requests), formatSeconds(run.fetchOnly.seconds), rate(run.fetchOnly.recordsPerSecond), formatRatio(run.fetchOnlyOverBound, "share"), formatRatio(run.fetchOnlyOverNaive), formatBytes(run.fetchOnly.peakRssBytes)]);
      rows.push([`our sync, ${partial} (bound ${rate(run.boundRecordsPerSecond)})`, String(run.concurrency), count(run.sync.records), count(run.sync.requests), formatSeconds(run.sync.seconds), rate(run.sync.recordsPerSecond), formatRatio(run.achievedOverBound, "share"), formatRatio(run.syncOverNaive), formatBytes(run.sync.peakRssBytes)]);
    }
    out.push(markdownTable(["client", "C", "records", "requests", "time", "records/s", "of bound", "vs naive", "peak RSS"], rows, ["left", "right", "right", "right", "right", "right", "right", "right", "right"]));
  }

  if (ingest) {
    out.push("", `#### Ingest (${count(ingest.ours.rows)} engagements from ${formatBytes(ingest.archiveBytes)} of archived gzip pages)`, "");
    out.push(
      markdownTable(
        ["path", "time", "CPU", "rows", "Parquet", "peak RSS"],
        [
          ["ours (`sync --replay`)", formatSeconds(ingest.ours.seconds), formatSeconds(ingest.ours.cpuSeconds), count(ingest.ours.rows), formatBytes(ingest.ours.parquetBytes), formatBytes(ingest.ours.peakRssBytes)],
          ["DuckDB `read_json` + `COPY`", formatSeconds(ingest.floor.seconds), formatSeconds(ingest.floor.cpuSeconds), count(ingest.floor.rows), formatBytes(ingest.floor.parquetBytes), formatBytes(ingest.floor.peakRssBytes)],
        ],
        ["left", "right", "right", "right", "right", "right"],
      ),
    );
  }

  if (scale) {
    out.push(
      "",
      `#### Scale (${scale.days} days at scale ${scale.scale}: ${count(scale.volume.engagements)} engagements, ${count(scale.volume.cobrowseSessions)} co-browse sessions, ${count(scale.volume.agendizeChats)} Agendize chats)`,
      "",
      `That is ${share(scale.volume.engagements, ENTERPRISE_ENGAGEMENTS)}, ${share(scale.volume.cobrowseSessions, ENTERPRISE_COBROWSE_SESSIONS)} and ${share(scale.volume.agendizeChats, ENTERPRISE_AGENDIZE_CHATS)} of the enterprise volume (1 M engagements, 200 k co-browse sessions, 300 k Agendize chats).`,
      "",
    );
    const runRow = (name: string, run: NonNullable<typeof scale.incremental>) => [
      name,
      `${formatSeconds(run.wallSeconds)}${run.cutOff ? " (cut off)" : run.exitCode !== 0 ? ` (exit ${run.exitCode})` : ""}`,
      formatSeconds(run.cpuSeconds),
      formatBytes(run.peakRssBytes),
      run.phases.map((phase) => `${phase.phase} ${formatSeconds(phase.seconds)} / ${formatBytes(phase.peakRssBytes)}`).join("; "),
    ];
    const rows = [runRow("full sync (+ models)", scale.full)];
    if (scale.incremental) rows.push(runRow("incremental night", scale.incremental));
    if (scale.build) {
      rows.push([
        "site build",
        `${formatSeconds(scale.build.wallSeconds)}${scale.build.exitCode !== 0 ? ` (exit ${scale.build.exitCode})` : ""}`,
        formatSeconds(scale.build.cpuSeconds),
        formatBytes(scale.build.peakRssBytes),
        scale.build.processes.slice(0, 3).map((peak) => `${peak.label} ${formatBytes(peak.peakRssBytes)}`).join("; "),
      ]);
    }
    out.push(markdownTable(["step", "time", "CPU", "peak RSS", "phases / largest processes (time / peak RSS)"], rows, ["left", "right", "right", "right", "left"]));
    out.push("");
    out.push(
      markdownTable(
        ["source (full sync)", "records fetched", "requests", "time", "records/s"],
        scale.full.sources.map((source) => [
          `${source.source}${source.ok ? "" : " (failed)"}`,
          count(source.recordsFetched),
          count(source.requests),
          formatSeconds(source.seconds),
          rate(source.recordsFetched / Math.max(source.seconds, 0.001)),
        ]),
        ["left", "right", "right", "right", "right"],
      ),
    );
    out.push(
      "",
      `Lake on disk after the full sync: ${formatBytes(scale.lake.totalBytes)} (tables ${formatBytes(scale.lake.tablesBytes)}, raw archive ${formatBytes(scale.lake.rawBytes)}, marts ${formatBytes(scale.lake.martsBytes)}). Upscope session files written beforehand in ${formatSeconds(scale.sessionFilesSeconds)}; simulator peak RSS ${formatBytes(scale.simulatorPeakRssBytes)} (its own process).`,
    );
  }

  if (scale?.calibration || scale?.enterprise) {
    const lines: string[] = [];
    if (scale.calibration) {
      const c = scale.calibration;
      lines.push(`Second point for the growth with volume: a full sync at scale ${c.scale} (${count(c.engagements)} engagements) took ${formatSeconds(c.full.wallSeconds)}, peak RSS ${formatBytes(c.full.peakRssBytes)}.`);
    }
    if (scale.enterprise) {
      const e = scale.enterprise;
      lines.push(
        `Estimated at the enterprise volume (${count(e.engagements)} engagements, not measured): full sync ${formatSeconds(e.fullSyncSeconds)} (${e.fit === "quadratic" ? "a·n + b·n² through the two runs" : "linear in volume"}), ` +
          `incremental night ${formatSeconds(e.incrementalSeconds)} (linear), sync peak RSS ${formatBytes(e.syncPeakRssBytes)} (linear through the two runs).`,
      );
    }
    out.push("", lines.join(" "));
  }

  if (pages) {
    out.push("", "#### Pages (Chromium, loopback, cold cache)", "");
    const rows = pages.pages.map((page) => [
      page.path,
      formatBytes(page.dataBytes),
      String(page.dataFiles),
      page.firstChartMs === null ? "no chart" : formatSeconds(page.firstChartMs / 1000),
      page.allChartsMs === null ? "–" : formatSeconds(page.allChartsMs / 1000),
      formatBytes(page.totalBytes),
    ]);
    if (pages.agentPages) {
      rows.push([
        `/agents/… (${pages.agentPages.count} pages)`,
        `≤ ${formatBytes(pages.agentPages.maxDataBytes)}`,
        "",
        `median ${formatSeconds((pages.agentPages.medianFirstChartMs ?? Number.NaN) / 1000)}, max ${formatSeconds((pages.agentPages.maxFirstChartMs ?? Number.NaN) / 1000)}`,
        "",
        "",
      ]);
    }
    out.push(markdownTable(["page", "data", "files", "first chart", "all charts", "everything transferred"], rows, ["left", "right", "right", "right", "right", "right"]));
  }

  const missed = results.targets.filter((target) => target.met === false || target.met === null);
  if (missed.length > 0) {
    out.push("", "#### What the missed targets are made of", "");
    for (const target of missed) out.push(`- **${target.label}** (${formatTargetValue(target.measured, target.unit)}, ${verdict(target).replace(/\*\*missed\*\*/, "missed")}): ${target.note ?? ""}`);
  }
  out.push("");
  return out.join("\n");
}
