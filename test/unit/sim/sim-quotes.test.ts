import { makeQuote, spreadWidth, tickFor } from '../../../engine/adapters/sim/market/quote-model';
import { SimMarket } from '../../../engine/adapters/sim/sim-market';
import { aggregateCombo } from '../../../engine/market/combo';
import { ManualClock } from '../../../engine/shared/clock';

const onCent = (x: number): boolean => Math.abs(x * 100 - Math.round(x * 100)) < 1e-9;

describe('when the simulated market quotes penny-program options (SPY, QQQ, IWM)', () => {
  it.each(['SPY', 'QQQ', 'IWM'])('should quote every %s option in $0.01 at every price, a whole number of cents wide', async (symbol) => {
    const m = new SimMarket({ seed: 1, clock: new ManualClock('2026-01-05T15:00:00Z') });
    const ch = await m.chain(symbol, { dte_min: 0, dte_max: 120 });
    const refs = ch.expiries.flatMap((e) => e.strikes.filter((k, i) => i % 3 === 0).flatMap((strike) => (['C', 'P'] as const).map((right) => ({ symbol, expiry: e.expiry, right, strike }))));
    const qs = await m.quotes(refs);
    expect(qs.filter((q) => (q.bid ?? 0) > 3).length).toBeGreaterThan(100); // plenty above the old $3 tick break
    const off = qs.filter((q) => !onCent(q.bid!) || !onCent(q.ask!) || q.ask! <= q.bid!);
    expect(off).toEqual([]);
  });

  it('should use $0.05 above $3 only for names outside the penny program', () => {
    expect(tickFor(12.4, true)).toBe(0.01);
    expect(tickFor(12.4, false)).toBe(0.05);
    expect(tickFor(2.5, false)).toBe(0.01);
    const q = makeQuote({ symbol: 'XYZ', expiry: '2026-02-20', right: 'C', strike: 100, spot: 100, t: 45 / 365, r: 0.045, q: 0, iv: 0.3, penny: false });
    expect(Math.round(q.bid! * 100) % 5).toBe(0);
    expect(Math.round(q.ask! * 100) % 5).toBe(0);
  });

  // The figures quote-model.ts targets (SPY at 30–60 DTE, regular hours).
  it.each([
    [0.5, 0, 0.01],
    [2, 0.5, 0.02],
    [4, 0.5, 0.03],
    [12, 0, 0.07],
  ])('should make a $%d SPY option %d sd from the money about $%d wide', (price, away, width) => {
    expect(Math.round(spreadWidth(price, away, 1) * 100) / 100).toBeCloseTo(width, 2);
  });

  it.each([
    ['SPY', 0.02, 0.08],
    ['QQQ', 0.03, 0.12],
    ['IWM', 0.02, 0.08],
  ] as const)('should quote 30-delta 5-wide %s call spreads $%d–%d from natural to far', async (symbol, lo, hi) => {
    for (const at of ['2026-01-05T15:00:00Z', '2026-05-11T15:00:00Z', '2026-09-14T15:00:00Z']) {
      const m = new SimMarket({ seed: 1, clock: new ManualClock(at) });
      const ch = await m.chain(symbol, { dte_min: 40, dte_max: 50 });
      const e = ch.expiries[0]!;
      const qs = await m.quotes(e.strikes.map((strike) => ({ symbol, expiry: e.expiry, right: 'C' as const, strike })));
      const short = qs.reduce((b, q) => (Math.abs(q.delta! - 0.3) < Math.abs(b.delta! - 0.3) ? q : b));
      const long = qs.find((q) => q.strike === short.strike + 5)!;
      const legs = [{ action: 'SELL' as const, ratio: 1 }, { action: 'BUY' as const, ratio: 1 }];
      const agg = aggregateCombo(legs, [short, long]);
      const width = agg.natural - agg.far;
      expect(width).toBeGreaterThanOrEqual(lo - 1e-9);
      expect(width).toBeLessThanOrEqual(hi + 1e-9);
      expect((width / -agg.mid) * 100).toBeLessThan(7); // a few percent of the credit (it was 20–45%)
    }
  });

  it('should show a far wing worth under a cent as 0.00 × 0.01', () => {
    const q = makeQuote({ symbol: 'SPY', expiry: '2026-02-20', right: 'P', strike: 400, spot: 600, t: 10 / 365, r: 0.045, q: 0.013, iv: 0.2 });
    expect([q.bid, q.ask]).toEqual([0, 0.01]);
  });
});
