/**
 * A chart with its title, a one-paragraph text summary and a table view, for
 * readers who cannot see the plot (screen readers read the summary; the table
 * sits behind a disclosure). The plot keeps a fixed height and is re-rendered to
 * the frame's width, so the page does not move when data or width changes.
 */
import { element, ensureDashboardStyles } from "./style.js";
import { toCsv } from "./csv.js";
import { downloadButton, plainTable, type TableColumn } from "./table.js";

export interface ChartOptions {
  title: string;
  /** What the chart shows, in a sentence or two with the main figures. */
  summary: string;
  /** Plot height in pixels (the render function must use it). */
  height: number;
  render: (width: number, height: number) => Element;
  table?: { rows: readonly Readonly<Record<string, unknown>>[]; columns: readonly TableColumn[] };
}

let chartCount = 0;

/**
 * Chart titles are h3, right under a section's h2; a chart right under the page's
 * h1 (the overview's, an agent's) would skip a level. Once the frame is in the page,
 * its title takes the level after the nearest heading before it that is not
 * another chart's or table's title (as `aria-level`; it looks the same).
 */
function followOutline(title: HTMLElement): void {
  let level = 0;
  for (const heading of document.querySelectorAll<HTMLElement>("h1, h2, h3, h4, h5, h6, [role=heading]")) {
    if (!(heading.compareDocumentPosition(title) & Node.DOCUMENT_POSITION_FOLLOWING)) break;
    if (heading.closest(".si-chart, .si-table-bar")) continue;
    level = Number(heading.getAttribute("aria-level") ?? heading.tagName.slice(1)) || level;
  }
  if (level > 0 && level + 1 !== 3) title.setAttribute("aria-level", String(Math.min(6, level + 1)));
}

/**
 * Plot names its marks and axes with `aria-label` on SVG `<g>` elements that have
 * no role ("rect", "x-axis tick" …), which ARIA does not allow there and screen
 * readers ignore or misread; inside the frame's image they would only repeat what
 * the title and summary say. So they go, with any `aria-description`, and the
 * plot's own elements are hidden from the accessibility tree: the frame's
 * `role="img"`, title and summary stand for the whole chart.
 */
function asImageContent<T extends Element>(rendered: T): T {
  for (const node of [rendered, ...rendered.querySelectorAll("[aria-label], [aria-description]")]) {
    if (node.hasAttribute("role")) continue;
    node.removeAttribute("aria-label");
    node.removeAttribute("aria-description");
  }
  rendered.setAttribute("aria-hidden", "true");
  return rendered;
}

/** Below this width (a transient layout while the page settles) a plot would have negative room; wait for the real width. */
const MIN_RENDER_WIDTH = 200;

export function chartFrame(options: ChartOptions): HTMLElement {
  ensureDashboardStyles();
  const id = `si-chart-${++chartCount}`;
  // Three lines at most on screen (the box keeps its height); the whole text stays in the DOM for screen readers and in the tooltip.
  const summary = element("p", { className: "si-chart-summary", text: options.summary, attributes: { id: `${id}-summary`, title: options.summary } });
  // The plot is one image named by the chart's title and described by its summary, which a screen reader announces with it.
  const plot = element("div", {
    className: "si-chart-plot",
    attributes: { role: "img", "aria-label": options.title, "aria-describedby": `${id}-summary` },
  });
  plot.style.minHeight = `${options.height}px`;
  plot.style.position = "relative";
  const title = element("h3", { text: options.title, attributes: { id: `${id}-title` } });
  const figure = element(
    "figure",
    { className: "si-chart", attributes: { style: "margin:0;max-width:none", "aria-labelledby": `${id}-title` } },
    title,
    plot,
    summary,
  );
  if (options.table) {
    const details = element("details", {}, element("summary", { text: "Table view" }));
    // Built on first open: large tables cost nothing until someone asks for them.
    const table = options.table;
    details.addEventListener("toggle", () => {
      if (details.open && details.children.length === 1) {
        const filename = options.title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
        const csv = () => toCsv(table.rows, table.columns.map(({ key, label }) => ({ key, label })));
        details.append(downloadButton("Download CSV", filename || "chart", csv), plainTable(table.rows, table.columns, options.title));
      }
    });
    figure.append(details);
  }
  let renderedWidth = -1;
  const draw = (width: number) => {
    if (width < MIN_RENDER_WIDTH || width === renderedWidth) return;
    renderedWidth = width;
    plot.replaceChildren(asImageContent(options.render(width, options.height)));
  };
  let attached = false;
  const observer = new ResizeObserver(([entry]) => {
    // A frame replaced by a newer one (the page re-ran the cell) stops observing.
    if (attached && !plot.isConnected) {
      observer.disconnect();
      return;
    }
    if (!attached && plot.isConnected) followOutline(title);
    attached ||= plot.isConnected;
    draw(Math.floor(entry?.contentRect.width ?? 0));
  });
  observer.observe(plot);
  return figure;
}
