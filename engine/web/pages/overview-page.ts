import type { Overview } from '../../ops/operations';
import { esc, money, table, val, when } from '../html';
import { lineChart } from '../svg';

const STATUS_CLASS: Readonly<Record<string, string>> = { ok: 'good', failed: 'bad', missed: 'bad', refused: 'bad', skipped: 'warn', deferred: 'warn', running: '' };

const badge = (text: string, cls: string): string => `<span class="badge ${cls}">${esc(text)}</span>`;

/** Overview: mode and account, config, trading state, today's P&L, equity, schedule with last runs, alerts, actions. */
export function overviewPage(o: Overview, tasks: readonly string[], symbols: readonly string[]): string {
  const s = o.state;
  const tz = 'America/New_York';
  const halted = s.halted.halted
    ? `<div class="halted" id="trading-state">HALTED</div><div class="muted">${esc(s.halted.reason ?? '')} since ${when(s.halted.since)}</div>`
    : `<div class="v" id="trading-state">entries allowed</div>`;
  const acct = o.account ? Object.entries(o.account).map(([k, v]) => `<div><span class="muted">${esc(k)}</span> ${typeof v === 'number' ? money(v) : val(v)}</div>`).join('') : '';
  const cards = [
    `<div class="card"><div class="k">Mode</div><div class="v" id="mode">${badge(o.mode, o.mode === 'LIVE' ? 'bad' : 'good')}</div><div class="muted">${esc(o.account_label)}</div>${acct}</div>`,
    `<div class="card"><div class="k">Config</div><div class="v"><code title="${esc(o.config.hash)}">${esc(o.config.hash.slice(0, 12))}</code></div><div>${o.config.lint_ok ? badge('lint ok', 'good') : badge(`lint: ${o.config.problems.length} problem(s)`, 'bad')}</div>${o.config.problems.slice(0, 3).map((p) => `<div class="muted">${esc(p)}</div>`).join('')}</div>`,
    `<div class="card"><div class="k">Trading</div>${halted}<div>circuit breaker ${badge(s.breaker, s.breaker === 'closed' ? 'good' : 'bad')}</div><div>watchdog ${badge(s.watchdog.state, s.watchdog.state === 'overdue' ? 'bad' : '')} <span class="muted">${esc(s.watchdog.detail)}</span></div></div>`,
    `<div class="card"><div class="k">Today ${esc(o.today.date)}</div><div class="v" id="pnl-today">realized ${money(o.today.realized_pnl)}</div><div>unrealized ${money(o.today.unrealized_pnl)}</div><div class="muted">${o.today.open_positions} open position(s)</div></div>`,
  ].join('');
  const equity = lineChart(
    o.equity.map((e) => ({ x: Date.parse(`${e.date}T21:00:00Z`), y: e.net_liquidation })),
    { x: (x) => new Date(x).toISOString().slice(0, 10), y: (y) => `$${y.toFixed(2)}` },
    { id: 'equity-chart', title: 'net liquidation at each day’s close' },
  );
  const schedule = table(
    ['task', 'trigger', 'next run', 'last run', 'status', 'detail', 'last ok'],
    o.schedule.map((r) => [esc(r.task), `<span class="muted">${esc(r.trigger)}</span>`, when(r.next, tz), when(r.last_at, tz), r.last_status ? badge(r.last_status, STATUS_CLASS[r.last_status] ?? '') : '<span class="muted">never</span>', `<span class="muted">${esc(r.last_detail ?? '')}</span>`, when(r.last_ok_at, tz)]),
    'id="schedule"',
  );
  const alerts = table(['at', 'severity', 'kind', 'message'], o.alerts.map((a) => [when(a.at), badge(a.severity, a.severity === 'critical' || a.severity === 'error' ? 'bad' : a.severity === 'warning' ? 'warn' : ''), esc(a.kind), esc(a.message)]), 'id="alerts"');
  const actions = table(['at', 'action', 'origin', 'detail'], o.actions.map((a) => [when(a.at), esc(a.action), esc(a.origin), `<code>${esc(JSON.stringify(a.detail))}</code>`]), 'id="operator-actions"');
  const controls = `<div class="card actions" id="actions"><div class="k">Actions (need the token)</div>
<p><input id="halt-reason" placeholder="reason" value="halted from the dashboard"> <button class="danger" data-action="halt">Halt entries</button> <button class="secondary" data-action="resume">Resume</button></p>
<p><select id="enqueue-task">${tasks.map((t) => `<option>${esc(t)}</option>`).join('')}</select> <select id="enqueue-symbol"><option value="">all symbols</option>${symbols.map((x) => `<option>${esc(x)}</option>`).join('')}</select>
<button class="secondary" data-action="plan">Dry run</button> <button id="enqueue-confirm" data-action="enqueue" hidden>Confirm: enqueue</button></p>
<div id="action-result" class="result"></div><div id="enqueue-result" class="result"></div></div>`;
  return `<h1>Overview</h1><div class="grid">${cards}</div>
<h2>Equity</h2>${equity}
<h2>Schedule</h2>${schedule}
<div class="grid"><div><h2>Latest alerts</h2>${alerts}</div><div><h2>Operator actions</h2>${actions}</div></div>
<h2>Actions</h2>${controls}`;
}
