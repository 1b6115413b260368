// Plot recipes the pages share. Plain JavaScript (Framework bundles it with the
// pages' vendored Plot and d3); every function takes the frame's width and height
// so charts keep a fixed height. Text marks (axis labels, tips) are SVG text, so
// labels that came from outside render as text.
import * as Plot from "npm:@observablehq/plot";
import * as d3 from "npm:d3";
import {truncate} from "./rows.js";

const toDate = (day) => new Date(`${day}T00:00:00Z`);
const dayAfter = (day) => new Date(Date.parse(`${day}T00:00:00Z`) + 86400000);
const percentTick = (d) => `${Math.round(d * 100)}%`;
// A swatch legend sits above the plot: the plot gives up that much height so the chart keeps its size.
const LEGEND_HEIGHT = 34;
const plotHeight = (height, legend) => (legend ? height - LEGEND_HEIGHT : height);
const dayFormat = d3.utcFormat("%Y-%m-%d");

/**
 * Series colours, each at least 3:1 against the light and the dark theme's
 * backgrounds (page and card: 3.3:1 to 5:1), which Plot's default scheme is not
 * (its yellow is 1.8:1 on white). Mid-tone hues, in an order that keeps neighbours apart.
 */
export const SERIES_COLORS = ["#4269d0", "#d2640f", "#3a8c3a", "#a463f2", "#c94b47", "#1f8a8a", "#c2408f", "#9c6b4e", "#8a7a00", "#808080"];

/** The categories of `field` in `data`, in the order Plot's ordinal scales sort them. */
const categories = (data, field) => d3.sort(new d3.InternSet(data.map((d) => (typeof field === "function" ? field(d) : d[field]))).values(), (a, b) => d3.ascending(a, b));

/**
 * Stacked bars per period (rows from periodSeries: period, end, days). Each bar
 * spans its period's days, so a shorter first period is drawn narrower.
 */
export function timeBars(data, {y, fill, bucket, width, height, yLabel, percent = false, fillDomain, fillRange}) {
  // Not colour alone: the series stack bottom to top in the legend's order (left to
  // right), and a line in the background colour parts each segment from the next.
  const domain = fill ? fillDomain ?? categories(data, fill) : undefined;
  return Plot.plot({
    width,
    height: plotHeight(height, fill),
    marginLeft: 52,
    x: {type: "utc", label: null},
    y: {grid: true, label: yLabel, tickFormat: percent ? percentTick : undefined},
    color: fill ? {legend: true, domain, range: fillRange ?? SERIES_COLORS} : undefined,
    marks: [
      Plot.rectY(data, Plot.stackY({
        x1: (d) => toDate(d.period),
        x2: (d) => dayAfter(d.end),
        y,
        fill,
        order: domain,
        stroke: fill ? "var(--theme-background)" : undefined,
        strokeWidth: fill ? 1 : undefined,
        insetLeft: bucket === "week" ? 2 : 1,
        insetRight: bucket === "week" ? 2 : 1,
        channels: {from: {value: "period", label: "From"}, to: {value: "end", label: "To"}, days: {value: "days", label: "Days"}},
        tip: {format: {x1: false, x2: false}}
      })),
      Plot.ruleY([0])
    ]
  });
}

/**
 * Lines per day or week (one per `stroke` group). Each group's points have their
 * own symbol too, and the legend shows each colour with its symbol, so the lines
 * are told apart without colour. `lower`/`upper`: the fields of each point's
 * interval, drawn as a band behind its line.
 */
export function timeLines(data, {y, stroke, bucket, width, height, yLabel, percent = false, strokeDomain, lower, upper}) {
  const x = (d) => toDate(d.period);
  const domain = stroke ? strokeDomain ?? categories(data, stroke) : undefined;
  const band = lower && upper ? [Plot.areaY(data, {x, y1: lower, y2: upper, fill: stroke, fillOpacity: 0.15, curve: "monotone-x"})] : [];
  const bandTip = lower && upper ? {[lower]: {value: lower, label: "95% from"}, [upper]: {value: upper, label: "95% to"}} : {};
  return Plot.plot({
    width,
    height: plotHeight(height, stroke),
    marginLeft: 52,
    x: {type: "utc", label: null},
    y: {grid: true, label: yLabel, zero: true, tickFormat: percent ? percentTick : undefined},
    color: stroke ? {domain, range: SERIES_COLORS} : undefined,
    symbol: stroke ? {legend: true, domain} : undefined,
    marks: [
      ...band,
      Plot.lineY(data, {x, y, stroke, curve: "monotone-x", defined: (d) => d[y] !== null && Number.isFinite(d[y])}),
      Plot.dot(data, {x, y, stroke, symbol: stroke, r: stroke ? (bucket === "day" ? 3 : 3.5) : bucket === "day" ? 2.5 : 2, channels: {to: {value: "end", label: "To"}, days: {value: "days", label: "Days"}, ...bandTip}, tip: {format: {x: dayFormat}}}),
      Plot.ruleY([0])
    ]
  });
}

/** Horizontal bars for a breakdown ({key, n, share}), largest on top. */
export function categoryBars(data, {width, height, xLabel = "Share", value = "share", percent = true, fill}) {
  return Plot.plot({
    width,
    height,
    marginLeft: Math.min(200, Math.max(90, width * 0.3)),
    x: {grid: true, label: xLabel, tickFormat: percent ? percentTick : undefined},
    y: {label: null, domain: data.map((d) => d.key), tickFormat: (d) => truncate(String(d), 28)},
    marks: [
      Plot.barX(data, {x: value, y: "key", fill: fill ?? "var(--theme-foreground-focus)", tip: true}),
      Plot.ruleX([0])
    ]
  });
}

/** Columns for display buckets ({label, n, share}) of a distribution, in bucket order. */
export function distributionBars(buckets, {width, height, yLabel = "Share", value = "share", fill}) {
  // Rotate the labels only when they would not fit side by side.
  const longest = d3.max(buckets, (d) => d.label.length) ?? 1;
  const rotate = (width - 60) / Math.max(1, buckets.length) < longest * 7 + 6;
  return Plot.plot({
    width,
    height,
    marginLeft: 52,
    marginBottom: rotate ? 52 : 30,
    x: {label: null, domain: buckets.map((d) => d.label), tickRotate: rotate ? -40 : 0},
    y: {grid: true, label: yLabel, tickFormat: value === "share" ? percentTick : undefined},
    marks: [
      Plot.barY(buckets, {x: "label", y: value, fill: fill ?? "var(--theme-foreground-focus)", tip: true}),
      Plot.ruleY([0])
    ]
  });
}

/** A scatter of two measures with a y = x reference line. */
export function scatter(data, {x, y, width, height, xLabel, yLabel, fill}) {
  const max = d3.max(data, (d) => Math.max(d[x], d[y])) ?? 1;
  return Plot.plot({
    width,
    height: plotHeight(height, fill),
    marginLeft: 52,
    x: {grid: true, label: xLabel, domain: [0, max]},
    y: {grid: true, label: yLabel, domain: [0, max]},
    // Groups differ by symbol as well as colour (the legend shows both).
    color: fill ? {range: SERIES_COLORS} : undefined,
    symbol: fill ? {legend: true} : undefined,
    marks: [
      Plot.line([[0, 0], [max, max]], {stroke: "currentColor", strokeOpacity: 0.3, strokeDasharray: "4,3"}),
      Plot.dot(data, {x, y, fill: fill ?? "var(--theme-foreground-focus)", symbol: fill, r: fill ? 3 : 2.5, fillOpacity: 0.55, tip: true})
    ]
  });
}

/** Horizontal bars stacked by `fill`, one row per `y`. */
export function groupedBars(data, {y, x, fill, width, height, xLabel, percent = false, fillDomain}) {
  return Plot.plot({
    width,
    height: plotHeight(height, true),
    marginLeft: Math.min(200, Math.max(90, width * 0.3)),
    x: {grid: true, label: xLabel, tickFormat: percent ? percentTick : undefined},
    y: {label: null, tickFormat: (d) => truncate(String(d), 28)},
    color: {legend: true, domain: fillDomain ?? categories(data, fill), range: SERIES_COLORS},
    marks: [
      // As in timeBars: stacked left to right in the legend's order, segments parted by a line.
      Plot.barX(data, {x, y, fill, order: fillDomain ?? categories(data, fill), stroke: "var(--theme-background)", strokeWidth: 1, tip: true, sort: {y: "-x"}}),
      Plot.ruleX([0])
    ]
  });
}
