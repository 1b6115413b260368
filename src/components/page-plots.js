// Plot recipes that one chart each needs (the shared ones are in charts.js).
// Plain JavaScript for the same reason as charts.js: it imports Framework's
// `npm:` Plot; page-plots.d.ts types it for the chart modules.
import * as Plot from "npm:@observablehq/plot";
import {SERIES_COLORS} from "./charts.js";

const percentTick = (d) => `${Math.round(d * 100)}%`;
// The swatch legend above a plot takes this much of the frame's height.
const LEGEND_HEIGHT = 34;
const toDate = (day) => new Date(`${day}T00:00:00Z`);

/** Columns of a score distribution ({label, share, band}), coloured by band (bands in `domain`, colours in `range`). */
export function bandBars(buckets, {width, height, yLabel, domain, range}) {
  return Plot.plot({
    width, height: height - LEGEND_HEIGHT, marginLeft: 52,
    x: {label: null, domain: buckets.map((d) => d.label), tickRotate: width < 560 ? -40 : 0},
    y: {grid: true, label: yLabel, tickFormat: percentTick},
    color: {legend: true, domain, range},
    marks: [Plot.barY(buckets, {x: "label", y: "share", fill: "band", tip: true}), Plot.ruleY([0])]
  });
}

/** Side-by-side columns per rating value ({key, rating, share}), one colour per rating scale in `scales`. */
export function ratingBars(rows, {width, height, values, scales, yLabel}) {
  return Plot.plot({
    width, height: height - LEGEND_HEIGHT, marginLeft: 52,
    fx: {label: "Rating", domain: values}, x: {domain: scales, axis: null}, y: {grid: true, label: yLabel, tickFormat: percentTick},
    color: {legend: true, domain: scales, range: SERIES_COLORS},
    marks: [Plot.barY(rows, {fx: "key", x: "rating", y: "share", fill: "rating", tip: true}), Plot.ruleY([0])]
  });
}

/**
 * Relative differences per day ({window, difference, ours, vendor, check}) around
 * zero, with the ±`tolerance` band shaded across the range.
 */
export function differenceDots(points, {width, height, range, extent, tolerance, xLabel, yLabel}) {
  return Plot.plot({
    width, height: height - LEGEND_HEIGHT, marginLeft: 52,
    x: {type: "utc", label: xLabel},
    y: {grid: true, label: yLabel, domain: [-extent, extent], tickFormat: percentTick},
    color: {legend: true, domain: ["Agrees", "Disagrees"], range: ["#2e8b57", "#d9534f"]},
    marks: [
      Plot.rectY([0], {x1: () => toDate(range.from), x2: () => toDate(range.to), y1: -tolerance, y2: tolerance, fill: "currentColor", fillOpacity: 0.07}),
      Plot.ruleY([0]),
      Plot.dot(points, {x: (d) => toDate(d.window), y: "difference", fill: "check", r: 4, channels: {ours: {value: "ours", label: "Ours (s)"}, vendor: {value: "vendor", label: "Agendize (s)"}}, tip: true})
    ]
  });
}
