import { SimMarket } from '../../../engine/adapters/sim/sim-market';
import type { OptionContractRef } from '../../../engine/market/market-data';
import { ManualClock } from '../../../engine/shared/clock';

const T0 = '2026-11-24T15:00:00Z'; // 10:00 ET, a Tuesday

async function snapshot(m: SimMarket, reverse = false): Promise<unknown> {
  const syms = reverse ? ['IWM', 'QQQ', 'SPY'] : ['SPY', 'QQQ', 'IWM'];
  const out: Record<string, unknown> = {};
  for (const s of syms) {
    const ch = await m.chain(s, { dte_min: 30, dte_max: 60 });
    const e = ch.expiries[0]!;
    const refs: OptionContractRef[] = e.strikes.slice(0, 40).map((k) => ({ symbol: s, expiry: e.expiry, right: 'P', strike: k }));
    out[s] = { spot: await m.spot(s), chain: ch, quotes: await m.quotes(reverse ? [...refs].reverse() : refs), iv: await m.ivHistory(s, 252), ch1h: await m.change1hPct(s) };
    if (reverse) (out[s] as { quotes: unknown[] }).quotes.reverse();
  }
  out.vix = await m.vix();
  return out;
}

describe('when the simulated market is queried', () => {
  it('should give the same numbers for the same seed and time, whatever the query order', async () => {
    const a = await snapshot(new SimMarket({ seed: 7, clock: new ManualClock(T0) }));
    const b = await snapshot(new SimMarket({ seed: 7, clock: new ManualClock(T0) }), true);
    expect(b).toEqual(a);
  });

  it('should give a different market for another seed', async () => {
    const a = await new SimMarket({ seed: 1, clock: new ManualClock(T0) }).spot('SPY');
    const b = await new SimMarket({ seed: 2, clock: new ManualClock(T0) }).spot('SPY');
    expect(a).not.toBe(b);
  });

  it('should move with the clock during the session and stand still after the close', async () => {
    const clock = new ManualClock(T0);
    const m = new SimMarket({ seed: 1, clock });
    const s0 = await m.spot('SPY');
    clock.advance(30 * 60_000);
    expect(await m.spot('SPY')).not.toBe(s0);
    clock.set('2026-11-24T22:00:00Z');
    const close = await m.spot('SPY');
    clock.set('2026-11-25T13:00:00Z'); // 08:00 ET next day, before the open
    expect(await m.spot('SPY')).toBe(close);
  });

  it('should quote believable levels, skew, VIX and a year of IV history', async () => {
    const m = new SimMarket({ seed: 1, clock: new ManualClock(T0) });
    const levels = { SPY: [400, 800], QQQ: [330, 700], IWM: [140, 320] } as const;
    for (const [s, [lo, hi]] of Object.entries(levels)) {
      const spot = await m.spot(s);
      expect(spot).toBeGreaterThan(lo);
      expect(spot).toBeLessThan(hi);
      const h = await m.ivHistory(s, 252);
      expect(h).toHaveLength(252);
      expect(h.every((p) => p.iv > 0.05 && p.iv < 1.5)).toBe(true);
    }
    const vix = await m.vix();
    expect(vix).toBeGreaterThan(9);
    expect(vix).toBeLessThan(80);
    const ch = await m.chain('SPY', { dte_min: 0, dte_max: 120 });
    expect(ch.expiries.some((e) => e.kind === 'daily')).toBe(true);
    expect(ch.expiries.some((e) => e.kind === 'monthly' && e.dte > 60)).toBe(true);
    const e = ch.expiries.find((x) => x.dte >= 40)!;
    const atm = Math.round(ch.spot);
    expect(e.strikes).toContain(atm + 1);
    const [lowPut, atmPut, lowFar] = await m.quotes([
      { symbol: 'SPY', expiry: e.expiry, right: 'P', strike: atm - 40 },
      { symbol: 'SPY', expiry: e.expiry, right: 'P', strike: atm },
      { symbol: 'SPY', expiry: e.expiry, right: 'C', strike: Math.round((atm * 1.3) / 5) * 5 },
    ]);
    expect(lowPut!.iv!).toBeGreaterThan(atmPut!.iv!); // put skew
    expect(lowPut!.ask! - lowPut!.bid!).toBeGreaterThan(0);
    expect(lowPut!.ask! - lowPut!.bid!).toBeLessThan(atmPut!.ask! - atmPut!.bid!);
    expect(lowFar!.bid).toBe(0); // far wings show a zero bid
    expect(atmPut!.delta!).toBeLessThan(-0.35);
  });

  it.each(['SPY', 'QQQ'])('should price 30-delta 5-wide call spreads of %s near a third of the width and put spreads cheaper (index skew)', async (symbol) => {
    const m = new SimMarket({ seed: 1, clock: new ManualClock('2026-01-05T15:00:00Z') });
    const ch = await m.chain(symbol, { dte_min: 40, dte_max: 50 });
    const e = ch.expiries[0]!;
    const creditPct = async (right: 'P' | 'C'): Promise<number> => {
      const qs = await m.quotes(e.strikes.map((strike) => ({ symbol, expiry: e.expiry, right, strike })));
      const short = qs.reduce((b, q) => (Math.abs(Math.abs(q.delta!) - 0.3) < Math.abs(Math.abs(b.delta!) - 0.3) ? q : b));
      const long = qs.find((q) => q.strike === short.strike + (right === 'C' ? 5 : -5))!;
      return ((short.mid! - long.mid!) / 5) * 100;
    };
    const call = await creditPct('C');
    const put = await creditPct('P');
    expect(call).toBeGreaterThan(31);
    expect(call).toBeLessThan(40);
    expect(put).toBeLessThan(call - 5);
  });

  it('should refuse an unknown symbol naming the known ones', async () => {
    const m = new SimMarket({ seed: 1, clock: new ManualClock(T0) });
    await expect(m.spot('TSLA')).rejects.toThrow(/no symbol "TSLA".*SPY/);
  });
});
