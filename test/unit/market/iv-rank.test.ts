import { ivStanding } from '../../../engine/market/iv-rank';

describe('when ranking implied volatility', () => {
  it.each([
    { current: 0.2, history: [0.1, 0.2, 0.3], rank: 50, pct: 100 / 3 },
    { current: 0.3, history: [0.1, 0.2, 0.3], rank: 100, pct: 200 / 3 },
    { current: 0.1, history: [0.1, 0.2, 0.3], rank: 0, pct: 0 },
    { current: 0.14, history: [0.1, 0.12, 0.3, 0.2], rank: 20, pct: 50 },
    { current: 0.2, history: [0.2, 0.2], rank: 50, pct: 0 },
  ])('should give rank $rank and percentile for $current', ({ current, history, rank, pct }) => {
    const s = ivStanding(current, history);
    expect(s.iv_rank).toBeCloseTo(rank, 10);
    expect(s.iv_percentile).toBeCloseTo(pct, 10);
  });

  it('should refuse an empty history', () => {
    expect(() => ivStanding(0.2, [])).toThrow(/empty/);
  });
});
