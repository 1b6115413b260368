/// <reference path="./charts.d.ts" />
/**
 * The embedded sessions page's charts (src/embedded-sessions.md). Each takes the
 * rows the page picked for its range and agent filter (daily sums, latency
 * histogram rows, one breakdown kind's rows) and builds the frame; the figures
 * come from the metrics in embedded-measures.ts, so a chart and its KPI card agree.
 */
import { chartFrame } from "./chart.js";
import { categoryBars, timeBars, timeLines } from "./charts.js";
import { breakdownChart, distributionChart, periodColumn, shareColumn, shareList } from "./common-charts.js";
import { EMBEDDED_LATENCY, EMBEDDED_METRICS as M } from "./embedded-measures.js";
import { formatValue } from "./format.js";
import { numberOf, sumBy, total, type Row } from "./rows.js";
import type { ChartScope } from "./selection.js";
import { breakdown, displayBuckets, percent, periodSeries } from "./series.js";

const count = (n: number) => n.toLocaleString("en-US");
const valueOf = (row: Row, column: string) => numberOf(row, column) ?? 0;
const share = (n: number, whole: number) => (whole ? n / whole : 0);

/** `latency`: the latency histogram's rows. */
export function latencyChart(latency: readonly Row[], now: readonly Row[], { scope }: ChartScope): HTMLElement {
  const edges = [0, 100, 200, 300, 400, 500, 750, 1000, 2000, Number.POSITIVE_INFINITY];
  const label = (lo: number, hi: number) => (!Number.isFinite(hi) ? `${lo / 1000} s+` : lo === 0 ? `<${hi} ms` : `${lo}–${hi} ms`);
  const median = M.embedded_median_bounce_ms.compute(latency);
  const slow = M.embedded_slow_sample_share.compute(now);
  return distributionChart(displayBuckets(latency, EMBEDDED_LATENCY.binning, edges, label), {
    title: "Round-trip latency (dataBounceSpeed)",
    height: 300,
    summary: `${scope}: median ${formatValue("number", median.value)} ms over ${count(median.n)} samples; ${percent(slow.value)} of round trips took over 500 ms, the vendor's threshold for a slow connection.`,
    bucketLabel: "Round trip",
    countLabel: "Samples",
    yLabel: "Share of samples",
  });
}

export function slowConnectionsChart(now: readonly Row[], { range, bucket, scope }: ChartScope): HTMLElement {
  const lines = [M.embedded_slow_sample_share, M.embedded_slow_session_share];
  const series = periodSeries(now, range, bucket, lines.flatMap((metric) => metric.columns)).flatMap((d) =>
    lines.map((metric) => ({ period: d.period, end: d.end, days: d.days, measure: metric.label, share: metric.compute([d]).value })),
  );
  const sessions = M.embedded_slow_session_share.compute(now);
  return chartFrame({
    title: `Slow connections per ${bucket}`,
    height: 300,
    summary: `Share of latency samples over 500 ms, and of sessions whose median round trip was over 500 ms, per ${bucket} (${scope}). Over the period, ${percent(sessions.value)} of ${count(sessions.n)} measured sessions ran on a slow connection.`,
    render: (width, height) => timeLines(series, { y: "share", stroke: "measure", bucket, width, height, yLabel: "Share", percent: true, strokeDomain: lines.map((metric) => metric.label) }),
    table: { rows: series, columns: [periodColumn(bucket), { key: "measure", label: "Measure" }, shareColumn()] },
  });
}

/** `errors`: the error-code breakdown's rows. */
export function errorsOverTimeChart(errors: readonly Row[], now: readonly Row[], { range, bucket, scope }: ChartScope): HTMLElement {
  const codes = breakdown(errors, "key", "events").map((d) => d.key);
  const series = periodSeries(errors, range, bucket, ["events"], "key")
    .filter((d) => d.key != null)
    .map((d) => ({ ...d, code: d.key }));
  const frequent = breakdown(errors, "key", "events", 3).filter((d) => d.key !== "Other");
  return chartFrame({
    title: `Errors by code per ${bucket}`,
    height: 300,
    summary: `${scope}: ${count(total(now, "errors"))} error events. ${codes.length ? `Most frequent: ${frequent.map((d) => `${d.key} (${percent(d.share)})`).join(", ")}.` : "No errors in this selection."}`,
    render: (width, height) => timeBars(series, { y: "events", fill: "code", bucket, width, height, yLabel: `Errors per ${bucket}`, fillDomain: codes.length ? codes : undefined }),
    table: { rows: series, columns: [periodColumn(bucket), { key: "code", label: "Error code" }, { key: "events", label: "Errors", numeric: true }] },
  });
}

/** Sessions per key of a breakdown kind, as shares of `whole`, most first. */
function sessionShares(kindRows: readonly Row[], whole: number) {
  return sumBy(kindRows, ["key"], ["sessions"])
    .map((d) => ({ key: d.key, n: valueOf(d, "sessions"), share: share(valueOf(d, "sessions"), whole) }))
    .sort((a, b) => b.n - a.n);
}

/** `errors`: the error-code breakdown's rows. */
export function errorCodesChart(errors: readonly Row[], now: readonly Row[], { scope }: ChartScope): HTMLElement {
  const sessions = total(now, "sessions");
  const rows = sumBy(errors, ["key"], ["events", "sessions"])
    .map((d) => ({ key: d.key, n: valueOf(d, "sessions"), events: d.events, share: share(valueOf(d, "sessions"), sessions) }))
    .sort((a, b) => b.n - a.n);
  return chartFrame({
    title: "Sessions affected, by error code",
    height: 300,
    summary: rows.length ? `Share of the ${count(sessions)} sessions (${scope}) that met each error: ${shareList(rows.slice(0, 3))}.` : "No errors in this selection.",
    render: (width, height) => categoryBars(rows, { width, height, xLabel: "Share of sessions" }),
    table: {
      rows,
      columns: [{ key: "key", label: "Error code" }, { key: "n", label: "Sessions", numeric: true }, { key: "events", label: "Errors", numeric: true }, shareColumn("Share of sessions")],
    },
  });
}

/** `modes`: the mode breakdown's rows. */
export function modesChart(modes: readonly Row[], now: readonly Row[], { scope }: ChartScope): HTMLElement {
  const live = total(now, "live_sessions");
  const rows = sessionShares(modes, live);
  return breakdownChart(rows, {
    title: "Sharing modes used (share of live sessions)",
    height: 300,
    summary: rows.length ? `Of ${count(live)} sessions that went live (${scope}): ${shareList(rows)}.` : "No live sessions in this selection.",
    keyLabel: "Mode",
    countLabel: "Sessions",
    xLabel: "Share of live sessions",
    shareLabel: "Share of live sessions",
  });
}

/** `tools`: the control-tool breakdown's rows. */
export function controlToolsChart(tools: readonly Row[], now: readonly Row[], { scope }: ChartScope): HTMLElement {
  const rows = sessionShares(tools, total(now, "live_sessions"));
  return breakdownChart(rows, {
    title: "Agent tools selected (share of live sessions)",
    height: 300,
    summary: rows.length ? `Tools agents selected at least once (${scope}): ${shareList(rows)}.` : "No tool was selected in this selection.",
    keyLabel: "Tool",
    countLabel: "Sessions",
    xLabel: "Share of live sessions",
    shareLabel: "Share of live sessions",
  });
}

export function idlenessChart(now: readonly Row[], { range, bucket, scope }: ChartScope): HTMLElement {
  const series = periodSeries(now, range, bucket, ["idle_warned", "idle_disconnected"]).flatMap((d) => [
    { period: d.period, end: d.end, days: d.days, outcome: "Warned, stayed", sessions: valueOf(d, "idle_warned") - valueOf(d, "idle_disconnected") },
    { period: d.period, end: d.end, days: d.days, outcome: "Disconnected", sessions: d.idle_disconnected },
  ]);
  const idle = M.embedded_idle_disconnect_share.compute(now);
  return chartFrame({
    title: `Agents warned or disconnected for inactivity, per ${bucket}`,
    height: 280,
    summary: `${scope}: agents were warned of an idleness disconnection in ${count(total(now, "idle_warned"))} sessions and disconnected in ${percent(idle.value)} of ${count(idle.n)} sessions.`,
    render: (width, height) => timeBars(series, { y: "sessions", fill: "outcome", bucket, width, height, yLabel: `Sessions per ${bucket}`, fillDomain: ["Warned, stayed", "Disconnected"] }),
    table: { rows: series, columns: [periodColumn(bucket), { key: "outcome", label: "Outcome" }, { key: "sessions", label: "Sessions", numeric: true }] },
  });
}

/** Sessions per count ("1 tab", "2 tabs"), in key order; a count the recorder did not see is left out. */
function countBuckets(kindRows: readonly Row[], one: string, many: string) {
  const rows = sumBy(kindRows, ["key"], ["sessions"])
    .filter((d) => d.key !== "unknown")
    .sort((a, b) => String(a.key).localeCompare(String(b.key)));
  const all = total(rows, "sessions");
  return rows.map((d) => ({ label: `${d.key} ${d.key === "1" ? one : many}`, n: valueOf(d, "sessions"), share: share(valueOf(d, "sessions"), all) }));
}

/** `connections`: the connections breakdown's rows. */
export function connectionsChart(connections: readonly Row[], now: readonly Row[], { scope }: ChartScope): HTMLElement {
  const multi = M.embedded_multi_tab_share.compute(now);
  return distributionChart(countBuckets(connections, "tab", "tabs"), {
    title: "Visitor connections (tabs) per session",
    height: 300,
    summary: `${percent(multi.value)} of ${count(multi.n)} sessions (${scope}) had the visitor on more than one tab or app instance at some point; ${count(total(now, "switched_connection"))} sessions switched between them.`,
    bucketLabel: "Most connections at once",
    countLabel: "Sessions",
    yLabel: "Share of sessions",
  });
}

const MEDIA_STATES = [
  ["audio_state", "Audio"],
  ["video_visitor_state", "Video (visitor)"],
  ["video_agent_state", "Video (agent)"],
] as const;

/** `kinds`: a breakdown kind's rows, picked (the page's `kinds`). */
export function audioVideoChart(kinds: (kind: string) => readonly Row[], now: readonly Row[], { scope }: ChartScope): HTMLElement {
  const sessions = total(now, "sessions");
  const rows = MEDIA_STATES.flatMap(([kind, prefix]) =>
    sumBy(kinds(kind), ["key"], ["sessions"])
      .filter((d) => d.key !== "off")
      .map((d) => ({ key: `${prefix}: ${d.key}`, n: valueOf(d, "sessions"), share: share(valueOf(d, "sessions"), sessions) })),
  );
  const audio = M.embedded_audio_share.compute(now);
  const video = M.embedded_video_share.compute(now);
  return breakdownChart(rows, {
    title: "Audio and video states reached",
    height: 300,
    summary: `Share of sessions (${scope}) that reached each audio and video state: the audio call was active in ${percent(audio.value)} and video on in ${percent(video.value)} of ${count(audio.n)} sessions.`,
    keyLabel: "State",
    countLabel: "Sessions",
    xLabel: "Share of sessions",
    shareLabel: "Share of sessions",
  });
}

/** `observers`: the observers breakdown's rows. */
export function observersChart(observers: readonly Row[], now: readonly Row[], { scope }: ChartScope): HTMLElement {
  const average = M.embedded_avg_observers.compute(now);
  return distributionChart(countBuckets(observers, "agent", "agents"), {
    title: "Observers per session",
    height: 300,
    summary: `Sessions by the most agents observing at once (${scope}): ${formatValue("number", average.value)} on average over ${count(average.n)} sessions.`,
    bucketLabel: "Most observers at once",
    countLabel: "Sessions",
    yLabel: "Share of sessions",
  });
}

/** `reasons`: the end-reason breakdown's rows. */
export function sessionEndsChart(reasons: readonly Row[], { scope }: ChartScope): HTMLElement {
  const rows = breakdown(reasons, "key", "sessions");
  return breakdownChart(rows, {
    title: "How sessions ended",
    height: 300,
    summary: rows.length
      ? `${scope}: ${shareList(rows)} (the reason of the last sessionEnded event; "not recorded" when the console closed first).`
      : "No sessions in this selection.",
    keyLabel: "End reason",
    countLabel: "Sessions",
    xLabel: "Share of sessions",
  });
}
