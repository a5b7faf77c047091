/**
 * IV rank = (iv − min) / (max − min) × 100 over the lookback; IV percentile = share of days in the
 * lookback whose IV was below today's, in percent. Both 0..100. With a flat history the rank is 50
 * (no information either way) rather than a division by zero.
 */
export interface IvStanding {
  readonly iv_rank: number;
  readonly iv_percentile: number;
}

export function ivStanding(current: number, history: readonly number[]): IvStanding {
  if (history.length === 0) throw new RangeError('IV history is empty: at least one day is needed for IV rank');
  let min = Infinity;
  let max = -Infinity;
  let below = 0;
  for (const v of history) {
    if (v < min) min = v;
    if (v > max) max = v;
    if (v < current) below++;
  }
  const span = max - min;
  const rank = span > 0 ? ((current - min) / span) * 100 : 50;
  return { iv_rank: Math.min(100, Math.max(0, rank)), iv_percentile: (below / history.length) * 100 };
}
