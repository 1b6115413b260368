/**
 * KPI cards. Each carries `data-metric` (the metric id), `data-value` (the raw
 * number, empty when there is none), `data-n` (cases behind it) and
 * `data-previous` (the previous period's raw value), so tests and
 * scrapers read the figure without parsing formatted text; the change against the
 * previous period and a low-confidence mark (n < MIN_CASES) are shown with it.
 */
import { compareToPrevious, formatValue } from "./format.js";
import { MIN_CASES, type Metric, type MetricResult } from "./metric-kinds.js";
import type { Row } from "./rows.js";
import { element, ensureDashboardStyles } from "./style.js";

export interface KpiInput {
  metric: Metric;
  current: MetricResult;
  previous?: MetricResult | undefined;
  /** How the previous period is named, e.g. "previous 28 days". */
  previousLabel?: string;
}

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

export function kpiCard({ metric, current, previous, previousLabel = "previous period" }: KpiInput): HTMLElement {
  ensureDashboardStyles();
  const id = `si-kpi-${++kpiCount}`;
  const shownValue = formatValue(metric.unit, current.value);
  const previousText = previous ? `${previousLabel[0]?.toUpperCase() ?? ""}${previousLabel.slice(1)}: ${formatValue(metric.unit, previous.value)}.` : "";
  const { button, tip } = definitionToggle(`${id}-definition`, metric.label, previousText ? `${metric.definition} ${previousText}` : metric.definition);
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
  const change = previous ? compareToPrevious(metric.unit, current.value, previous.value) : null;
  const changeLine = element("div", {
    className: "si-kpi-change",
    text: change ? `${change.text} vs ${previousLabel}` : previous ? `no comparison with ${previousLabel}` : "",
  });
  if (change) {
    changeLine.dataset.direction = change.direction;
    changeLine.title = `${previousLabel}: ${formatValue(metric.unit, previous?.value ?? null)}`;
  }
  card.append(changeLine);
  if (metric.kind === "estimate" && current.lowConfidence && current.value !== null) {
    card.dataset.lowConfidence = "true";
    card.append(element("span", { className: "si-low", text: `low confidence: n = ${current.n} < ${MIN_CASES}` }));
  }
  card.append(tip);
  return card;
}

/**
 * A KPI computed from current and previous rows with the metric's own function.
 * A null label (see filters.previousLabel) means there is no full previous
 * period to compare with: the card says so instead of showing a change.
 */
export function kpiFor(metric: Metric, currentRows: readonly Row[], previousRows?: readonly Row[], previousLabel?: string | null): HTMLElement {
  const card = kpiCard({
    metric,
    current: metric.compute(currentRows),
    previous: previousRows && previousLabel !== null ? metric.compute(previousRows) : undefined,
    previousLabel: previousLabel ?? undefined,
  });
  if (previousLabel === null) {
    const line = card.querySelector(".si-kpi-change");
    if (line) line.textContent = "no full earlier period to compare with";
  }
  return card;
}

export function kpiGrid(cards: readonly HTMLElement[], label = "Key figures"): HTMLElement {
  ensureDashboardStyles();
  return element("section", { className: "si-kpis", attributes: { "aria-label": label } }, ...cards);
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
