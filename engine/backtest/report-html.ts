import * as fs from 'node:fs';

/** uPlot's files, from the installed package (bundled into the page: it opens from disk, with no network). */
function uplotAssets(): { js: string; css: string } {
  const js = fs.readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8');
  const css = fs.readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8');
  return { js, css };
}

/** Text safe inside a <script> element: no `</script` can end it early. */
const inScript = (s: string): string => s.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');

const esc = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);

/*
 * The page's own script: reads the report from the JSON island and draws with uPlot. Kept as plain
 * browser JavaScript (no build step); the browser test checks it runs without console errors.
 */
const PAGE_SCRIPT = String.raw`
const R = JSON.parse(document.getElementById('report-data').textContent);
const money = (x) => x === null || x === undefined ? '–' : (x < 0 ? '-$' : '$') + Math.abs(x).toFixed(2);
// Each point on its date's tick (the browser's zone draws the axis): local midnight of the date.
const day = (d) => new Date(d + 'T00:00:00').getTime() / 1000;
const width = () => Math.max(320, document.getElementById('equity').clientWidth);
const runs = [{ label: R.compare ? 'A: config ' + R.config_dir : 'equity', equity: R.equity, color: '#2563eb' }];
if (R.compare) runs.push({ label: 'B: config ' + R.compare.config_dir, equity: R.compare.equity, color: '#db2777' });
const xs = R.equity.map((e) => day(e.date));
new uPlot({ title: 'Equity (net liquidation, end of day)', width: width(), height: 300, series: [{}, ...runs.map((r) => ({ label: r.label, stroke: r.color, width: 2, value: (u, v) => money(v) }))], axes: [{}, { size: 80, values: (u, v) => v.map((x) => '$' + Math.round(x)) }] }, [xs, ...runs.map((r) => r.equity.map((e) => e.equity))], document.getElementById('equity'));
new uPlot({ title: 'Drawdown from the previous high', width: width(), height: 200, series: [{}, ...runs.map((r) => ({ label: r.label, stroke: r.color, fill: r.color + '33', width: 1, value: (u, v) => money(v) }))], axes: [{}, { size: 80, values: (u, v) => v.map((x) => '-$' + Math.round(x)) }] }, [xs, ...runs.map((r) => r.equity.map((e) => -e.drawdown))], document.getElementById('drawdown'));
const months = R.monthly.map((m, i) => i);
new uPlot({ title: 'Realized P&L per month', width: width(), height: 220, scales: { x: { time: false, range: [-0.5, R.monthly.length - 0.5] } }, series: [{ label: 'month', value: (u, i) => R.monthly[i] ? R.monthly[i].month : '' }, { label: 'realized', stroke: '#0f766e', fill: '#0f766e88', paths: uPlot.paths.bars({ size: [0.6, 60] }), points: { show: false }, value: (u, v) => money(v) }], axes: [{ splits: () => months, values: (u, v) => v.map((i) => R.monthly[i] ? R.monthly[i].month : '') }, { size: 80, values: (u, v) => v.map((x) => '$' + Math.round(x)) }] }, [months, R.monthly.map((m) => m.realized_pnl)], document.getElementById('monthly'));
`;

function table(id: string, head: readonly string[], rows: ReadonlyArray<readonly (string | number | null)[]>): string {
  const cell = (v: string | number | null): string => `<td>${v === null ? '–' : esc(String(v))}</td>`;
  return `<table id="${id}"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('')}</tbody></table>`;
}

export interface HtmlReport {
  readonly from: string;
  readonly to: string;
  readonly seed: number;
  readonly market: string;
  readonly config_dir: string;
  readonly config_hash: string;
  readonly summary: object;
  readonly rules: ReadonlyArray<{ rule: string; count: number; total_pnl: number; avg_pnl: number | null; avg_days_held: number | null }>;
  readonly gates: ReadonlyArray<{ gate: string; refused: number }>;
  readonly trades: ReadonlyArray<object>;
  readonly compare?: { readonly config_dir: string; readonly diff: ReadonlyArray<object>; readonly by_change?: ReadonlyArray<{ readonly change: string; readonly positions: number; readonly pnl_a: number; readonly pnl_b: number; readonly pnl_diff: number }>; readonly summary: object; readonly equity: ReadonlyArray<{ readonly date: string; readonly equity: number; readonly drawdown: number }> } | null;
}

const money = (x: unknown): string => (typeof x === 'number' ? `${x < 0 ? '-' : ''}$${Math.abs(x).toFixed(2)}` : '–');

/** The report as one HTML file: uPlot and its CSS inline, the data as a JSON island, tables as HTML. */
export function reportHtml(report: HtmlReport): string {
  const { js, css } = uplotAssets();
  const s = report.summary as Record<string, unknown>;
  const cards = [
    ['Total P&L', money(s.total_pnl)],
    ['Realized', money(s.realized_pnl)],
    ['Unrealized', money(s.unrealized_pnl)],
    ['Trades', String(s.trades)],
    ['Win rate', s.win_rate_pct === null ? '–' : `${String(s.win_rate_pct)}%`],
    ['Max drawdown', money(s.max_drawdown)],
    ['Worst trade', money(s.worst_trade)],
    ['Fees', money(s.fees)],
  ];
  const compare = report.compare
    ? `<h2>Compare: ${esc(report.config_dir)} (A) vs ${esc(report.compare.config_dir)} (B)</h2><p>B total P&L ${money((report.compare.summary as Record<string, unknown>).total_pnl)}, trades ${String((report.compare.summary as Record<string, unknown>).trades)}, max drawdown ${money((report.compare.summary as Record<string, unknown>).max_drawdown)}. Decisions that differed:</p>` +
      table('diff-table', ['date', 'position', 'A', 'B', 'P&L A', 'P&L B'], (report.compare.diff as ReadonlyArray<Record<string, unknown>>).map((d) => [String(d.date ?? ''), String(d.position ?? ''), String(d.a ?? ''), String(d.b ?? ''), money(d.pnl_a), money(d.pnl_b)])) +
      '<p>P&amp;L difference per change of decision (B − A):</p>' +
      table('change-table', ['change', 'positions', 'P&L A', 'P&L B', 'B − A'], (report.compare.by_change ?? []).map((g) => [g.change, g.positions, money(g.pnl_a), money(g.pnl_b), money(g.pnl_diff)]))
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>thetadesk backtest ${esc(report.from)} … ${esc(report.to)}</title>
<style>${css}
body{font:14px/1.4 system-ui,sans-serif;margin:24px auto;max-width:1100px;padding:0 16px;color:#111}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}.card{border:1px solid #ddd;border-radius:8px;padding:10px 14px;min-width:110px}.card b{display:block;font-size:18px}
table{border-collapse:collapse;margin:8px 0 24px;width:100%}th,td{border-bottom:1px solid #eee;padding:4px 8px;text-align:right}th:first-child,td:first-child{text-align:left}
.chart{margin:12px 0}</style></head>
<body>
<h1>Backtest ${esc(report.from)} … ${esc(report.to)}</h1>
<p>Market ${esc(report.market)}, seed ${report.seed}, config ${esc(report.config_dir)} (${esc(report.config_hash.slice(0, 12))}), ${String(s.trading_days)} trading days.</p>
<div class="cards">${cards.map(([k, v]) => `<div class="card">${esc(k as string)}<b>${esc(v as string)}</b></div>`).join('')}</div>
<div id="equity" class="chart"></div><div id="drawdown" class="chart"></div><div id="monthly" class="chart"></div>
<h2>Exit rules</h2>
${table('rules-table', ['rule', 'closed', 'total P&L', 'avg P&L', 'avg days held'], report.rules.map((r) => [r.rule, r.count, r.total_pnl.toFixed(2), r.avg_pnl === null ? null : r.avg_pnl.toFixed(2), r.avg_days_held === null ? null : r.avg_days_held.toFixed(1)]))}
<h2>Entry gates</h2>
${table('gates-table', ['gate', 'candidates refused'], report.gates.map((g) => [g.gate, g.refused]))}
${compare}
<h2>Trades</h2>
${table('trades-table', ['entry', 'exit', 'symbol', 'strategy', 'strikes', 'credit', 'exit debit', 'fees', 'P&L', 'exit rule', 'days'], (report.trades as ReadonlyArray<Record<string, unknown>>).map((t) => [String(t.entry_time), (t.exit_time as string | null) ?? null, String(t.symbol), String(t.strategy), String(t.strikes), String(t.credit), (t.exit_debit as number | null) ?? null, String(t.fees), (t.pnl as number | null) ?? null, (t.exit_rule as string | null) ?? null, String(t.days_held)]))}
<script>${inScript(js)}</script>
<script type="application/json" id="report-data">${inScript(JSON.stringify(report))}</script>
<script>${inScript(PAGE_SCRIPT)}</script>
</body></html>
`;
}
