import type { PositionLeg } from './leg';
import type { StrategyName } from './strategy-names';

/**
 * Per-position state the exit rules read and that must survive restarts (v6 kept the trailing
 * peak in memory and lost it on every restart). Synchronous because the journal (better-sqlite3)
 * is; an in-memory implementation serves tests and `thetadesk decide`.
 */
export interface PositionState {
  /** Highest profit_pct seen since entry; null before the first observation. */
  readonly peak_profit_pct: number | null;
  readonly partial_taken: boolean;
}

export interface PositionStateStore {
  /** The state of a position; `{peak_profit_pct: null, partial_taken: false}` when unknown. */
  get(positionId: string): PositionState;
  /** Raises the stored peak when profitPct is higher (never lowers it); returns the new state. */
  observeProfit(positionId: string, profitPct: number): PositionState;
  markPartialTaken(positionId: string): void;
}

/** A strategy position as the journal keeps it: legs grouped by the intent that opened them. */
export interface StrategyPositionRecord {
  readonly id: string;
  readonly opened_by_intent: string;
  readonly symbol: string;
  readonly strategy: StrategyName;
  readonly legs: readonly PositionLeg[];
  readonly quantity: number;
  /** Net credit per share received at entry (positive). */
  readonly entry_credit: number;
  readonly entry_iv: number | null;
  readonly entry_vix: number | null;
  readonly entry_time: number;
  /** Signed deltas of the legs at entry, aligned with `legs`; null (or absent) when unknown: opened before the journal kept them (v3). */
  readonly entry_deltas?: readonly (number | null)[] | null;
  readonly peak_profit_pct: number | null;
  readonly partial_taken: boolean;
  readonly status: 'open' | 'closed';
  readonly closed_at: number | null;
  readonly realized_pnl: number | null;
}
