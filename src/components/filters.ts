/**
 * The page filters: a date range (presets and custom) and select filters (skill,
 * agent, source …). Each is an input in Framework's sense (a `value` and an
 * `input` event, for `view()`), reads its initial state from the URL's query
 * string and writes every change back with `history.replaceState`, so a copied
 * link opens the same view.
 */
import {
  DATE_PRESETS,
  addDays,
  describeRange,
  previousRange,
  presetRange,
  rangeFromQuery,
  rangeLength,
  rangeToQuery,
  type DateRange,
} from "./dates.js";
import { element, ensureDashboardStyles } from "./style.js";

export interface RangeBounds {
  /** The day presets end on (the last complete day). */
  anchor: string;
  /** Earliest day with data (custom ranges are clamped to it). */
  min: string;
  /** Latest selectable day. */
  max: string;
}

function currentQuery(): URLSearchParams {
  return new URLSearchParams(window.location.search);
}

function writeQuery(query: URLSearchParams): void {
  const text = query.toString();
  const url = `${window.location.pathname}${text ? `?${text}` : ""}${window.location.hash}`;
  window.history.replaceState(window.history.state, "", url);
}

export type RangeInput = HTMLElement & { value: DateRange };

export function dateRangeInput(bounds: RangeBounds): RangeInput {
  ensureDashboardStyles();
  let value = rangeFromQuery(currentQuery(), bounds.anchor, bounds);
  const root = element("fieldset", { attributes: { "data-testid": "date-range" } }, element("legend", { text: "Period" })) as unknown as RangeInput;
  const buttons = DATE_PRESETS.map((days) => {
    const button = element("button", {
      className: "si-button",
      text: `${days} days`,
      attributes: { type: "button", "data-preset": String(days), title: `The ${days} days up to ${bounds.anchor}` },
    });
    button.addEventListener("click", () => set(presetRange(bounds.anchor, days)));
    return button;
  });
  const dateField = (label: string, key: "from" | "to"): HTMLInputElement => {
    const input = element("input", { attributes: { type: "date", min: bounds.min, max: bounds.max, "aria-label": label, "data-range": key } });
    // Typing fires input events before a date is complete; only a committed change counts.
    input.addEventListener("input", (event) => event.stopPropagation());
    // Chromium fires change for each complete date while a date is typed digit by
    // digit (the year goes 0002, 0020, 0202, 2026; the month passes 01 on the way to
    // 11): a day outside the data's bounds is not taken, nor one that would put From
    // after To (swapping them then would rewrite the other field under the keyboard).
    // That one is taken, swapped, when the reader presses Enter or leaves the field.
    const typedDay = (): string | null => {
      const day = input.value;
      return day && day >= bounds.min && day <= bounds.max ? day : null;
    };
    const commit = (day: string) => {
      const next = { ...value, [key]: day, preset: null };
      if (next.from > next.to) [next.from, next.to] = [next.to, next.from];
      set(next);
    };
    input.addEventListener("change", () => {
      const day = typedDay();
      const ordered = day !== null && (key === "from" ? day <= value.to : day >= value.from);
      if (day === null || !ordered) {
        input.setAttribute("aria-invalid", "true");
        return;
      }
      input.removeAttribute("aria-invalid");
      commit(day);
    });
    const settle = () => {
      if (input.value === value[key]) return;
      const day = typedDay();
      if (day === null) render();
      else commit(day);
    };
    input.addEventListener("blur", settle);
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") settle();
    });
    return input;
  };
  const fromInput = dateField("From (UTC day)", "from");
  const toInput = dateField("To (UTC day)", "to");
  const note = element("span", { className: "si-filter-range", attributes: { "aria-live": "polite" } });
  root.append(...buttons, element("label", { text: "from " }, fromInput), element("label", { text: "to " }, toInput), note);

  const render = () => {
    for (const button of buttons) button.setAttribute("aria-pressed", String(Number(button.dataset.preset) === value.preset));
    for (const input of [fromInput, toInput]) input.removeAttribute("aria-invalid");
    fromInput.value = value.from;
    toInput.value = value.to;
    const previous = previousRange(value);
    note.textContent = `${rangeLength(value)} days, compared with ${previous.from} to ${previous.to}`;
  };
  const set = (next: DateRange) => {
    value = rangeFromQuery(rangeToQuery(next, new URLSearchParams()), bounds.anchor, bounds);
    writeQuery(rangeToQuery(value, currentQuery()));
    render();
    root.dispatchEvent(new Event("input", { bubbles: true }));
  };
  Object.defineProperty(root, "value", { get: () => value, set: (next: DateRange) => set(next) });
  render();
  return root;
}

export interface SelectOption {
  value: string;
  label: string;
}

export type SelectInput = HTMLElement & { value: string | null };

/** A select whose state is `?<param>=<value>`; the first entry ("All …") means no filter. */
export function selectFilter(options: { param: string; label: string; allLabel: string; choices: readonly SelectOption[] }): SelectInput {
  ensureDashboardStyles();
  const allowed = new Set(options.choices.map((choice) => choice.value));
  const initial = currentQuery().get(options.param);
  let value: string | null = initial !== null && allowed.has(initial) ? initial : null;
  const select = element("select", { attributes: { name: options.param, "data-filter": options.param } });
  select.append(element("option", { text: options.allLabel, attributes: { value: "" } }));
  for (const choice of options.choices) select.append(element("option", { text: choice.label, attributes: { value: choice.value } }));
  select.value = value ?? "";
  const root = element("label", { text: `${options.label} ` }, select) as unknown as SelectInput;
  select.addEventListener("input", (event) => {
    event.stopPropagation();
    value = select.value === "" ? null : select.value;
    const query = currentQuery();
    if (value === null) query.delete(options.param);
    else query.set(options.param, value);
    writeQuery(query);
    root.dispatchEvent(new Event("input", { bubbles: true }));
  });
  Object.defineProperty(root, "value", { get: () => value });
  return root;
}

/**
 * How KPIs name their comparison ("previous 28 days", or the dates of a custom
 * range's previous period), or null when that period starts before the first
 * day with data: comparing with a partly empty period would read as growth.
 */
export function previousLabel(range: DateRange, firstDay?: string): string | null {
  const previous = previousRange(range);
  if (firstDay !== undefined && previous.from < firstDay) return null;
  return range.preset !== null ? `previous ${range.preset} days` : `${previous.from} to ${previous.to}`;
}

export { describeRange, addDays };
