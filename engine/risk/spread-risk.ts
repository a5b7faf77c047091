/** Strike geometry of a defined-risk credit spread, for risk limits. */
export interface SpreadLeg {
  readonly right: 'P' | 'C';
  readonly strike: number;
  readonly action: 'BUY' | 'SELL';
}

/** The widest short-to-long distance on one side (an iron condor's risk is its wider wing). */
export function spreadWidth(legs: readonly SpreadLeg[]): number {
  let w = 0;
  for (const s of legs.filter((l) => l.action === 'SELL')) {
    for (const b of legs.filter((l) => l.action === 'BUY' && l.right === s.right)) w = Math.max(w, Math.abs(b.strike - s.strike));
  }
  return w;
}

/** Dollars at risk: (width − credit) × 100 per set of legs, never below zero. */
export function maxLossDollars(legs: readonly SpreadLeg[], creditPerShare: number, quantity: number): number {
  return Math.max(0, spreadWidth(legs) - creditPerShare) * 100 * quantity;
}
