/// <reference path="./charts.d.ts" />
/// <reference path="./page-plots.d.ts" />
/**
 * The chat history page's charts and tables (src/chat-history.md). Each takes
 * the rows the page picked for its range and button filter (daily sums, one
 * histogram's rows, one breakdown kind's rows, the vendor's list windows) and
 * builds the frame; the figures come from the metrics in
 * chat-history-measures.ts, so a chart and its KPI card agree.
 */
import { chartFrame } from "./chart.js";
import { AGENDIZE_DAILY, AGENDIZE_HISTOGRAMS as H, AGENDIZE_METRICS as M } from "./chat-history-measures.js";
import { timeBars } from "./charts.js";
import { distributionChart, periodColumn, shareColumn } from "./common-charts.js";
import { describeRange } from "./dates.js";
import { formatValue } from "./format.js";
import { differenceDots } from "./page-plots.js";
import { numberOf, sumBy, total, type Row } from "./rows.js";
import type { ChartScope } from "./selection.js";
import { breakdown, displayBuckets, percent, periodSeries } from "./series.js";
import { dataTable } from "./table.js";

const count = (n: number) => n.toLocaleString("en-US");
const valueOf = (row: Row, column: string) => numberOf(row, column) ?? 0;
const seconds = (value: unknown) => formatValue("seconds", value as number | null);

export function volumeByButtonChart(now: readonly Row[], { range, bucket, scope }: ChartScope): HTMLElement {
  const series = periodSeries(now, range, bucket, ["chats"], "button").map((d) => ({ ...d, button: d.button ?? "(no button)" }));
  const buttons = breakdown(now, "button", "chats");
  return chartFrame({
    title: `Chats per ${bucket} and button`,
    height: 300,
    summary: `${scope}: ${buttons.map((d) => `${d.key} ${count(d.n)} (${percent(d.share)})`).join(", ")}.`,
    render: (width, height) => timeBars(series, { y: "chats", fill: "button", bucket, width, height, yLabel: `Chats per ${bucket}` }),
    table: { rows: series, columns: [periodColumn(bucket), { key: "button", label: "Chat button" }, { key: "chats", label: "Chats", numeric: true }] },
  });
}

/** Per chat button: chats, share, averages; a button under 30 chats is marked. */
export function buttonsTable(now: readonly Row[], range: ChartScope["range"]): HTMLElement {
  const perButton = sumBy(now, ["button"], Object.keys(AGENDIZE_DAILY));
  const all = total(perButton, "chats");
  const rows = perButton
    .map((d) => ({
      button: d.button,
      chats: valueOf(d, "chats"),
      share: all ? valueOf(d, "chats") / all : 0,
      duration: M.agendize_avg_duration_seconds.compute([d]).value,
      messages: M.agendize_avg_messages.compute([d]).value,
      firstResponse: M.agendize_avg_first_response_seconds.compute([d]).value,
      low: valueOf(d, "chats") < 30 ? "yes" : "",
    }))
    .sort((a, b) => b.chats - a.chats);
  return dataTable(rows, {
    title: "Chat buttons",
    filename: `agendize-buttons-${range.from}-${range.to}`,
    testId: "table-buttons",
    columns: [
      { key: "button", label: "Chat button" },
      { key: "chats", label: "Chats", numeric: true },
      shareColumn(),
      { key: "duration", label: "Average duration", format: seconds },
      { key: "messages", label: "Messages per chat", format: (v) => formatValue("number", v as number | null) },
      { key: "firstResponse", label: "Average first response", format: seconds },
      { key: "low", label: "n < 30" },
    ],
  });
}

/** Within this relative difference our average agrees with the vendor's (the loader flags the windows beyond it). */
const TOLERANCE = 0.05;

/** Our average chat duration against Agendize's, per list window; `windows`: the duration-check rows of the range. */
export function durationCheckChart(windows: readonly Row[], { range }: ChartScope): HTMLElement {
  // Our average against the vendor's, as a relative difference: the ±5% band is the tolerance.
  const points = windows
    .filter((d) => valueOf(d, "vendor_average_chat_seconds") > 0 && d.our_average_chat_seconds !== null)
    .map((d) => {
      const ours = valueOf(d, "our_average_chat_seconds");
      const vendor = valueOf(d, "vendor_average_chat_seconds");
      return { window: String(d.date), difference: (ours - vendor) / vendor, ours, vendor, check: d.disagrees ? ("Disagrees" as const) : ("Agrees" as const) };
    });
  const flagged = windows.filter((d) => d.disagrees);
  const extent = Math.max(0.1, ...points.map((d) => Math.abs(d.difference) * 1.15));
  const period = describeRange(range);
  const flaggedList = flagged.map((d) => `${d.date} (ours ${seconds(d.our_average_chat_seconds)}, Agendize ${seconds(d.vendor_average_chat_seconds)})`).join(", ");
  return chartFrame({
    title: "Our average chat duration against Agendize's, per list window",
    height: 300,
    summary:
      windows.length === 0
        ? `No list window starts in ${period}.`
        : flagged.length === 0
          ? `In all ${windows.length} windows starting in ${period}, our average agrees with Agendize's within 5%.`
          : `${flagged.length} of ${windows.length} windows disagree by more than 5%: ${flaggedList}.`,
    render: (width, height) =>
      differenceDots(points, { width, height, range, extent, tolerance: TOLERANCE, xLabel: "Window start", yLabel: "Ours − Agendize (share of Agendize's)" }),
    table: {
      rows: points,
      columns: [
        { key: "window", label: "Window start" },
        { key: "vendor", label: "Agendize (s)", numeric: true },
        { key: "ours", label: "Ours (s)", numeric: true },
        { key: "difference", label: "Difference", format: (v) => percent(v as number | null) },
        { key: "check", label: "Check" },
      ],
    },
  });
}

/** Every list window of the range with both averages; `windows`: the duration-check rows of the range. */
export function durationCheckTable(windows: readonly Row[], range: ChartScope["range"]): HTMLElement {
  return dataTable(
    windows.map((d) => ({ ...d, flag: d.disagrees ? "DISAGREES" : "agrees" })),
    {
      title: "List windows",
      filename: `agendize-duration-check-${range.from}-${range.to}`,
      testId: "table-duration-check",
      empty: "No list window starts in this period.",
      columns: [
        { key: "date", label: "Window start" },
        { key: "vendor_chat_sessions", label: "Chats (Agendize)", numeric: true },
        { key: "vendor_average_chat_seconds", label: "Average (Agendize)", format: seconds },
        { key: "our_chat_sessions", label: "Chats (ours)", numeric: true },
        { key: "our_average_chat_seconds", label: "Average (ours)", format: seconds },
        { key: "flag", label: "Check" },
      ],
    },
  );
}

/** `durations`: the duration histogram's rows. */
export function agendizeDurationChart(durations: readonly Row[], now: readonly Row[], { scope }: ChartScope): HTMLElement {
  const mean = M.agendize_avg_duration_seconds.compute(now);
  return distributionChart(displayBuckets(durations, H.duration.binning), {
    title: "Chat duration distribution",
    height: 260,
    summary: `${scope}: chats last ${formatValue("seconds", mean.value)} on average (start to last message, n = ${count(mean.n)}).`,
    bucketLabel: "Duration",
    countLabel: "Chats",
  });
}

/** `messages`: the messages-per-chat histogram's rows. */
export function messagesChart(messages: readonly Row[], now: readonly Row[], { scope }: ChartScope): HTMLElement {
  const label = (lo: number, hi: number) => (!Number.isFinite(hi) ? `${lo}+` : hi - lo === 1 ? String(lo) : `${lo}–${hi - 1}`);
  const mean = M.agendize_avg_messages.compute(now);
  return distributionChart(displayBuckets(messages, H.messages.binning, [0, 1, 2, 3, 4, 5, 6, 8, 10, 15, 20, Infinity], label), {
    title: "Messages per chat",
    height: 260,
    summary: `${scope}: ${formatValue("number", mean.value)} messages per chat on average.`,
    bucketLabel: "Messages",
    countLabel: "Chats",
  });
}

// Authors as Agendize names them; a source it does not document (vendor drift) is its own category, never folded in.
const AUTHORS: Readonly<Record<string, string>> = { operator: "Operator", visitor: "Visitor" };

/** `sources`: the message-source breakdown's rows. */
export function messageMixChart(sources: readonly Row[], now: readonly Row[], { range, bucket, scope }: ChartScope): HTMLElement {
  const series = periodSeries(sources, range, bucket, ["n"], "key").map((d) => ({
    period: d.period,
    end: d.end,
    days: d.days,
    author: AUTHORS[String(d.key)] ?? d.key,
    messages: d.n,
  }));
  const others = breakdown(
    sources.filter((d) => !(String(d.key) in AUTHORS)),
    "key",
    "n",
  );
  const share = M.agendize_operator_message_share.compute(now);
  const undocumented = others.length ? ` Authors Agendize does not document: ${others.map((d) => `${d.key} (${count(d.n)})`).join(", ")}.` : "";
  return chartFrame({
    title: `Operator and visitor messages per ${bucket}`,
    height: 260,
    summary: `Operators wrote ${percent(share.value)} of ${count(share.n)} messages (${scope}).${undocumented}`,
    render: (width, height) =>
      timeBars(series, { y: "messages", fill: "author", bucket, width, height, yLabel: `Messages per ${bucket}`, fillDomain: ["Operator", "Visitor", ...others.map((d) => d.key)] }),
    table: { rows: series, columns: [periodColumn(bucket), { key: "author", label: "Author" }, { key: "messages", label: "Messages", numeric: true }] },
  });
}

/** `responses`: the first-response histogram's rows. */
export function operatorFirstResponseChart(responses: readonly Row[], { scope }: ChartScope): HTMLElement {
  const median = M.agendize_median_first_response_seconds.compute(responses);
  return distributionChart(displayBuckets(responses, H.first_response.binning, [0, 15, 30, 60, 90, 120, 180, 300, 600, Infinity]), {
    title: "First response time",
    height: 260,
    summary: `${scope}: operators answered within ${formatValue("seconds", median.value)} in half of the answered chats (n = ${count(median.n)}).`,
    bucketLabel: "First response",
    countLabel: "Chats",
  });
}
