import { aggregateCombo } from '../../../engine/market/combo';

const q = (bid: number | null, ask: number | null, delta = 0, gamma = 0, iv = 0.2) => ({ bid, ask, delta, gamma, iv });
const bullPut = [
  { action: 'SELL' as const, ratio: 1 },
  { action: 'BUY' as const, ratio: 1 },
];

describe('aggregateCombo (market/combo.ts)', () => {
  describe('when every leg has a two-sided quote', () => {
    const a = aggregateCombo(bullPut, [q(2.6, 2.7, -0.3, 0.02, 0.21), q(0.95, 1.05, -0.22, 0.015, 0.23)]);
    it.each([
      ['mid (a 1.65 credit is a price of −1.65)', a.mid, -1.65],
      ['natural (sell at the bid, buy at the ask)', a.natural, -1.55],
      ['far (sell at the ask, buy at the bid)', a.far, -1.75],
      ['delta of holding the spread', a.delta, 0.08],
      ['gamma of holding the spread (short gamma)', a.gamma, -0.005],
      ['largest short |delta|', a.short_delta_max, 0.3],
      ['mean short IV', a.short_iv_mean, 0.21],
    ])('should give the %s', (_name, got, want) => {
      expect(got).toBeCloseTo(want, 10);
    });
  });

  describe('when a leg lacks a quote', () => {
    it('should leave the prices NaN rather than guess', () => {
      const a = aggregateCombo(bullPut, [q(2.6, 2.7), undefined]);
      expect(a.mid).toBeNaN();
      expect(a.natural).toBeNaN();
    });
    it('should treat a crossed quote as no quote', () => {
      expect(aggregateCombo(bullPut, [q(2.8, 2.7), q(0.95, 1.05)]).mid).toBeNaN();
    });
  });

  describe('when a sold leg has no bid and the caller prices it at 0 (closing orders)', () => {
    // Closing a bull put: buy back the short put, sell the long wing that has no bid.
    const close = [
      { action: 'BUY' as const, ratio: 1 },
      { action: 'SELL' as const, ratio: 1 },
    ];
    it('should price the wing at 0 and say so', () => {
      const a = aggregateCombo(close, [q(0.4, 0.45), q(null, 0.05)], { soldWithoutBidAtZero: true });
      expect(a.mid).toBeCloseTo(0.425, 10);
      expect(a.natural).toBeCloseTo(0.45, 10);
      expect(a.zero_bid_sold).toEqual([1]);
    });
    it('should still refuse without the option', () => {
      expect(aggregateCombo(close, [q(0.4, 0.45), q(null, 0.05)]).mid).toBeNaN();
    });
  });
});
