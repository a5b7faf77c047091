import type { CompiledConfig } from '../config/types';
import type { MarketData } from '../market/market-data';
import { ReadOnlyPositionState } from '../rules/position-state';
import { SqlitePositionStateStore } from '../store/position-state-sqlite';
import type { Db } from '../store/journal';
import { PositionsRepo } from '../store/positions-repo';
import { RollsRepo } from '../store/rolls-repo';
import { gatherPositionView } from '../workflows/position-facts-gather';

export interface StrategyReportRow {
  readonly strategy: string;
  readonly trades: number;
  readonly wins: number;
  readonly realized_pnl: number;
  readonly open: number;
  readonly unrealized_pnl: number;
}

export interface DemoReport {
  readonly seed: number;
  /** The instant of the marks (ISO, UTC): the end of the last day played. */
  readonly as_of: string;
  readonly days: readonly string[];
  readonly starting_cash: number;
  readonly realized_pnl: number;
  readonly unrealized_pnl: number;
  readonly total_pnl: number;
  readonly trades: number;
  readonly wins: number;
  readonly win_rate_pct: number | null;
  readonly fees: number;
  /** Largest fall of the paper account's net liquidation from a previous high, dollars. */
  readonly max_drawdown: number;
  readonly orders: number;
  readonly fills: number;
  readonly per_strategy: readonly StrategyReportRow[];
  /** Positions rolled into a new one (journal position_rolls), and roll decisions that fell back to a close. */
  readonly rolls: number;
  readonly roll_fallbacks: number;
  /** Set when the journal failed a write during the run (entries were halted): the demo then exits non-zero. */
  readonly journal_failure: string | null;
}

const r2 = (x: number): number => Math.round(x * 100) / 100;

/** The closing report, from the journal (realized: its executions through the positions) and marks at `nowMs`. */
export async function demoReport(db: Db, md: MarketData, config: CompiledConfig, nowMs: number, extra: { seed: number; days: readonly string[]; starting_cash: number; max_drawdown: number; journal_failure?: string | null }): Promise<DemoReport> {
  const all = new PositionsRepo(db).list();
  // Marks only look: the persisted peaks stay as the monitor left them.
  const state = new ReadOnlyPositionState(new SqlitePositionStateStore(db));
  const rows = new Map<string, { trades: number; wins: number; realized_pnl: number; open: number; unrealized_pnl: number }>();
  const row = (s: string) => {
    let r = rows.get(s);
    if (!r) rows.set(s, (r = { trades: 0, wins: 0, realized_pnl: 0, open: 0, unrealized_pnl: 0 }));
    return r;
  };
  for (const p of all) {
    const r = row(p.strategy);
    r.realized_pnl += p.realized_pnl ?? 0;
    if (p.status === 'closed') {
      r.trades++;
      if ((p.realized_pnl ?? 0) > 0) r.wins++;
    } else {
      r.open++;
      const v = await gatherPositionView(p, md, config, nowMs, state);
      r.unrealized_pnl += v.unrealized_pnl ?? 0;
    }
  }
  const per = [...rows.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([strategy, r]) => ({ strategy, trades: r.trades, wins: r.wins, realized_pnl: r2(r.realized_pnl), open: r.open, unrealized_pnl: r2(r.unrealized_pnl) }));
  const sum = (f: (r: StrategyReportRow) => number): number => per.reduce((s, r) => s + f(r), 0);
  const fees = (db.prepare('SELECT COALESCE(SUM(commission), 0) AS f FROM executions').get() as { f: number }).f;
  const orders = (db.prepare('SELECT COUNT(*) AS n FROM orders').get() as { n: number }).n;
  const fills = (db.prepare('SELECT COUNT(*) AS n FROM executions').get() as { n: number }).n;
  const rolls = new RollsRepo(db).countBetween(0, Number.MAX_SAFE_INTEGER);
  const rollFallbacks = (db.prepare("SELECT COUNT(*) AS n FROM decisions WHERE kind = 'roll' AND action = 'close'").get() as { n: number }).n;
  const trades = sum((r) => r.trades);
  const wins = sum((r) => r.wins);
  const realized = r2(sum((r) => r.realized_pnl));
  const unrealized = r2(sum((r) => r.unrealized_pnl));
  return {
    seed: extra.seed,
    as_of: new Date(nowMs).toISOString().replace('.000Z', 'Z'),
    days: extra.days,
    starting_cash: extra.starting_cash,
    realized_pnl: realized,
    unrealized_pnl: unrealized,
    total_pnl: r2(realized + unrealized),
    trades,
    wins,
    win_rate_pct: trades > 0 ? r2((wins / trades) * 100) : null,
    fees: r2(fees),
    max_drawdown: r2(extra.max_drawdown),
    orders,
    fills,
    per_strategy: per,
    rolls,
    roll_fallbacks: rollFallbacks,
    journal_failure: extra.journal_failure ?? null,
  };
}
