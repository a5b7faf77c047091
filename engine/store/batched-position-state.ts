import type { PositionState, PositionStateStore } from '../model/position';
import type { WriteBatch } from './write-batch';

/**
 * The persisted per-position state with its writes deferred to a WriteBatch: reads see what this
 * cycle observed; the peak reaches the journal when the batch commits (a crash before that loses
 * only this cycle's observation, which the next cycle makes again).
 */
export class BatchedPositionState implements PositionStateStore {
  private readonly seen = new Map<string, PositionState>();

  constructor(
    private readonly inner: PositionStateStore,
    private readonly batch: WriteBatch,
  ) {}

  get(positionId: string): PositionState {
    return this.seen.get(positionId) ?? this.inner.get(positionId);
  }

  observeProfit(positionId: string, profitPct: number): PositionState {
    const cur = this.get(positionId);
    if (!Number.isFinite(profitPct)) return cur;
    const next = { ...cur, peak_profit_pct: cur.peak_profit_pct === null ? profitPct : Math.max(cur.peak_profit_pct, profitPct) };
    this.seen.set(positionId, next);
    this.batch.add(() => this.inner.observeProfit(positionId, profitPct));
    return next;
  }

  markPartialTaken(positionId: string): void {
    this.seen.set(positionId, { ...this.get(positionId), partial_taken: true });
    this.batch.add(() => this.inner.markPartialTaken(positionId));
  }
}
