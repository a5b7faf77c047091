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

export class InMemoryPositionStateStore implements PositionStateStore {
  private readonly states = new Map<string, PositionState>();

  get(positionId: string): PositionState {
    return this.states.get(positionId) ?? { peak_profit_pct: null, partial_taken: false };
  }

  observeProfit(positionId: string, profitPct: number): PositionState {
    const cur = this.get(positionId);
    if (!Number.isFinite(profitPct)) return cur;
    const peak = cur.peak_profit_pct === null ? profitPct : Math.max(cur.peak_profit_pct, profitPct);
    const next = { ...cur, peak_profit_pct: peak };
    this.states.set(positionId, next);
    return next;
  }

  markPartialTaken(positionId: string): void {
    this.states.set(positionId, { ...this.get(positionId), partial_taken: true });
  }
}

/**
 * Sees the persisted state and what an observation would make of it, but writes nothing: for
 * looks (`thetadesk positions`, reports) and dry runs, which must not move a trailing peak.
 */
export class ReadOnlyPositionState implements PositionStateStore {
  constructor(private readonly inner: PositionStateStore) {}

  get(positionId: string): PositionState {
    return this.inner.get(positionId);
  }

  observeProfit(positionId: string, profitPct: number): PositionState {
    const cur = this.inner.get(positionId);
    return { ...cur, peak_profit_pct: cur.peak_profit_pct === null ? profitPct : Math.max(cur.peak_profit_pct, profitPct) };
  }

  markPartialTaken(): void {
    // read-only: nothing is written
  }
}
