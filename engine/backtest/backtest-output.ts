import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BacktestResult } from './backtest-report';
import type { CompareResult } from './backtest-compare';
import type { BacktestRun } from './backtest-run';
import { tradesCsv } from './backtest-trades';
import { reportHtml } from './report-html';

export interface BacktestMeta {
  readonly created_at: string;
  readonly from: string;
  readonly to: string;
  readonly seed: number;
  readonly market: string;
  readonly symbols: readonly string[];
  readonly config_hash: string;
  readonly config_dir: string;
  readonly runner: string;
}

export interface CompareSection extends CompareResult {
  readonly config_dir: string;
  readonly config_hash: string;
  readonly summary: BacktestResult['summary'];
  readonly equity: BacktestResult['equity'];
  readonly rules: BacktestResult['rules'];
}

/** report.json: `kind` and `version` say what reads it. */
export interface BacktestDocument extends BacktestMeta, BacktestResult {
  readonly kind: 'thetadesk-backtest';
  readonly version: 1;
  readonly compare: CompareSection | null;
}

export function backtestDocument(meta: BacktestMeta, run: BacktestRun, compare: CompareSection | null): BacktestDocument {
  return { kind: 'thetadesk-backtest', version: 1, ...meta, summary: run.summary, equity: run.equity, monthly: run.monthly, rules: run.rules, gates: run.gates, trades: run.trades, compare };
}

/** Writes report.json, trades.csv and report.html into DIR (made if missing); returns their paths. */
export function writeBacktestOutput(dir: string, doc: BacktestDocument): { json: string; csv: string; html: string } {
  fs.mkdirSync(dir, { recursive: true });
  const out = { json: path.join(dir, 'report.json'), csv: path.join(dir, 'trades.csv'), html: path.join(dir, 'report.html') };
  fs.writeFileSync(out.json, `${JSON.stringify(doc, null, 2)}\n`);
  fs.writeFileSync(out.csv, tradesCsv(doc.trades));
  fs.writeFileSync(out.html, reportHtml(doc));
  return out;
}

const money = (x: number | null): string => (x === null ? '–' : `${x < 0 ? '-' : ''}$${Math.abs(x).toFixed(2)}`);

/** The closing lines for a terminal. */
export function backtestLines(doc: BacktestDocument): string[] {
  const s = doc.summary;
  const out = [
    `Backtest ${doc.from} … ${doc.to} — ${s.trading_days} trading days, market ${doc.market}, seed ${doc.seed}, ${doc.symbols.join(' ')}, config ${doc.config_dir} (${doc.config_hash.slice(0, 12)}), runner ${doc.runner}`,
    `  P&L: total ${money(s.total_pnl)} (realized ${money(s.realized_pnl)}, unrealized ${money(s.unrealized_pnl)}), fees ${money(s.fees)}, max drawdown ${money(s.max_drawdown)}, worst trade ${money(s.worst_trade)}`,
    `  trades closed ${s.trades}, win rate ${s.win_rate_pct === null ? '–' : `${s.win_rate_pct.toFixed(1)}%`}, entries ${s.entries}, open at the end ${s.open_positions}`,
    '  exit rule              closed   total P&L    avg P&L  avg days',
    ...doc.rules.map((r) => `  ${r.rule.padEnd(22)} ${String(r.count).padStart(6)} ${money(r.total_pnl).padStart(11)} ${money(r.avg_pnl).padStart(10)} ${(r.avg_days_held === null ? '–' : r.avg_days_held.toFixed(1)).padStart(9)}`),
    `  entry audit: ${s.audit.entries_in_loss_cooldown} entries inside a ${s.audit.loss_cooldown_days}-trading-day loss cool-down, ${s.audit.entries_duplicating_open} duplicating an open position`,
    `  entry gates refused: ${doc.gates.filter((g) => g.refused > 0).map((g) => `${g.gate} ${g.refused}`).join(', ') || 'none'}`,
  ];
  if (s.open_past_expiry > 0) out.push(`  WARNING: ${s.open_past_expiry} position(s) still open in the journal past their expiry (legs still at the broker, or no sync_positions run since their settlement: see the expired_legs_held alerts): their P&L is missing from realized`);
  if (s.journal_failure) out.push(`  JOURNAL FAILED: ${s.journal_failure}`);
  const c = doc.compare;
  if (c) {
    out.push('', `Compare: A ${doc.config_dir} vs B ${c.config_dir}: total P&L A ${money(s.total_pnl)}, B ${money(c.summary.total_pnl)}; ${c.diff.length} decision(s) differed (entries only in A ${c.entries_only_a}, only in B ${c.entries_only_b})`);
    for (const d of c.diff) out.push(`  ${d.date} ${d.position}: ${d.kind === 'entry' ? `entry: A ${d.a}, B ${d.b}` : `A ${d.a} (${money(d.pnl_a)}) vs B ${d.b} (${money(d.pnl_b)})`}`);
    if (c.by_change.length > 0) out.push('  P&L difference per change (B − A):');
    for (const g of c.by_change) out.push(`    ${g.change.padEnd(40)} ${String(g.positions).padStart(4)} position(s)  ${money(g.pnl_diff)}`);
  }
  return out;
}
