import { maxLossDollars } from '../risk/spread-risk';
import { addDays, exchangeDate, exchangeInstant } from '../shared/exchange-time';
import { DailyStatsRepo } from '../store/daily-stats-repo';
import { PositionsRepo } from '../store/positions-repo';
import { RollsRepo } from '../store/rolls-repo';
import { type StrategyPositionRecord } from '../model/position';
import type { Workflow } from './workflow-context';

export interface StrategyRow {
  readonly strategy: string;
  readonly closed: number;
  readonly wins: number;
  readonly realized_pnl: number;
  readonly open: number;
  readonly open_risk: number;
}

export interface DailyStats {
  readonly trading_date: string;
  readonly net_liquidation: number;
  readonly realized_pnl: number;
  readonly closed: number;
  readonly wins: number;
  /** Percent of positions closed today that made money; null when none closed. */
  readonly win_rate_pct: number | null;
  readonly fees: number;
  readonly open_positions: number;
  /** Sum of the open positions' max losses, dollars. */
  readonly open_risk: number;
  readonly per_strategy: readonly StrategyRow[];
  /** Positions rolled today (closed into a new one: journal position_rolls); their closes count in `closed`. */
  readonly rolls: number;
}

type Counts = { -readonly [K in Exclude<keyof StrategyRow, 'strategy'>]: StrategyRow[K] };

/** Pure: per-strategy rows from the journal's positions, for positions closed in [fromMs, toMs) and those still open. */
export function strategyRows(positions: readonly StrategyPositionRecord[], fromMs: number, toMs: number): StrategyRow[] {
  const rows = new Map<string, Counts>();
  const row = (s: string): Counts => {
    const r = rows.get(s) ?? { closed: 0, wins: 0, realized_pnl: 0, open: 0, open_risk: 0 };
    rows.set(s, r);
    return r;
  };
  for (const p of positions) {
    if (p.status === 'open') {
      const r = row(p.strategy);
      r.open++;
      r.open_risk += maxLossDollars(p.legs, p.entry_credit, p.quantity);
    } else if (p.closed_at !== null && p.closed_at >= fromMs && p.closed_at < toMs) {
      const r = row(p.strategy);
      r.closed++;
      r.realized_pnl += p.realized_pnl ?? 0;
      if ((p.realized_pnl ?? 0) > 0) r.wins++;
    }
  }
  return [...rows.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([strategy, r]) => ({ strategy, ...r }));
}

/** The day's P&L, win rate, fees and open risk, in total and per strategy, from the journal; re-running a day replaces its row. */
export const calculateDailyStatistics: Workflow = async (ctx, job) => {
  const now = ctx.clock.now();
  const day = exchangeDate(now);
  const from = exchangeInstant(day, '00:00');
  const to = exchangeInstant(addDays(day, 1), '00:00');
  const per = strategyRows(new PositionsRepo(ctx.db).list(), from, to);
  const sum = (f: (r: StrategyRow) => number): number => per.reduce((s, r) => s + f(r), 0);
  const closed = sum((r) => r.closed);
  const wins = sum((r) => r.wins);
  const repo = new DailyStatsRepo(ctx.db);
  const stats: DailyStats = {
    trading_date: day,
    net_liquidation: (await ctx.broker.accountSummary()).net_liquidation,
    realized_pnl: sum((r) => r.realized_pnl),
    closed,
    wins,
    win_rate_pct: closed > 0 ? (wins / closed) * 100 : null,
    fees: repo.fees(from, to),
    open_positions: sum((r) => r.open),
    open_risk: sum((r) => r.open_risk),
    per_strategy: per,
    rolls: new RollsRepo(ctx.db).countBetween(from, to),
  };
  if (!job.dry_run) repo.save(day, stats, now);
  const wr = stats.win_rate_pct === null ? '-' : `${stats.win_rate_pct.toFixed(0)}%`;
  return { summary: `${day}: realized ${stats.realized_pnl.toFixed(2)}, ${closed} closed (win rate ${wr}), fees ${stats.fees.toFixed(2)}, ${stats.rolls > 0 ? `${stats.rolls} rolled, ` : ''}${stats.open_positions} open with ${stats.open_risk.toFixed(2)} at risk`, data: stats };
};
