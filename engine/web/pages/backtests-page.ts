import type { BacktestReport } from '../../ops/operations';
import { esc, table, when } from '../html';

/** Backtests: the report.html files under the backtests folder, opened in place. */
export function backtestsPage(dir: string, reports: readonly BacktestReport[]): string {
  const rows = reports.map((r) => [`<a href="/backtests/file/${r.rel.split('/').map(encodeURIComponent).join('/')}" target="_blank" rel="noopener">${esc(r.rel)}</a>`, when(r.modified), `${(r.bytes / 1024).toFixed(1)} KiB`]);
  return `<h1>Backtests</h1><p class="muted">reports written by <code>thetadesk backtest --out</code> under <code>${esc(dir)}</code></p>${rows.length ? table(['report', 'written', 'size'], rows, 'id="backtests"') : '<p class="muted">no report.html there yet</p>'}`;
}
