import type { PositionState, PositionStateStore } from '../model/position';
import type { Db } from './journal';
import { stmt } from './statement-cache';

interface Row {
  peak_profit_pct: number | null;
  partial_taken: number;
}

/**
 * The rules' per-position state in the journal's strategy_positions rows, so the trailing-stop
 * peak and the partial-taken flag survive restarts (v6 kept the peak in memory and lost it).
 */
export class SqlitePositionStateStore implements PositionStateStore {
  private readonly read;
  private readonly raise;
  private readonly partial;

  constructor(db: Db) {
    this.read = stmt<[string], Row>(db, 'SELECT peak_profit_pct, partial_taken FROM strategy_positions WHERE id = ?');
    // MAX in SQL: the peak only ever rises, even if two monitors race on the same position.
    this.raise = stmt<[number, number, string]>(db, 
      'UPDATE strategy_positions SET peak_profit_pct = CASE WHEN peak_profit_pct IS NULL OR peak_profit_pct < ? THEN ? ELSE peak_profit_pct END WHERE id = ?',
    );
    this.partial = stmt<[string]>(db, 'UPDATE strategy_positions SET partial_taken = 1 WHERE id = ?');
  }

  get(positionId: string): PositionState {
    const r = this.read.get(positionId);
    return r ? { peak_profit_pct: r.peak_profit_pct, partial_taken: r.partial_taken === 1 } : { peak_profit_pct: null, partial_taken: false };
  }

  observeProfit(positionId: string, profitPct: number): PositionState {
    if (Number.isFinite(profitPct)) this.raise.run(profitPct, profitPct, positionId);
    return this.get(positionId);
  }

  markPartialTaken(positionId: string): void {
    this.partial.run(positionId);
  }
}
