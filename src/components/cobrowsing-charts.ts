/// <reference path="./charts.d.ts" />
/// <reference path="./page-plots.d.ts" />
/**
 * The co-browsing page's charts and tables (src/cobrowsing.md). Each takes the
 * rows the page picked for its range and filters (daily sums, length histogram
 * rows, one breakdown kind's rows) and builds the frame; the figures come from
 * the metrics in cobrowse-measures.ts, so a chart and its KPI card agree.
 */
import { chartFrame } from "./chart.js";
import { scatter, timeBars, timeLines } from "./charts.js";
import { COBROWSE_LENGTH, COBROWSE_METRICS as M } from "./cobrowse-measures.js";
import { breakdownChart, distributionChart, periodColumn, shareColumn, shareList } from "./common-charts.js";
import { addDays } from "./dates.js";
import { formatValue, intervalRange } from "./format.js";
import { metricBand, type Metric } from "./metric-kinds.js";
import { ratingBars } from "./page-plots.js";
import { numberOf, sumBy, total, type Row } from "./rows.js";
import type { ChartScope, Selection } from "./selection.js";
import { breakdown, displayBuckets, percent, periodSeries } from "./series.js";
import { dataTable } from "./table.js";

const count = (n: number) => n.toLocaleString("en-US");
const valueOf = (row: Row, column: string) => numberOf(row, column) ?? 0;

export function sessionsChart(now: readonly Row[], { range, bucket, scope }: ChartScope): HTMLElement {
  const series = periodSeries(now, range, bucket, ["sessions", "went_live"]).flatMap((d) => [
    { period: d.period, end: d.end, days: d.days, outcome: "Went live", sessions: d.went_live },
    { period: d.period, end: d.end, days: d.days, outcome: "Did not go live", sessions: valueOf(d, "sessions") - valueOf(d, "went_live") },
  ]);
  const sessions = total(now, "sessions");
  const weeks = bucket === "week" ? " Weeks are the 7-day periods ending on the range's last day; a shorter first period is drawn narrower." : "";
  return chartFrame({
    title: `Sessions per ${bucket}`,
    height: 300,
    summary: `${scope}: ${count(sessions)} sessions, ${percent(sessions ? total(now, "went_live") / sessions : null)} went live.${weeks}`,
    render: (width, height) => timeBars(series, { y: "sessions", fill: "outcome", bucket, width, height, yLabel: `Sessions per ${bucket}`, fillDomain: ["Went live", "Did not go live"] }),
    table: { rows: series, columns: [periodColumn(bucket), { key: "outcome", label: "Outcome" }, { key: "sessions", label: "Sessions", numeric: true }] },
  });
}

export function outcomeRatesChart(now: readonly Row[], { range, bucket, scope }: ChartScope): HTMLElement {
  // Each share is its KPI per period, over the KPI's denominator (authorization: the sessions that say whether they were authorized).
  const rates: ReadonlyArray<readonly [string, Metric]> = [
    ["Went live", M.cobrowse_live_share],
    ["Authorized", M.cobrowse_authorization_rate],
    ["With a call", M.cobrowse_call_share],
    ["Recording ready", M.cobrowse_ready_recording_share],
    ["More than one agent", M.cobrowse_multi_agent_share],
  ];
  const series = periodSeries(now, range, bucket, [...new Set(rates.flatMap(([, metric]) => metric.columns))]).flatMap((d) =>
    rates.map(([label, metric]) => {
      const { value, n, lower, upper } = metricBand(metric, [d]);
      return { period: d.period, end: d.end, days: d.days, rate: label, share: value, lower, upper, interval: intervalRange("share", lower, upper), sessions: n };
    }),
  );
  return chartFrame({
    title: `Session outcomes per ${bucket}`,
    height: 300,
    summary: `Share of sessions per ${bucket} that went live, were authorized, had a call, have a ready recording, or had more than one agent (${scope}). The shaded band around each line is its 95% interval per ${bucket} (Wilson's score interval): a move that stays within the bands' width can be noise.`,
    render: (width, height) =>
      timeLines(series, { y: "share", stroke: "rate", bucket, width, height, yLabel: "Share of sessions", percent: true, strokeDomain: rates.map(([label]) => label), lower: "lower", upper: "upper" }),
    table: { rows: series, columns: [periodColumn(bucket), { key: "rate", label: "Outcome" }, shareColumn(), { key: "interval", label: "95% interval" }, { key: "sessions", label: "Sessions", numeric: true }] },
  });
}

/** `lengths`: the length histogram's rows. */
export function sessionLengthChart(lengths: readonly Row[], now: readonly Row[], { scope }: ChartScope): HTMLElement {
  const buckets = displayBuckets(lengths, COBROWSE_LENGTH.binning);
  const median = M.cobrowse_median_length_seconds.compute(lengths);
  const mean = M.cobrowse_avg_length_seconds.compute(now);
  const commonest = buckets.slice().sort((a, b) => b.n - a.n)[0]?.label ?? "—";
  return distributionChart(buckets, {
    title: "Session length distribution",
    height: 300,
    summary: `${scope}: median ${formatValue("seconds", median.value)}, average ${formatValue("seconds", mean.value)} over ${count(median.n)} sessions. The most common length is ${commonest}.`,
    bucketLabel: "Length",
    countLabel: "Sessions",
  });
}

/**
 * One dot per recent session. `recent` holds the last `detailWindowDays` days up
 * to `anchor` (site-meta.json); a range reaching further back shows those only.
 */
export function callVsSessionChart(
  data: { recent: readonly Row[]; now: readonly Row[]; pick: Selection["pick"]; anchor: string; detailWindowDays: number },
  { range, scope }: ChartScope,
): HTMLElement {
  const detailFrom = addDays(data.anchor, -(data.detailWindowDays - 1));
  const shownRange = { from: range.from < detailFrom ? detailFrom : range.from, to: range.to };
  const points = data.pick(data.recent, shownRange).map((d) => ({
    ...d,
    call: valueOf(d, "call_length_seconds") > 0 ? "With a call" : "No call",
    minutes: valueOf(d, "length_seconds") / 60,
    callMinutes: valueOf(d, "call_length_seconds") / 60,
  }));
  const callShare = M.cobrowse_call_share.compute(data.now);
  const callTime = M.cobrowse_call_time_share.compute(data.now);
  const shown = range.from < detailFrom ? `; dots cover ${shownRange.from} to ${shownRange.to} only, the last ${data.detailWindowDays} days kept in detail` : "";
  return chartFrame({
    title: "Call time against session length",
    height: 300,
    summary: `${percent(callShare.value)} of sessions had a call and ${percent(callTime.value)} of session time was spent on a call (${scope}). Each dot is one session${shown}. Dots on the dashed line were on a call the whole session.`,
    render: (width, height) => scatter(points, { x: "minutes", y: "callMinutes", fill: "call", width, height, xLabel: "Session length (min)", yLabel: "Call length (min)" }),
    table: {
      rows: points.slice(0, 500),
      columns: [{ key: "date", label: "Day" }, { key: "length_seconds", label: "Session (s)", numeric: true }, { key: "call_length_seconds", label: "Call (s)", numeric: true }],
    },
  });
}

/** `features`: the feature breakdown's rows. */
export function featureUsageChart(features: readonly Row[], now: readonly Row[], { scope }: ChartScope): HTMLElement {
  const live = total(now, "went_live");
  const rows = breakdown(features, "key", "live_sessions").map((d) => ({ ...d, share: live ? d.n / live : 0 }));
  return breakdownChart(rows, {
    title: "Feature usage (share of live sessions)",
    height: 300,
    summary: rows.length ? `Of ${count(live)} live sessions (${scope}), ${rows.slice(0, 3).map((d) => `${d.key} was used in ${percent(d.share)}`).join(", ")}.` : "No live sessions in this selection.",
    keyLabel: "Feature",
    countLabel: "Live sessions using it",
    xLabel: "Share of live sessions",
    shareLabel: "Share of live sessions",
  });
}

/** `features`: the feature breakdown's rows. */
export function featureTrendChart(features: readonly Row[], now: readonly Row[], { range, bucket, scope }: ChartScope): HTMLElement {
  const top = breakdown(features, "key", "live_sessions", 5).filter((d) => d.key !== "Other").map((d) => d.key);
  const live = new Map(periodSeries(now, range, bucket, ["went_live"]).map((d) => [d.period, valueOf(d, "went_live")]));
  const series = periodSeries(features.filter((d) => top.includes(d.key as string)), range, bucket, ["live_sessions"], "key")
    .map((d) => {
      const liveInPeriod = live.get(d.period);
      return { period: d.period, end: d.end, days: d.days, feature: d.key ?? "", share: liveInPeriod ? valueOf(d, "live_sessions") / liveInPeriod : null };
    })
    .filter((d) => d.feature !== "");
  return chartFrame({
    title: `Top features per ${bucket}`,
    height: 300,
    summary: `Share of live sessions per ${bucket} that used each of the five most used features (${scope}).`,
    render: (width, height) => timeLines(series, { y: "share", stroke: "feature", bucket, width, height, yLabel: "Share of live sessions", percent: true, strokeDomain: top }),
    table: { rows: series, columns: [periodColumn(bucket), { key: "feature", label: "Feature" }, shareColumn("Share of live sessions")] },
  });
}

/** `statuses`: the video-status breakdown's rows. */
export function videoStatusChart(statuses: readonly Row[], now: readonly Row[], { range, bucket, scope }: ChartScope): HTMLElement {
  const mix = breakdown(statuses, "key", "sessions");
  const perPeriod = periodSeries(statuses, range, bucket, ["sessions"], "key");
  const totalOf = new Map(sumBy(perPeriod, ["period"], ["sessions"]).map((d) => [d.period, valueOf(d, "sessions")]));
  const series = perPeriod
    .filter((d) => d.key != null)
    .map((d) => {
      const periodTotal = totalOf.get(d.period);
      return { period: d.period, end: d.end, days: d.days, status: d.key, share: periodTotal ? valueOf(d, "sessions") / periodTotal : 0, sessions: d.sessions };
    });
  const ready = M.cobrowse_ready_recording_share.compute(now);
  return chartFrame({
    title: `Video status mix per ${bucket}`,
    height: 300,
    summary: `${percent(ready.value)} of sessions have a ready recording (${scope}). Mix over the period: ${shareList(mix)}.`,
    render: (width, height) =>
      timeBars(series, { y: "share", fill: "status", bucket, width, height, yLabel: "Share of sessions", percent: true, fillDomain: mix.map((d) => d.key) }),
    table: { rows: series, columns: [periodColumn(bucket), { key: "status", label: "Video status" }, { key: "sessions", label: "Sessions", numeric: true }, shareColumn()] },
  });
}

export function sessionSourcesChart(now: readonly Row[], { scope }: ChartScope): HTMLElement {
  const sources = breakdown(now, "source", "sessions");
  return breakdownChart(sources, {
    title: "How sessions started",
    height: 300,
    summary: sources.length ? `${scope}: ${shareList(sources)}.` : "No sessions in this selection.",
    keyLabel: "Session source",
    countLabel: "Sessions",
    xLabel: "Share of sessions",
  });
}

const RATINGS = [
  ["quality_rating", "Session quality (agents)"],
  ["visitor_quality_rating", "Session quality (visitor)"],
  ["visitor_rating", "Visitor's rating of the agent"],
] as const;

/** `kinds`: a breakdown kind's rows, picked (the page's `kinds`). */
export function cobrowseRatingsChart(kinds: (kind: string) => readonly Row[], now: readonly Row[], { scope }: ChartScope): HTMLElement {
  const rows = RATINGS.flatMap(([kind, rating]) => breakdown(kinds(kind), "key", "sessions").map((d) => ({ ...d, rating }))).filter(
    (d) => d.key !== "(unknown)" && d.key !== null,
  );
  for (const d of rows) {
    const rated = rows.filter((r) => r.rating === d.rating).reduce((sum, r) => sum + r.n, 0);
    d.share = rated ? d.n / rated : 0;
  }
  const values = [...new Set(rows.map((d) => d.key))].sort((a, b) => Number(a) - Number(b));
  const quality = M.cobrowse_avg_quality_rating.compute(now);
  const visitorQuality = M.cobrowse_avg_visitor_quality_rating.compute(now);
  const visitor = M.cobrowse_avg_visitor_rating.compute(now);
  const scales = RATINGS.map(([, rating]) => rating);
  return chartFrame({
    title: "Ratings of the sessions and of the agents",
    height: 280,
    summary: `Agents rate the sessions' quality ${formatValue("rating", quality.value)} on average over ${quality.n} sessions, visitors ${formatValue("rating", visitorQuality.value)} over ${visitorQuality.n}; visitors rate their agent ${formatValue("rating", visitor.value)} over ${visitor.n} (${scope}).`,
    render: (width, height) => ratingBars(rows, { width, height, values, scales, yLabel: "Share of rated sessions" }),
    table: { rows, columns: [{ key: "rating", label: "Rating" }, { key: "key", label: "Value" }, { key: "n", label: "Sessions", numeric: true }, shareColumn()] },
  });
}

/** `paths`: the start-path breakdown's rows. */
export function startPagesChart(paths: readonly Row[], { scope }: ChartScope): HTMLElement {
  const rows = breakdown(paths, "key", "sessions", 10);
  return breakdownChart(rows, {
    title: "Top start pages",
    height: 300,
    summary: rows.length ? `Most sessions started on ${rows.slice(0, 3).map((d) => `${d.key} (${percent(d.share)})`).join(", ")} (${scope}).` : "No sessions in this selection.",
    keyLabel: "Start path",
    countLabel: "Sessions",
    xLabel: "Share of sessions",
  });
}

/** Every start path with its sessions and how many went live; `paths`: the start-path breakdown's rows. */
export function startPagesTable(paths: readonly Row[], range: ChartScope["range"]): HTMLElement {
  const sessions = sumBy(paths, ["key"], ["sessions", "live_sessions"]);
  const all = total(sessions, "sessions");
  const rows = sessions
    .map((d) => {
      const n = valueOf(d, "sessions");
      return { path: d.key, sessions: n, share: all ? n / all : 0, live: n ? valueOf(d, "live_sessions") / n : null };
    })
    .sort((a, b) => b.sessions - a.sessions);
  return dataTable(rows, {
    title: "All start pages",
    filename: `cobrowse-start-pages-${range.from}-${range.to}`,
    testId: "table-start-pages",
    limit: 15,
    columns: [
      { key: "path", label: "Start path" },
      { key: "sessions", label: "Sessions", numeric: true },
      shareColumn(),
      { key: "live", label: "Went live", format: (v) => percent(v as number | null) },
    ],
  });
}
