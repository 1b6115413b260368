/**
 * The dashboard's own CSS, added once to the document by the components that
 * need it. Only the insides of elements the components create are styled here,
 * so nothing on the page moves when it arrives; placeholders are sized in the
 * pages' markup. Colors come from the theme's variables (light and dark).
 */
const CSS = `
.si-kpis { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: .75rem; margin: 0 0 1rem; }
.si-kpi { position: relative; background: var(--theme-background-alt); border: 1px solid var(--theme-foreground-faintest); border-radius: 8px; padding: .6rem .8rem; min-height: 104px; box-sizing: border-box; }
.si-kpi .si-kpi-label { margin: 0; font-size: .85rem; font-weight: 600; color: var(--theme-foreground-muted); display: flex; gap: .3rem; align-items: center; }
.si-kpi .si-kpi-value { font-size: 1.7rem; font-weight: 700; line-height: 1.25; margin: .15rem 0; font-variant-numeric: tabular-nums; }
.si-kpi .si-kpi-change { font-size: .8rem; color: var(--theme-foreground-muted); }
.si-kpi .si-kpi-change[data-direction="up"]::before { content: "▲ "; }
.si-kpi .si-kpi-change[data-direction="down"]::before { content: "▼ "; }
.si-kpi .si-low { display: inline-block; font-size: .72rem; font-weight: 600; padding: 0 .35rem; border-radius: 4px; background: var(--theme-foreground-faintest); color: var(--theme-foreground); margin-top: .2rem; }
.si-info { cursor: pointer; font: italic 600 .72rem/1 serif; color: var(--theme-foreground-muted); background: transparent; border: 1px solid currentColor; border-radius: 50%; width: 1.1rem; height: 1.1rem; padding: 0; margin: 0; display: inline-flex; align-items: center; justify-content: center; flex: none; }
.si-info[aria-expanded="true"] { color: var(--theme-background); background: var(--theme-foreground-focus); border-color: var(--theme-foreground-focus); }
.si-kpi .si-kpi-tip { position: absolute; z-index: 2; left: .5rem; right: .5rem; top: 2.1rem; padding: .45rem .6rem; font-size: .8rem; line-height: 1.35; border-radius: 6px; background: var(--theme-background); color: var(--theme-foreground); border: 1px solid var(--theme-foreground-faint); box-shadow: 0 2px 8px rgba(0,0,0,.15); }
.si-kpi .si-kpi-tip[hidden] { display: none; }
.si-chart h3 { margin: 0 0 .25rem; font-size: 1rem; }
.si-chart .si-chart-summary { margin: .35rem 0 0; font-size: .82rem; line-height: 1.35; color: var(--theme-foreground-muted); max-width: none; height: 4.05em; overflow: hidden; display: -webkit-box; -webkit-line-clamp: 3; -webkit-box-orient: vertical; }
.si-chart details, .si-table-wrap details { font-size: .82rem; margin-top: .25rem; }
.si-chart details > summary, .si-table-wrap details > summary { cursor: pointer; color: var(--theme-foreground-muted); }
.si-table-wrap { overflow: auto; }
.si-table-wrap table { border-collapse: collapse; width: 100%; font-size: .85rem; max-width: none; }
.si-table-wrap th, .si-table-wrap td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid var(--theme-foreground-faintest); vertical-align: top; }
.si-table-wrap td.si-num, .si-table-wrap th.si-num { text-align: right; font-variant-numeric: tabular-nums; }
.si-table-wrap td { overflow-wrap: break-word; max-width: 32rem; }
.si-table-bar { display: flex; gap: .75rem; align-items: center; justify-content: space-between; margin: 0 0 .35rem; }
.si-table-bar h3 { margin: 0; font-size: 1rem; }
.si-button { font: inherit; font-size: .82rem; padding: .2rem .6rem; border-radius: 6px; border: 1px solid var(--theme-foreground-faint); background: var(--theme-background); color: var(--theme-foreground); cursor: pointer; }
.si-button[aria-pressed="true"] { background: var(--theme-foreground-focus); border-color: var(--theme-foreground-focus); color: var(--theme-background); }
.si-filters { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end; margin: 0 0 1rem; min-height: 3.2rem; }
.si-filters fieldset { border: 0; padding: 0; margin: 0; display: flex; gap: .35rem; align-items: center; flex-wrap: wrap; }
.si-filters legend, .si-filters label { font-size: .8rem; color: var(--theme-foreground-muted); }
.si-filters input[type="date"], .si-filters select { font: inherit; font-size: .85rem; padding: .15rem .3rem; background: var(--theme-background); color: var(--theme-foreground); border: 1px solid var(--theme-foreground-faint); border-radius: 6px; }
.si-filter-range { font-size: .8rem; color: var(--theme-foreground-muted); }
.si-flag { color: var(--theme-red, #c00); font-weight: 600; }
.si-footnotes dt { font-weight: 600; margin-top: .4rem; }
.si-footnotes dd { margin: 0 0 0 1rem; color: var(--theme-foreground-muted); }
.si-sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0,0,0,0); white-space: nowrap; border: 0; }
`;

export function ensureDashboardStyles(doc: Document = document): void {
  if (doc.getElementById("si-dashboard-styles")) return;
  const style = doc.createElement("style");
  style.id = "si-dashboard-styles";
  style.textContent = CSS;
  doc.head.append(style);
}

/** `document.createElement` with class and text in one call; text is always text, never markup. */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: { className?: string; text?: string; attributes?: Record<string, string> } = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (options.className) node.className = options.className;
  if (options.text !== undefined) node.textContent = options.text;
  for (const [name, value] of Object.entries(options.attributes ?? {})) node.setAttribute(name, value);
  node.append(...children);
  return node;
}
