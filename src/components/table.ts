/**
 * Tables with a "Download CSV" button. Cells are text nodes, whatever the value:
 * visitor fields, URLs and survey text arrive here, and none of it is parsed as
 * markup. The CSV holds every row even when the table shows the first ones only.
 */
import { toCsv } from "./csv.js";
import { element, ensureDashboardStyles } from "./style.js";

export interface TableColumn {
  key: string;
  label: string;
  /** Text for a cell; default: the value as text ("—" when missing). */
  format?: (value: unknown, row: Readonly<Record<string, unknown>>) => string;
  numeric?: boolean;
  /** Makes the cell a link; the URL is set as an attribute, the text stays text. */
  href?: (row: Readonly<Record<string, unknown>>) => string | null;
}

export interface TableOptions {
  title: string;
  /** The CSV's file name, without extension. */
  filename: string;
  columns: readonly TableColumn[];
  /** Rows shown before "Show all" (the CSV always has all). */
  limit?: number;
  /** Shown when there are no rows. */
  empty?: string;
  testId?: string;
}

function cellText(column: TableColumn, row: Readonly<Record<string, unknown>>): string {
  const value = row[column.key];
  if (column.format) return column.format(value, row);
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "number") return value.toLocaleString("en-US", { maximumFractionDigits: 2 });
  if (Array.isArray(value)) return value.join(", ");
  return String(value);
}

/** Only links inside the site: a relative or root path (never a scheme such as javascript:). */
export function safeHref(href: string | null): string | null {
  return href !== null && /^(\.{0,2}\/|\?|#)/.test(href) && !href.startsWith("//") ? href : null;
}

/** The <table> alone (also used for charts' table views). */
export function plainTable(rows: readonly Readonly<Record<string, unknown>>[], columns: readonly TableColumn[], caption?: string): HTMLTableElement {
  const table = element("table");
  if (caption) table.append(element("caption", { className: "si-sr-only", text: caption }));
  const headRow = element("tr");
  for (const column of columns) {
    headRow.append(element("th", { text: column.label, className: column.numeric ? "si-num" : "", attributes: { scope: "col" } }));
  }
  table.append(element("thead", {}, headRow));
  const body = element("tbody");
  for (const row of rows) {
    const tr = element("tr");
    for (const column of columns) {
      const text = cellText(column, row);
      const href = safeHref(column.href?.(row) ?? null);
      const content = href === null ? text : element("a", { text, attributes: { href } });
      tr.append(element("td", { className: column.numeric ? "si-num" : "" }, content));
    }
    body.append(tr);
  }
  table.append(body);
  return table;
}

export function downloadButton(label: string, filename: string, contents: () => string): HTMLButtonElement {
  const button = element("button", { className: "si-button", text: label, attributes: { type: "button" } });
  button.addEventListener("click", () => {
    const url = URL.createObjectURL(new Blob([contents()], { type: "text/csv;charset=utf-8" }));
    const link = element("a", { attributes: { href: url, download: `${filename}.csv` } });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  });
  return button;
}

export function dataTable(rows: readonly Readonly<Record<string, unknown>>[], options: TableOptions): HTMLElement {
  ensureDashboardStyles();
  const csvColumns = options.columns.map(({ key, label }) => ({ key, label }));
  const bar = element(
    "div",
    { className: "si-table-bar" },
    element("h3", { text: options.title }),
    downloadButton("Download CSV", options.filename, () => toCsv(rows, csvColumns)),
  );
  const wrap = element("div", { className: "si-table-wrap", attributes: options.testId ? { "data-testid": options.testId } : {} }, bar);
  if (rows.length === 0) {
    wrap.append(element("p", { text: options.empty ?? "No rows for this selection." }));
    return wrap;
  }
  const limit = options.limit ?? rows.length;
  const table = plainTable(rows.slice(0, limit), options.columns, options.title);
  wrap.append(table);
  if (rows.length > limit) {
    const more = element("button", { className: "si-button", text: `Show all ${rows.length} rows`, attributes: { type: "button" } });
    more.addEventListener("click", () => {
      table.replaceWith(plainTable(rows, options.columns, options.title));
      more.remove();
    });
    wrap.append(more);
  }
  return wrap;
}
