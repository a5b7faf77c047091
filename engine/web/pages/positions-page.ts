import type { ClosedPanel, PositionPanel } from '../../ops/operations';
import type { TraceRule } from '../../ops/position-detail';
import { esc, factList, money, table, val, when } from '../html';
import { sparkline } from '../svg';

const legsText = (p: PositionPanel['view']['position']): string => p.legs.map((l) => `${l.action === 'SELL' ? '−' : '+'}${l.strike}${l.right}`).join(' ');

function traceRows(d: NonNullable<PositionPanel['decision']>): string[][] {
  const row = (r: TraceRule, cls: string, note: string): string[] => [`<span data-rule="${esc(r.rule)}" class="${cls}">${esc(r.rule)}</span>`, String(r.priority), note, factList(r.facts)];
  return [
    ...d.above.map((r) => row(r, 'above', 'did not fire')),
    ...(d.winner ? [row(d.winner, 'winner', '<b>fired: wins</b>')] : []),
    ...d.below.map((r) => row(r, 'below', 'not reached')),
  ];
}

function trace(panel: { readonly decision: PositionPanel['decision']; readonly view?: PositionPanel['view'] }, id: string): string {
  const d = panel.decision;
  if (!d) return '<p class="muted">no decision yet: the monitor has not looked at this position</p>';
  const rows = traceRows(d);
  const classes = [...d.above.map(() => 'above'), ...(d.winner ? ['winner'] : []), ...d.below.map(() => 'below')];
  const body = rows.map((r, i) => `<tr class="${classes[i]}">${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('');
  const head = d.winner
    ? `<b>${esc(d.decision.action.toUpperCase())}</b> by <b class="winner-rule" data-winner="${esc(d.winner.rule)}">${esc(d.winner.rule)}</b>`
    : `<b>${esc(d.decision.action.toUpperCase())}</b>: <b class="winner-rule" data-winner="">no rule fired</b>`;
  const summary = d.winner ? `trace: the ${d.above.length} rule(s) above ${esc(d.winner.rule)} did not fire, on these facts` : `trace: none of the ${d.above.length} rules fired, on these facts`;
  return `<div class="decision">${head} at ${when(d.decision.at)}: ${esc(d.decision.reason)}
<details id="trace-${esc(id)}" open><summary>${summary}</summary>
<table class="trace"><thead><tr><th>rule</th><th>priority</th><th></th><th>facts it saw</th></tr></thead><tbody>${body}</tbody></table></details></div>`;
}

/** Positions: the table `thetadesk positions` prints, then per position its facts, last decision with full trace and P&L line. */
export function positionsPage(panels: readonly PositionPanel[], closed: readonly ClosedPanel[]): string {
  const rows = panels.map(({ view: v }) => [
    `<a href="#${esc(v.position.id)}">${esc(v.position.id)}</a>`,
    esc(v.position.symbol),
    esc(v.position.strategy),
    esc(v.position.legs[0]?.expiry ?? ''),
    esc(legsText(v.position)),
    String(v.position.quantity),
    `<span class="num">${v.position.entry_credit.toFixed(2)}</span>`,
    v.close_cost === null ? 'n/a' : v.close_cost.toFixed(2),
    money(v.unrealized_pnl),
    val(v.facts.dte as unknown),
  ]);
  const tableHtml = table(['id', 'symbol', 'strategy', 'expiry', 'legs', 'qty', 'credit', 'cost to close', 'P&L', 'DTE'], rows, 'id="positions"', (i) => {
    const v = panels[i]?.view;
    return v ? `data-position-id="${esc(v.position.id)}" data-credit="${v.position.entry_credit}" data-close-cost="${v.close_cost ?? ''}" data-unrealized="${v.unrealized_pnl ?? ''}"` : '';
  });
  const cards = panels.map((p) => {
    const v = p.view;
    const points = p.pnl.map((x) => ({ x: x.at, y: x.pnl }));
    return `<section class="pos-card" id="${esc(v.position.id)}" data-position-id="${esc(v.position.id)}" data-unrealized="${v.unrealized_pnl ?? ''}">
<h3>${esc(v.position.symbol)} ${esc(v.position.strategy)} ${esc(v.position.legs[0]?.expiry ?? '')} ${esc(legsText(v.position))} ×${v.position.quantity}</h3>
<div class="grid"><div>credit ${money(v.position.entry_credit * 100 * v.position.quantity)} <span class="muted">(${v.position.entry_credit.toFixed(2)}/sh)</span><br>cost to close ${v.close_cost === null ? 'n/a' : v.close_cost.toFixed(2)}<br>P&amp;L ${money(v.unrealized_pnl)}<br>DTE ${val(v.facts.dte as unknown)} · opened ${when(v.position.entry_time)}</div>
<div><div class="muted">P&amp;L since entry (${p.pnl.length} monitor readings)</div>${sparkline(points, { title: `P&L of ${v.position.id} since entry` })}</div></div>
<h3>Facts the rules see now</h3>${factList(v.facts as unknown as Record<string, unknown>)}
<h3>Last decision</h3>${trace(p, v.position.id)}</section>`;
  });
  const done = closed.map((c) => {
    const p = c.position;
    return `<section class="pos-card closed" id="${esc(p.id)}" data-position-id="${esc(p.id)}"><h3>${esc(p.symbol)} ${esc(p.strategy)} ${esc(p.legs[0]?.expiry ?? '')} ${esc(legsText(p))} <span class="badge">closed ${when(p.closed_at)}</span></h3>
<div class="grid"><div>credit ${money(p.entry_credit * 100 * p.quantity)} · realized ${money(p.realized_pnl)}</div><div>${sparkline(c.pnl.map((x) => ({ x: x.at, y: x.pnl })), { title: `P&L of ${p.id} until it closed` })}</div></div>
<h3>The decision that closed it</h3>${trace(c, p.id)}</section>`;
  });
  return `<h1>Positions</h1>${panels.length === 0 ? '<p class="muted">no open strategy positions</p>' : tableHtml}${cards.join('')}${done.length ? `<h2>Closed in the last 7 days</h2>${done.join('')}` : ''}`;
}
