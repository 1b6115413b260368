/**
 * KPI cards. Each carries `data-metric` (the metric id), `data-value` (the raw
 * number, empty when there is none), `data-n` (cases behind it),
 * `data-previous` (the previous period's raw value), `data-verdict` (the change
 * rule's verdict, see statistics.changeVerdict) and `data-interval-lower` /
 * `-upper` (the value's 95% interval), so tests and scrapers read the figure
 * without parsing formatted text; the change against the previous period (with
 * an arrow only when it is unlikely to be noise), the interval (in the tooltip
 * and the grid's table view) and a low-confidence mark (n < MIN_CASES) are shown
 * with it.
 */
import { compareToPrevious, formatValue, intervalRange, type Change } from "./format.js";
import { MIN_CASES, metricInterval, type Metric, type MetricResult, type Period } from "./metric-kinds.js";
import type { Row } from "./rows.js";
import { changeRuleExplanation, changeVerdict, CONFIDENCE_LEVEL, type ChangeVerdict, type Interval, type PeriodEstimate } from "./statistics.js";
import { element, ensureDashboardStyles } from "./style.js";
import { plainTable } from "./table.js";

export interface KpiInput {
  metric: Metric;
  current: MetricResult;
  previous?: MetricResult | undefined;
  /** How the previous period is named, e.g. "previous 28 days". */
  previousLabel?: string;
  /** What the interval and the change test are computed from (Metric.estimate); absent or null: none applies. */
  currentEstimate?: PeriodEstimate | null;
  previousEstimate?: PeriodEstimate | null;
}

/** "95% interval 41.2%–47.9%, n = 812": the value's interval as the tooltip and the table view say it. */
export function intervalText(metric: Metric, interval: Interval | null, estimate: PeriodEstimate | null | undefined, n: number): string {
  if (!estimate) return "no interval for this kind of figure";
  const level = `${Math.round((interval?.level ?? CONFIDENCE_LEVEL) * 100)}%`;
  if (!interval) return `too few cases for a ${level} interval (n = ${n})`;
  const range = intervalRange(metric.unit, interval.lower, interval.upper);
  if (metric.kind === "count" && estimate.kind === "mean") {
    return `${level} interval ${range} (from ${estimate.n} daily counts, ${formatValue("number", estimate.n > 0 ? estimate.sum / estimate.n : null)} a day)`;
  }
  return `${level} interval ${range}, n = ${n.toLocaleString("en-US")}`;
}

export interface KpiChange {
  verdict: ChangeVerdict["verdict"];
  /** The card's change line, e.g. "+3.1% vs previous 28 days · within normal variation". */
  text: string;
  /** Set only when the verdict is up or down: what the arrow shows. */
  direction: Change["direction"] | null;
}

/**
 * The change line of a card: the change's number, and the arrow only when the
 * change rule says the change is unlikely to be noise; otherwise its verdict
 * in words ("within normal variation", "too few cases to compare").
 */
export function kpiChange(metric: Metric, current: MetricResult, previous: MetricResult, previousLabel: string, currentEstimate?: PeriodEstimate | null, previousEstimate?: PeriodEstimate | null): KpiChange {
  const change = compareToPrevious(metric.unit, current.value, previous.value);
  const verdict = currentEstimate && previousEstimate ? changeVerdict(currentEstimate, previousEstimate) : null;
  const number = change ? `${change.text} vs ${previousLabel}` : `no comparison with ${previousLabel}`;
  if (!verdict) return { verdict: "insufficient-data", text: change ? `${number} · no test for this kind of figure` : number, direction: null };
  const moved = verdict.verdict === "up" || verdict.verdict === "down";
  return {
    verdict: verdict.verdict,
    text: change && !moved ? `${number} · ${verdict.text}` : number,
    direction: moved && change ? change.direction : null,
  };
}

/** What a grid's table view lists of each card. */
type KpiSummary = {
  label: string;
  value: string;
  interval: string;
  previous: string;
  change: string;
};
const summaries = new WeakMap<HTMLElement, KpiSummary>();

let kpiCount = 0;

/**
 * The definition behind a card's "i": a real button (reached by Tab, opened with
 * Enter or Space, closed with Escape or a second press) that shows the definition
 * below the label, not a hover-only tooltip. The card is described by the same text,
 * so a screen reader announces the definition with the figure.
 */
function definitionToggle(id: string, label: string, text: string): { button: HTMLButtonElement; tip: HTMLElement } {
  const tip = element("div", { className: "si-kpi-tip", text, attributes: { id, role: "note" } });
  tip.hidden = true;
  const button = element("button", {
    className: "si-info",
    text: "i",
    attributes: { type: "button", "aria-label": `Definition of ${label}`, "aria-expanded": "false", "aria-controls": id },
  });
  const show = (open: boolean) => {
    tip.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
  };
  button.addEventListener("click", () => show(tip.hidden));
  const closeOnEscape = (event: KeyboardEvent) => {
    if (event.key === "Escape" && !tip.hidden) {
      show(false);
      button.focus();
    }
  };
  button.addEventListener("keydown", closeOnEscape);
  tip.addEventListener("keydown", closeOnEscape);
  return { button, tip };
}

export function kpiCard({ metric, current, previous, previousLabel = "previous period", currentEstimate, previousEstimate }: KpiInput): HTMLElement {
  ensureDashboardStyles();
  const id = `si-kpi-${++kpiCount}`;
  const shownValue = formatValue(metric.unit, current.value);
  const previousText = previous ? `${previousLabel[0]?.toUpperCase() ?? ""}${previousLabel.slice(1)}: ${formatValue(metric.unit, previous.value)}.` : "";
  const interval = metricInterval(metric, currentEstimate ?? null);
  const intervalLine = intervalText(metric, interval, currentEstimate, current.n);
  // The definition button shows the interval too, so it is not only in a hover title.
  const { button, tip } = definitionToggle(`${id}-definition`, metric.label, [metric.definition, `${intervalLine[0]?.toUpperCase() ?? ""}${intervalLine.slice(1)}.`, previousText].filter(Boolean).join(" "));
  // A label, not a heading: the cards sit under the page's h1 or a section's h2, and a heading per figure would skip levels or flood the outline.
  const label = element("div", { className: "si-kpi-label" }, element("span", { text: metric.label, attributes: { id: `${id}-label` } }), button);
  const value = element("div", { className: "si-kpi-value", text: shownValue });
  const card = element(
    "div",
    {
      className: "si-kpi",
      attributes: {
        "data-metric": metric.id,
        "data-value": current.value === null ? "" : String(current.value),
        "data-n": String(current.n),
        role: "group",
        "aria-label": `${metric.label}: ${shownValue}`,
        "aria-describedby": tip.id,
      },
    },
    label,
    value,
  );
  if (previous) card.dataset.previous = previous.value === null ? "" : String(previous.value);
  card.title = `${metric.definition}\n${intervalLine}`;
  if (interval) {
    card.dataset.intervalLower = String(interval.lower);
    card.dataset.intervalUpper = String(interval.upper);
  }
  const change = previous ? kpiChange(metric, current, previous, previousLabel, currentEstimate, previousEstimate) : null;
  card.dataset.verdict = change?.verdict ?? "insufficient-data";
  const changeLine = element("div", { className: "si-kpi-change", text: change?.text ?? "" });
  if (change) {
    if (change.direction) changeLine.dataset.direction = change.direction;
    changeLine.title = `${previousLabel}: ${formatValue(metric.unit, previous?.value ?? null)}`;
  }
  card.append(changeLine);
  summaries.set(card, {
    label: metric.label,
    value: formatValue(metric.unit, current.value),
    interval: intervalLine,
    previous: previous ? formatValue(metric.unit, previous.value) : "—",
    change: change?.text ?? "—",
  });
  if (metric.kind === "estimate" && current.lowConfidence && current.value !== null) {
    card.dataset.lowConfidence = "true";
    card.append(element("span", { className: "si-low", text: `low confidence: n = ${current.n} < ${MIN_CASES}` }));
  }
  card.append(tip);
  return card;
}

/**
 * A KPI computed from current and previous rows with the metric's own functions
 * (its figure and its estimate). A null label (see filters.previousLabel) means
 * there is no full previous period to compare with: the card says so instead of
 * showing a change. `periods` names the days each set of rows covers (a count's
 * estimate counts the days without rows too).
 */
export function kpiFor(
  metric: Metric,
  currentRows: readonly Row[],
  previousRows?: readonly Row[],
  previousLabel?: string | null,
  periods?: { current: Period; previous: Period },
): HTMLElement {
  const compared = previousRows && previousLabel !== null;
  const card = kpiCard({
    metric,
    current: metric.compute(currentRows),
    previous: compared ? metric.compute(previousRows) : undefined,
    previousLabel: previousLabel ?? undefined,
    currentEstimate: metric.estimate(currentRows, periods?.current),
    previousEstimate: compared ? metric.estimate(previousRows, periods?.previous) : undefined,
  });
  if (previousLabel === null) {
    const line = card.querySelector(".si-kpi-change");
    if (line) line.textContent = "no full earlier period to compare with";
    const summary = summaries.get(card);
    if (summary) summary.change = "no full earlier period to compare with";
  }
  return card;
}

export function kpiGrid(cards: readonly HTMLElement[], label = "Key figures"): HTMLElement {
  ensureDashboardStyles();
  const grid = element("section", { className: "si-kpis", attributes: { "aria-label": label } }, ...cards);
  const view = kpiTableView(cards, label);
  if (!view) return grid;
  return element("div", { className: "si-kpi-block" }, grid, view);
}

/** The cards' figures with their intervals and changes as a table, behind a disclosure (null when no card has a summary). */
function kpiTableView(cards: readonly HTMLElement[], label: string): HTMLElement | null {
  const rows = cards.flatMap((card) => {
    const summary = summaries.get(card);
    return summary ? [summary] : [];
  });
  if (rows.length === 0) return null;
  const columns = [
    { key: "label", label: "Figure" },
    { key: "value", label: "This period", numeric: true },
    { key: "interval", label: "95% interval" },
    { key: "previous", label: "Previous period", numeric: true },
    { key: "change", label: "Change" },
  ];
  return element("details", { className: "si-kpi-table" }, element("summary", { text: "Table view" }), plainTable(rows, columns, label));
}

/** A page's footnotes: the definitions of its metrics, then, once, the rule that decides when a change gets an arrow. */
export function kpiFootnotes(metrics: readonly Metric[]): HTMLElement {
  ensureDashboardStyles();
  const rule = element("p", { className: "si-change-rule", attributes: { "data-testid": "change-rule" } }, changeRuleExplanation());
  return element("div", {}, metricFootnotes(metrics), rule);
}

/** The definitions of the metrics a page shows, as a footnote list. */
export function metricFootnotes(metrics: readonly Metric[]): HTMLElement {
  ensureDashboardStyles();
  const list = element("dl", { className: "si-footnotes" });
  const seen = new Set<string>();
  for (const metric of metrics) {
    if (seen.has(metric.id)) continue;
    seen.add(metric.id);
    list.append(element("dt", { text: metric.label, attributes: { id: `def-${metric.id}` } }), element("dd", { text: metric.definition }));
  }
  return list;
}
