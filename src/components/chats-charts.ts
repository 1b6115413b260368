/// <reference path="./charts.d.ts" />
/// <reference path="./page-plots.d.ts" />
/**
 * The chat engagements page's charts and tables (src/chats.md). Each takes the
 * rows the page picked for its range and filters (daily sums, one histogram's
 * rows, one breakdown kind's rows) and builds the frame: the figures come from
 * the metrics in chat-measures.ts, so a chart and its KPI card agree.
 */
import { chartFrame } from "./chart.js";
import { categoryBars, timeBars, timeLines } from "./charts.js";
import { CHAT_HISTOGRAMS as H, CHAT_METRICS as M } from "./chat-measures.js";
import { breakdownChart, distributionChart, periodColumn, shareColumn, shareList } from "./common-charts.js";
import { formatValue, intervalRange } from "./format.js";
import { metricBand, MIN_CASES } from "./metric-kinds.js";
import { bandBars } from "./page-plots.js";
import { distinctValues, numberOf, sumBy, total, truncate, type Row } from "./rows.js";
import type { Histogram } from "./measure-sql.js";
import type { ChartScope, Selection } from "./selection.js";
import { breakdown, displayBuckets, percent, periodSeries } from "./series.js";
import { dataTable } from "./table.js";

/**
 * A page's histogram rows, picked: one measure's for the whole selection
 * (`hist`, of the range or of `period`), the MCS per skill or agent (`mcsBy`).
 * The whole team's preset file holds three levels (team, per skill, per agent);
 * the filter and day files the full cross.
 */
export function chatHistograms(histograms: readonly Row[], tier: "preset" | "filter" | "day", pick: Selection["pick"]) {
  const atLevel = (level: "all" | "skill" | "agent") => (tier === "preset" ? histograms.filter((d) => d.level === level) : histograms);
  const team = atLevel("all");
  return {
    hist: (histogram: Histogram, period?: ChartScope["range"]) => pick(team.filter((d) => d.measure === histogram.measure), period),
    mcsBy: (level: "skill" | "agent") => pick(atLevel(level).filter((d) => d.measure === H.mcs.measure)),
  };
}

const count = (n: number) => n.toLocaleString("en-US");
const valueOf = (row: Row, column: string) => numberOf(row, column) ?? 0;
/** LivePerson's alerted-MCS colours, negative to positive. */
const BAND_COLOURS = ["#d9534f", "#808080", "#2e8b57"];

export function chatVolumeChart(now: readonly Row[], { range, bucket, scope }: ChartScope): HTMLElement {
  const series = periodSeries(now, range, bucket, ["chats"], "skill").map((d) => ({ ...d, skill: d.skill ?? "(no skill)" }));
  const skills = breakdown(now, "skill", "chats");
  return chartFrame({
    title: `Chats per ${bucket} and skill`,
    height: 300,
    summary: skills.length ? `${scope}: ${count(total(now, "chats"))} chats; ${shareList(skills.slice(0, 3))}.` : `${scope}: no chats in this selection.`,
    render: (width, height) => timeBars(series, { y: "chats", fill: "skill", bucket, width, height, yLabel: `Chats per ${bucket}` }),
    table: { rows: series, columns: [periodColumn(bucket), { key: "skill", label: "Skill" }, { key: "chats", label: "Chats", numeric: true }] },
  });
}

/** `durations`: the duration histogram's rows. */
export function chatDurationChart(durations: readonly Row[], now: readonly Row[], { scope }: ChartScope): HTMLElement {
  const median = M.chat_median_duration_seconds.compute(durations);
  const mean = M.chat_avg_duration_seconds.compute(now);
  return distributionChart(displayBuckets(durations, H.duration.binning), {
    title: "Chat duration distribution",
    height: 300,
    summary: `${scope}: median ${formatValue("seconds", median.value)}, average ${formatValue("seconds", mean.value)} over ${count(median.n)} chats.`,
    bucketLabel: "Duration",
    countLabel: "Chats",
  });
}

const MCS_BANDS = ["Negative (0–33)", "Neutral (34–66)", "Positive (67–100)"];

/** `scores`: the MCS histogram's rows. */
export function mcsDistributionChart(scores: readonly Row[], now: readonly Row[], { scope }: ChartScope): HTMLElement {
  const edges = [0, 10, 20, 34, 40, 50, 60, 67, 70, 80, 90, 101];
  const band = (lo: number) => (lo < 34 ? MCS_BANDS[0] : lo < 67 ? MCS_BANDS[1] : MCS_BANDS[2]) as string;
  const buckets = displayBuckets(scores, H.mcs.binning, edges, (lo, hi) => `${lo}–${hi - 1}`).map((d) => ({ ...d, band: band(d.lo) }));
  const median = M.chat_median_mcs.compute(scores);
  return chartFrame({
    title: "Chat MCS distribution (0–100)",
    height: 300,
    summary: `${scope}: median chat MCS ${formatValue("score", median.value)} over ${count(median.n)} chats; ${percent(M.chat_negative_mcs_share.compute(now).value)} negative, ${percent(M.chat_positive_mcs_share.compute(now).value)} positive. Bands follow LivePerson's alerted MCS.`,
    render: (width, height) => bandBars(buckets, { width, height, yLabel: "Share of chats", domain: MCS_BANDS, range: BAND_COLOURS }),
    table: { rows: buckets, columns: [{ key: "label", label: "Chat MCS" }, { key: "band", label: "Band" }, { key: "n", label: "Chats", numeric: true }, shareColumn()] },
  });
}

export function alertedMcsChart(now: readonly Row[], { range, bucket, scope }: ChartScope): HTMLElement {
  const bands = [["Negative", "alerted_negative"], ["Neutral", "alerted_neutral"], ["Positive", "alerted_positive"]] as const;
  const series = periodSeries(now, range, bucket, ["alerted_count", ...bands.map(([, column]) => column)]).flatMap((d) =>
    bands.map(([label, column]) => {
      const alerted = valueOf(d, "alerted_count");
      return { period: d.period, end: d.end, days: d.days, alerted: label, share: alerted ? valueOf(d, column) / alerted : 0, chats: d[column] };
    }),
  );
  return chartFrame({
    title: `Alerted MCS per ${bucket}`,
    height: 300,
    summary: `Share of chats per ${bucket} that LivePerson alerted as negative, neutral or positive (${scope}).`,
    render: (width, height) =>
      timeBars(series, { y: "share", fill: "alerted", bucket, width, height, yLabel: "Share of chats", percent: true, fillDomain: bands.map(([label]) => label), fillRange: BAND_COLOURS }),
    table: { rows: series, columns: [periodColumn(bucket), { key: "alerted", label: "Alerted MCS" }, { key: "chats", label: "Chats", numeric: true }, shareColumn()] },
  });
}

/** Median chat MCS per value of `column` (skill or agent), highest first; a group under MIN_CASES chats is starred. */
function mcsMedians(scores: readonly Row[], column: string, nameOf: (key: string) => string) {
  return distinctValues(scores, column)
    .map((key) => {
      const result = M.chat_median_mcs.compute(scores.filter((d) => d[column] === key));
      const name = nameOf(key);
      return { key: result.lowConfidence ? `${name} *` : name, [column]: name, name, median: result.value, n: result.n, low: result.lowConfidence ? "yes" : "" };
    })
    .sort((a, b) => (b.median ?? 0) - (a.median ?? 0));
}

function mcsByGroupChart(groups: ReturnType<typeof mcsMedians>, column: string, options: { title: string; groupLabel: string; summary: string }): HTMLElement {
  return chartFrame({
    title: options.title,
    height: 300,
    summary: groups.length ? `${options.summary} * fewer than ${MIN_CASES} chats: low confidence.` : "No chats with an MCS in this selection.",
    render: (width, height) => categoryBars(groups, { width, height, value: "median", percent: false, xLabel: "Median chat MCS" }),
    table: {
      rows: groups,
      columns: [{ key: column, label: options.groupLabel }, { key: "median", label: "Median MCS", numeric: true }, { key: "n", label: "Chats", numeric: true }, { key: "low", label: "Low confidence" }],
    },
  });
}

const score = (d: { name: string; median: number | null }) => `${d.name} ${formatValue("score", d.median)}`;

/** `scores`: the MCS histogram's rows per skill. */
export function mcsBySkillChart(scores: readonly Row[]): HTMLElement {
  const groups = mcsMedians(scores, "skill", (key) => key);
  return mcsByGroupChart(groups, "skill", {
    title: "Median chat MCS by skill",
    groupLabel: "Skill",
    summary: `${groups.map((d) => `${score(d)} (n = ${d.n})`).join(", ")}.`,
  });
}

/** `scores`: the MCS histogram's rows per agent; `agentName`: agent id → name. */
export function mcsByAgentChart(scores: readonly Row[], agentName: ReadonlyMap<unknown, unknown>): HTMLElement {
  const groups = mcsMedians(scores, "agent", (key) => String(agentName.get(key) ?? key));
  return mcsByGroupChart(groups, "agent", {
    title: "Median chat MCS by agent",
    groupLabel: "Agent",
    summary: `Highest: ${groups.slice(0, 3).map(score).join(", ")}; lowest: ${groups.slice(-3).map(score).join(", ")}.`,
  });
}

/** Start or end reasons: `reasons` are that breakdown kind's rows. */
export function chatReasonsChart(reasons: readonly Row[], options: { title: string; keyLabel: string }, { scope }: ChartScope): HTMLElement {
  const rows = breakdown(reasons, "key", "n");
  return breakdownChart(rows, { ...options, height: 240, summary: `${scope}: ${shareList(rows)}.`, countLabel: "Chats", xLabel: "Share of chats" });
}

export function transfersChart(now: readonly Row[], { range, bucket, scope }: ChartScope): HTMLElement {
  // Each line is its KPI per period, with the KPI's 95% interval as a band.
  const transfers = [
    ["Started by a transfer", M.chat_transfer_in_share, "transfers_in"],
    ["Transferred away", M.chat_transfer_out_share, "transfers_out"],
  ] as const;
  const series = periodSeries(now, range, bucket, ["chats", "transfers_in", "transfers_out"]).flatMap((d) =>
    transfers.map(([transfer, metric, column]) => {
      const { value, lower, upper } = metricBand(metric, [d]);
      return { period: d.period, end: d.end, days: d.days, transfer, share: value, lower, upper, interval: intervalRange("share", lower, upper), chats: d[column] };
    }),
  );
  return chartFrame({
    title: `Transfers per ${bucket}`,
    height: 240,
    summary: `${percent(M.chat_transfer_in_share.compute(now).value)} of chats started by a transfer and ${percent(M.chat_transfer_out_share.compute(now).value)} were transferred away (${scope}). The shaded band around each line is its 95% interval per ${bucket} (Wilson's score interval): a move that stays within the bands' width can be noise.`,
    render: (width, height) => timeLines(series, { y: "share", stroke: "transfer", bucket, width, height, yLabel: "Share of chats", percent: true, lower: "lower", upper: "upper" }),
    table: { rows: series, columns: [periodColumn(bucket), { key: "transfer", label: "Transfer" }, { key: "chats", label: "Chats", numeric: true }, shareColumn(), { key: "interval", label: "95% interval" }] },
  });
}

/** `waits`: the wait histogram's rows. */
export function waitChart(waits: readonly Row[], { scope }: ChartScope): HTMLElement {
  const buckets = displayBuckets(waits, H.wait.binning, [0, 10, 20, 30, 45, 60, 90, 120, 180, 300, 600, Infinity]);
  const median = M.chat_median_wait_seconds.compute(waits);
  const overAMinute = buckets.filter((d) => d.lo >= 60).reduce((sum, d) => sum + d.share, 0);
  return distributionChart(buckets, {
    title: "Wait from request to start",
    height: 300,
    summary: `${scope}: half of the visitors waited less than ${formatValue("seconds", median.value)}; ${percent(overAMinute)} waited a minute or more.`,
    bucketLabel: "Wait",
    countLabel: "Chats",
  });
}

/** `responses`: the first-response histogram's rows. */
export function firstResponseChart(responses: readonly Row[], { scope }: ChartScope): HTMLElement {
  const median = M.chat_median_first_response_seconds.compute(responses);
  return distributionChart(displayBuckets(responses, H.first_response.binning, [0, 15, 30, 60, 90, 120, 180, 300, 600, Infinity]), {
    title: "First response time",
    height: 300,
    summary: `${scope}: the agent's first line came within ${formatValue("seconds", median.value)} in half of the answered chats (n = ${count(median.n)}).`,
    bucketLabel: "First response",
    countLabel: "Chats",
  });
}

/** `ratings`: the post-chat rating histogram's rows. */
export function chatRatingsChart(ratings: readonly Row[], { scope }: ChartScope): HTMLElement {
  const csat = M.chat_csat.compute(ratings);
  return distributionChart(displayBuckets(ratings, H.rating.binning, [1, 2, 3, 4, 5, 6], (lo) => String(lo)), {
    title: "Post-chat rating of the agent (1–5)",
    height: 260,
    summary: `${percent(csat.value)} of ${count(csat.n)} ratings were 4 or 5 (${scope}).`,
    bucketLabel: "Rating",
    countLabel: "Answers",
  });
}

const SURVEY_NAMES: Readonly<Record<string, string>> = { post_chat: "Post-chat", pre_chat: "Pre-chat", operator: "Agent wrap-up" };

/** Every published survey answer with its share of its question's answers; `answers`: the survey rows picked for the range. */
export function surveyAnswersTable(answers: readonly Row[], range: ChartScope["range"]): HTMLElement {
  const rows = sumBy(answers, ["survey_kind", "question", "answer"], ["n"]);
  const question = (d: Row) => `${d.survey_kind}\u0000${d.question}`;
  const perQuestion = new Map(sumBy(rows, ["survey_kind", "question"], ["n"]).map((d) => [question(d), valueOf(d, "n")]));
  const table = rows
    .map((d): Row => ({ ...d, answer: d.answer ?? "(typed answer, not published)", share: valueOf(d, "n") / (perQuestion.get(question(d)) || 1) }))
    .sort((a, b) => String(a.survey_kind).localeCompare(String(b.survey_kind)) || String(a.question).localeCompare(String(b.question)) || valueOf(b, "n") - valueOf(a, "n"));
  return dataTable(table, {
    title: "Survey answers",
    filename: `chat-survey-answers-${range.from}-${range.to}`,
    testId: "table-survey-answers",
    limit: 25,
    columns: [
      { key: "survey_kind", label: "Survey", format: (v) => SURVEY_NAMES[String(v)] ?? String(v) },
      { key: "question", label: "Question" },
      { key: "answer", label: "Answer", format: (v) => truncate(String(v), 80) },
      { key: "n", label: "Answers", numeric: true },
      shareColumn("Share of the question"),
    ],
  });
}

export function cobrowseMcsChart(now: readonly Row[], { scope }: ChartScope): HTMLElement {
  const withCobrowse = M.chat_mcs_with_cobrowse.compute(now);
  const without = M.chat_mcs_without_cobrowse.compute(now);
  const rows = [
    { key: withCobrowse.lowConfidence ? "With co-browse *" : "With co-browse", mcs: withCobrowse.value, n: withCobrowse.n },
    { key: without.lowConfidence ? "Without co-browse *" : "Without co-browse", mcs: without.value, n: without.n },
  ];
  return chartFrame({
    title: "Average chat MCS with and without co-browse",
    height: 200,
    summary: `Chats with a co-browse session average an MCS of ${formatValue("score", withCobrowse.value)} (n = ${withCobrowse.n}) against ${formatValue("score", without.value)} without (n = ${without.n}), ${scope}. This compares groups; it does not show that co-browsing caused the difference.`,
    render: (width, height) => categoryBars(rows, { width, height, value: "mcs", percent: false, xLabel: "Average chat MCS" }),
    table: { rows, columns: [{ key: "key", label: "Chats" }, { key: "mcs", label: "Average MCS", numeric: true }, { key: "n", label: "Chats with an MCS", numeric: true }] },
  });
}
