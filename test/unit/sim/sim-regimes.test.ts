import { SimMarket } from '../../../engine/adapters/sim/sim-market';
import { PricePath, SIM_EPOCH } from '../../../engine/adapters/sim/market/price-path';
import { SIM_SYMBOLS } from '../../../engine/adapters/sim/market/symbols';
import { ManualClock } from '../../../engine/shared/clock';

describe('when the simulated market runs for years', () => {
  it.each([1, 2, 3])('should have calm and volatile stretches and occasional big down days (seed %d)', (seed) => {
    const path = new PricePath(seed, SIM_SYMBOLS.SPY!);
    const days = Array.from({ length: 756 }, (_, i) => path.day(1000 + i));
    const vols = days.map((d) => d.vol).sort((a, b) => a - b);
    const median = vols[Math.floor(vols.length / 2)]!;
    expect(vols[vols.length - 1]!).toBeGreaterThan(1.6 * median);
    expect(days.some((d) => d.ret < -0.02)).toBe(true);
    expect(days.every((d) => d.close > 580 * 0.5 && d.close < 580 * 1.6)).toBe(true);
  });

  it('should list trading days only (weekdays)', () => {
    const path = new PricePath(1, SIM_SYMBOLS.IWM!);
    expect(path.day(0).date).toBe(SIM_EPOCH);
    for (let i = 1; i < 30; i++) {
      const wd = new Date(`${path.day(i).date}T00:00:00Z`).getUTCDay();
      expect(wd === 0 || wd === 6).toBe(false);
    }
    expect(path.indexOf('2015-01-03')).toBeNull();
  });

  it('should refuse a time before the start of the simulation', async () => {
    const m = new SimMarket({ seed: 1, clock: new ManualClock('2010-01-04T15:00:00Z') });
    await expect(m.spot('SPY')).rejects.toThrow(/starts on 2015-01-02/);
  });

  it('should show the market moving over an intraday hour', async () => {
    const clock = new ManualClock('2026-11-24T15:00:00Z');
    const m = new SimMarket({ seed: 5, clock });
    const moves: number[] = [];
    for (let i = 0; i < 5; i++) {
      moves.push(await m.change1hPct('QQQ'));
      clock.advance(3600_000);
    }
    expect(new Set(moves).size).toBe(5);
    expect(moves.every((x) => Math.abs(x) < 5)).toBe(true);
  });
});
