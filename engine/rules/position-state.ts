import type { PositionState, PositionStateStore } from '../model/position';

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
