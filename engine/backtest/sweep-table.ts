import type { BacktestSummary } from '../queue/backtest-jobs';
import type { SummaryKey } from './sweep-spec';
import type { ParamValue } from './sweep-expand';

export interface SweepRow {
  /** 1 = best; null for a variant that did not finish. */
  readonly rank: number | null;
  readonly variant: string;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly config_hash: string;
  readonly status: 'completed' | 'failed' | 'timeout';
  readonly summary: BacktestSummary | null;
  readonly error: string | null;
  readonly worker: string | null;
  readonly ms: number | null;
}

type Unranked = Omit<SweepRow, 'rank'>;

/** Finished variants best first by `key` (then realized P&L, then name); unfinished ones last, unranked. */
export function rankRows(rows: readonly Unranked[], key: SummaryKey, order: 'asc' | 'desc'): SweepRow[] {
  const sign = order === 'desc' ? -1 : 1;
  const val = (r: Unranked): number | null => r.summary?.[key] ?? null;
  const done = rows
    .filter((r) => r.status === 'completed' && r.summary)
    .sort((a, b) => {
      const va = val(a);
      const vb = val(b);
      if (va === null || vb === null) return va === vb ? 0 : va === null ? 1 : -1;
      return sign * (va - vb) || (b.summary as BacktestSummary).realized_pnl - (a.summary as BacktestSummary).realized_pnl || a.variant.localeCompare(b.variant);
    });
  const rest = rows.filter((r) => !done.includes(r)).sort((a, b) => a.variant.localeCompare(b.variant));
  return [...done.map((r, i) => ({ rank: i + 1, ...r })), ...rest.map((r) => ({ rank: null, ...r }))];
}

const money = (x: number): string => x.toFixed(2);

/** The ranked table as text: one line a variant, its parameters as columns. */
export function formatSweepTable(rows: readonly SweepRow[], axes: readonly string[], key: SummaryKey): string[] {
  const head = ['#', ...axes, 'days', 'trades', 'win%', 'realized', 'unrealized', 'fees', 'max dd', 'worker'];
  const body = rows.map((r) => {
    const s = r.summary;
    const params = axes.map((a) => String(r.params[a]));
    if (!s) return [r.rank === null ? '-' : String(r.rank), ...params, r.status, r.error ?? '', '', '', '', '', '', r.worker ?? ''];
    return [String(r.rank), ...params, String(s.trading_days), String(s.trades), s.win_rate_pct === null ? '-' : s.win_rate_pct.toFixed(1), money(s.realized_pnl), money(s.unrealized_pnl), money(s.fees), money(s.max_drawdown), r.worker ?? ''];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i > 0 && i <= axes.length ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ').trimEnd();
  return [`ranked by ${key}`, line(head), ...body.map(line)];
}
