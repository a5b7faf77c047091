import type { DecisionRecord } from '../../ops/operations';
import { esc, factList, table, when } from '../html';

export interface DecisionsQuery {
  readonly date: string;
  readonly symbol: string;
  readonly rule: string;
  readonly action: string;
  readonly kind: string;
  readonly all: boolean;
}

const traceOf = (d: DecisionRecord): string => {
  if (Array.isArray(d.trace)) return table(['rule', 'fired', 'facts'], (d.trace as Array<{ rule: string; fired: boolean; facts: Record<string, unknown> }>).map((r) => [esc(r.rule), r.fired ? '<b class="pos">fired</b>' : '', factList(r.facts ?? {})]));
  const g = (d.trace as { gates?: Array<{ gate: string; passed: boolean; facts: Record<string, unknown> }> } | null)?.gates ?? [];
  return table(['gate', 'result', 'facts'], g.map((x) => [esc(x.gate), x.passed ? 'holds' : '<b class="neg">refused</b>', factList(x.facts ?? {})]));
};

/** Decisions: the journal's rules decisions with filters, each with its trace. */
export function decisionsPage(rows: readonly DecisionRecord[], q: DecisionsQuery, limit: number): string {
  const sel = (name: string, value: string, options: readonly string[]): string => `<label>${name}<select name="${name}">${['', ...options].map((o) => `<option${o === value ? ' selected' : ''}>${esc(o)}</option>`).join('')}</select></label>`;
  const form = `<form class="filters" method="get"><label>date<input type="date" name="date" value="${esc(q.date)}"></label><label>symbol<input name="symbol" value="${esc(q.symbol)}" size="6"></label><label>rule<input name="rule" value="${esc(q.rule)}" size="14"></label>${sel('action', q.action, ['hold', 'close', 'reduce', 'roll', 'alert', 'enter', 'skip'])}${sel('kind', q.kind, ['exit', 'entry'])}<label>holds too<input type="checkbox" name="all" value="1"${q.all ? ' checked' : ''}></label><button>Filter</button></form>`;
  const body = rows
    .slice()
    .reverse()
    .map((d, i) => [when(d.at), esc(d.kind), `<code>${esc(d.subject)}</code>`, `<b>${esc(d.action)}</b>`, d.rule ? `<span class="rule">${esc(d.rule)}</span>` : '', `${esc(d.reason)}<details id="d-${i}-${d.at}"><summary>trace</summary>${traceOf(d)}</details>`]);
  return `<h1>Decisions</h1>${form}<p class="muted">${rows.length === limit ? `the newest ${limit}` : rows.length} decision(s)${q.all ? '' : ', monitor holds left out'}; newest first</p>${table(['at', 'kind', 'subject', 'action', 'rule', 'reason'], body, 'id="decisions"')}`;
}
