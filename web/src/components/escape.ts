/**
 * Text into HTML, for the one place where the web application writes HTML as a string: the
 * tooltips of ECharts charts (an HTML tooltip takes a formatter function's string as markup,
 * unescaped; ECharts escapes its default tooltips, string templates and valueFormatter itself).
 * Names in them — organisations, countries, regions, indicator units — are what users typed,
 * so every value is escaped; only the literal parts of an `html` template are markup. Labels,
 * axes and legends are drawn on the canvas as text and need no escaping (escaping them would
 * show the entities).
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** The text as HTML: & < > " ' as entities, so it can stand in an element or a quoted attribute. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** Markup built by `html` (its values escaped), safe to give to a tooltip as it is. */
export class SafeHtml {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

/**
 * A tagged template for tooltip markup: html`${name}<br/>${label}: ${value}` keeps the literal
 * parts and escapes every interpolated value (a SafeHtml value, already built this way, is
 * kept as it is).
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0];
  values.forEach((v, i) => {
    out += (v instanceof SafeHtml ? v.html : escapeHtml(v)) + strings[i + 1];
  });
  return new SafeHtml(out);
}

type Formatter = (...args: unknown[]) => unknown;
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A tooltip formatter whose answer is markup only when `html` built it: a plain string is text. */
function guardFormatter(f: Formatter): Formatter {
  return (...args) => {
    const out = f(...args);
    if (out instanceof SafeHtml) return out.html;
    return typeof out === 'string' ? escapeHtml(out) : out;
  };
}

function guardTooltip(t: unknown): unknown {
  if (Array.isArray(t)) return t.map(guardTooltip);
  if (isObj(t) && typeof t.formatter === 'function') return { ...t, formatter: guardFormatter(t.formatter as Formatter) };
  return t;
}

/**
 * The chart option with every tooltip formatter function (the option's and each series') made
 * safe: its string is escaped unless it is SafeHtml from `html`. A formatter that forgets
 * `html` shows its markup as text instead of running what a stored name carries. The Chart
 * component applies this to every option; tooltips on single data items are not used.
 */
export function escapeTooltips<T extends object>(option: T): T {
  const o: Obj = { ...(option as Obj) };
  if ('tooltip' in o) o.tooltip = guardTooltip(o.tooltip);
  const series = (s: unknown) => (isObj(s) && 'tooltip' in s ? { ...s, tooltip: guardTooltip(s.tooltip) } : s);
  if (Array.isArray(o.series)) o.series = o.series.map(series);
  else if ('series' in o) o.series = series(o.series);
  return o as T;
}
