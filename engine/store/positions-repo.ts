import type { StrategyName } from '../model/strategy-names';
import type { PositionLeg } from '../model/leg';
import type { StrategyPositionRecord } from '../model/position';
import type { Db } from './journal';
import { stmt } from './statement-cache';

interface Row {
  id: string;
  opened_by_intent: string;
  symbol: string;
  strategy: string;
  legs_json: string;
  quantity: number;
  entry_credit: number;
  entry_iv: number | null;
  entry_vix: number | null;
  entry_time: number;
  entry_deltas_json: string | null;
  peak_profit_pct: number | null;
  partial_taken: number;
  status: string;
  closed_at: number | null;
  realized_pnl: number | null;
}

const fromRow = ({ entry_deltas_json, ...r }: Row): StrategyPositionRecord => ({
  ...r,
  entry_deltas: entry_deltas_json === null ? null : (JSON.parse(entry_deltas_json) as (number | null)[]),
  strategy: r.strategy as StrategyName,
  legs: JSON.parse(r.legs_json) as PositionLeg[],
  partial_taken: r.partial_taken === 1,
  status: r.status as 'open' | 'closed',
});

/** Strategy positions: legs grouped by the intent that opened them. */
export class PositionsRepo {
  constructor(private readonly db: Db) {}

  /** Records the position an opening fill created; a replay of the same intent changes nothing. */
  open(p: Omit<StrategyPositionRecord, 'peak_profit_pct' | 'partial_taken' | 'status' | 'closed_at' | 'realized_pnl'>): boolean {
    const r = stmt(this.db, 
        `INSERT INTO strategy_positions (id, opened_by_intent, symbol, strategy, legs_json, quantity, entry_credit, entry_iv, entry_vix, entry_time, entry_deltas_json, status)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open') ON CONFLICT DO NOTHING`,
      )
      .run(p.id, p.opened_by_intent, p.symbol, p.strategy, JSON.stringify(p.legs), p.quantity, p.entry_credit, p.entry_iv, p.entry_vix, p.entry_time, p.entry_deltas == null ? null : JSON.stringify(p.entry_deltas));
    return r.changes === 1;
  }

  /** An opening order filled in several parts: the position holds every fill at their average credit. */
  setOpeningFills(id: string, openedByIntent: string, quantity: number, entryCredit: number): void {
    stmt(this.db, "UPDATE strategy_positions SET quantity = ?, entry_credit = ? WHERE id = ? AND opened_by_intent = ? AND status = 'open'").run(quantity, entryCredit, id, openedByIntent);
  }

  /** Closes the position; `realizedPnl` is added to what earlier reductions realized. */
  close(id: string, closedAt: number, realizedPnl: number): void {
    stmt(this.db, "UPDATE strategy_positions SET status = 'closed', closed_at = ?, realized_pnl = COALESCE(realized_pnl, 0) + ? WHERE id = ? AND status = 'open'").run(closedAt, realizedPnl, id);
  }

  /** Takes `quantity` sets off an open position (a REDUCE or a partly filled close), realizing their P&L. */
  reduce(id: string, quantity: number, realizedPnl: number, partialTaken: boolean): void {
    stmt(this.db, "UPDATE strategy_positions SET quantity = quantity - ?, realized_pnl = COALESCE(realized_pnl, 0) + ?, partial_taken = CASE WHEN ? THEN 1 ELSE partial_taken END WHERE id = ? AND status = 'open' AND quantity > ?")
      .run(quantity, realizedPnl, partialTaken ? 1 : 0, id, quantity);
  }

  get(id: string): StrategyPositionRecord | null {
    const r = stmt<[string], Row>(this.db, 'SELECT * FROM strategy_positions WHERE id = ?').get(id);
    return r ? fromRow(r) : null;
  }

  list(status?: 'open' | 'closed'): StrategyPositionRecord[] {
    const rows = status
      ? stmt<[string], Row>(this.db, 'SELECT * FROM strategy_positions WHERE status = ? ORDER BY entry_time, id').all(status)
      : stmt<[], Row>(this.db, 'SELECT * FROM strategy_positions ORDER BY entry_time, id').all();
    return rows.map(fromRow);
  }

  /** Realized P&L of positions closed in [fromMs, toMs). */
  realizedBetween(fromMs: number, toMs: number): number {
    return stmt<[number, number], { p: number | null }>(this.db, "SELECT SUM(realized_pnl) AS p FROM strategy_positions WHERE status = 'closed' AND closed_at >= ? AND closed_at < ?").get(fromMs, toMs)?.p ?? 0;
  }

  /** When the last position on this underlying that closed at a net loss (fees included) was closed, or null. */
  lastLosingExitAt(symbol: string): number | null {
    return stmt<[string], { t: number | null }>(this.db, "SELECT MAX(closed_at) AS t FROM strategy_positions WHERE symbol = ? AND status = 'closed' AND realized_pnl < 0").get(symbol)?.t ?? null;
  }

  openCountFor(symbol: string): number {
    return (stmt<[string], { n: number }>(this.db, "SELECT COUNT(*) AS n FROM strategy_positions WHERE symbol = ? AND status = 'open'").get(symbol)?.n ?? 0);
  }
}
