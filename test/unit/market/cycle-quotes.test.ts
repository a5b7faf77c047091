import { SimMarket } from '../../../engine/adapters/sim/sim-market';
import { CycleQuotes } from '../../../engine/market/cycle-quotes';
import type { MarketData, OptionContractRef } from '../../../engine/market/market-data';
import { ManualClock } from '../../../engine/shared/clock';

/** A market that counts what reaches it. */
function counting(md: MarketData): { md: MarketData; quoted: string[]; calls: string[] } {
  const quoted: string[] = [];
  const calls: string[] = [];
  const wrapped = new Proxy(md, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        calls.push(String(prop));
        if (prop === 'quotes') for (const c of args[0] as OptionContractRef[]) quoted.push(`${c.expiry}${c.right}${c.strike}`);
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { md: wrapped, quoted, calls };
}

const leg = (right: 'P' | 'C', strike: number): OptionContractRef => ({ symbol: 'SPY', expiry: '2026-02-20', right, strike });

describe('CycleQuotes', () => {
  const clock = new ManualClock('2026-01-05T15:00:00Z');

  it('should request each distinct contract once a cycle, however many positions share it', async () => {
    const src = counting(new SimMarket({ seed: 1, clock }));
    const cycle = new CycleQuotes(src.md);
    const a = [leg('P', 580), leg('P', 575)];
    const b = [leg('P', 580), leg('P', 575), leg('C', 620), leg('C', 625)];
    await cycle.prefetch([...a, ...b]);
    const [qa, qb] = await Promise.all([cycle.quotes(a), cycle.quotes(b)]);
    expect(src.quoted.sort()).toEqual(['2026-02-20C620', '2026-02-20C625', '2026-02-20P575', '2026-02-20P580']);
    expect(qa[0]).toBe(qb[0]);
    expect(cycle.distinctContracts).toBe(4);
    expect(cycle.stats).toEqual({ asked: 12, requested: 4 });
    expect(cycle.quoteOf(leg('C', 620))?.strike).toBe(620);
    expect(cycle.quoteOf(leg('C', 630))).toBeUndefined();
  });

  it('should give the same answers as the market it wraps', async () => {
    const market = new SimMarket({ seed: 1, clock });
    const cycle = new CycleQuotes(market);
    expect(await cycle.quotes([leg('P', 580)])).toEqual(await market.quotes([leg('P', 580)]));
    expect(await cycle.spot('SPY')).toBe(await market.spot('SPY'));
    expect(await cycle.ivHistory('SPY', 30)).toEqual(await market.ivHistory('SPY', 30));
  });

  it('should read spot, VIX, the hourly change and IV history once per symbol', async () => {
    const src = counting(new SimMarket({ seed: 1, clock }));
    const cycle = new CycleQuotes(src.md);
    for (let i = 0; i < 5; i++) await Promise.all([cycle.spot('SPY'), cycle.vix(), cycle.change1hPct('SPY'), cycle.ivHistory('SPY', 252), cycle.spot('QQQ')]);
    expect(src.calls.filter((c) => c !== 'quotes').sort()).toEqual(['change1hPct', 'ivHistory', 'spot', 'spot', 'vix']);
  });

  it('should fail every ask sharing a failed request, without an unhandled rejection', async () => {
    const failing: MarketData = { ...new SimMarket({ seed: 1, clock }), name: 'x', quotes: async () => Promise.reject(new Error('IB 354: not subscribed')) } as unknown as MarketData;
    const cycle = new CycleQuotes(failing);
    await cycle.prefetch([leg('P', 580)]);
    await expect(cycle.quotes([leg('P', 580)])).rejects.toThrow('IB 354');
    await expect(cycle.quotes([leg('P', 580), leg('P', 575)])).rejects.toThrow('IB 354');
  });
});
