import { DateTime } from 'luxon';

/** Text made safe for HTML content and attribute values. */
export function esc(v: unknown): string {
  return String(v ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Dollars with two decimals and a sign class for colouring; "n/a" when unknown. */
export function money(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '<span class="muted">n/a</span>';
  return `<span class="${v < 0 ? 'neg' : v > 0 ? 'pos' : ''}">${v < 0 ? '−' : ''}$${Math.abs(v).toFixed(2)}</span>`;
}

/** A number at most `digits` decimals (facts, scores); booleans and text as they are. */
export function val(v: unknown, digits = 4): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(Number(v.toFixed(digits))) : 'n/a';
  if (v === null || v === undefined) return '<span class="muted">null</span>';
  return esc(typeof v === 'object' ? JSON.stringify(v) : String(v));
}

/** An instant in the exchange's zone (the schedule's), e.g. `Tue 01-13 10:35 EST`. */
export function when(ms: number | null | undefined, tz = 'America/New_York'): string {
  if (ms === null || ms === undefined) return '<span class="muted">–</span>';
  return `<time datetime="${new Date(ms).toISOString()}">${esc(DateTime.fromMillis(ms, { zone: tz }).toFormat('ccc LL-dd HH:mm ZZZZ'))}</time>`;
}

/** A table from header cells and rows of already-escaped cell HTML. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[], attrs = '', rowAttrs: (i: number) => string = () => ''): string {
  if (rows.length === 0) return '<p class="muted">none</p>';
  return `<table ${attrs}><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r, i) => `<tr${rowAttrs(i) ? ` ${rowAttrs(i)}` : ''}>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

/** Facts as `name value` pairs in a compact list. */
export function factList(facts: Readonly<Record<string, unknown>>): string {
  const entries = Object.entries(facts);
  if (entries.length === 0) return '<span class="muted">no facts</span>';
  return `<span class="facts">${entries.map(([k, v]) => `<span class="fact"><b>${esc(k)}</b> ${val(v)}</span>`).join(' ')}</span>`;
}
