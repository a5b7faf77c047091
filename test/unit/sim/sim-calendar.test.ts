import { listExpiries } from '../../../engine/adapters/sim/market/listing';
import { SimMarket } from '../../../engine/adapters/sim/sim-market';
import { ManualClock } from '../../../engine/shared/clock';
import { exchangeInstant } from '../../../engine/shared/exchange-time';
import { isTradingDay } from '../../../engine/shared/market-calendar';

describe('when the simulated market lists expiries around exchange holidays', () => {
  it.each([
    // [today, holiday, the trading day before it, the kind the moved expiry keeps]
    ['2026-05-20', '2026-06-19', '2026-06-18', 'monthly'], // Juneteenth, the third Friday of June
    ['2026-03-02', '2026-04-03', '2026-04-02', 'weekly'], // Good Friday
    ['2026-03-25', '2026-04-03', '2026-04-02', 'weekly'], // … also while dailies are listed
    ['2026-06-01', '2026-07-03', '2026-07-02', 'weekly'], // Independence Day observed on Friday July 3
  ] as const)('should list no expiry on %s+ for the holiday %s and move it to %s', (today, holiday, before, kind) => {
    const expiries = listExpiries(today, 600, 1, 0, 60);
    expect(expiries.map((e) => e.expiry)).not.toContain(holiday);
    const moved = expiries.find((e) => e.expiry === before);
    expect(moved?.kind).toBe(kind);
    expect(expiries.every((e) => isTradingDay(e.expiry))).toBe(true);
    // DTE counts calendar days to the day it really expires.
    expect(moved?.dte).toBe(Math.round((Date.parse(before) - Date.parse(today)) / 86_400_000));
  });

  it('should list only trading days over a whole year of expiries', () => {
    const expiries = listExpiries('2026-01-02', 600, 1, 0, 400);
    expect(expiries.length).toBeGreaterThan(20);
    expect(expiries.filter((e) => !isTradingDay(e.expiry))).toEqual([]);
    // Every scheduled third Friday yields one monthly, on it or the trading day before.
    const monthlies = expiries.filter((e) => e.kind === 'monthly').map((e) => e.expiry.slice(0, 7));
    expect(new Set(monthlies).size).toBe(monthlies.length);
  });

  it('should give a chain on the sim market without the holiday (Juneteenth 2026)', async () => {
    const m = new SimMarket({ seed: 1, clock: new ManualClock('2026-05-20T15:00:00Z') });
    const ch = await m.chain('SPY', { dte_min: 25, dte_max: 35 });
    expect(ch.expiries.map((e) => e.expiry)).toEqual(expect.arrayContaining(['2026-06-18']));
    expect(ch.expiries.map((e) => e.expiry)).not.toContain('2026-06-19');
  });
});

describe('when the exchange is closed', () => {
  it.each([
    ['Good Friday', '2026-04-02', '2026-04-03'],
    ['Juneteenth', '2026-06-18', '2026-06-19'],
    ['Thanksgiving', '2026-11-25', '2026-11-26'],
  ])('should not move prices or vols on %s (all day long)', async (_name, before, holiday) => {
    const clock = new ManualClock(exchangeInstant(before, '16:30'));
    const m = new SimMarket({ seed: 3, clock });
    const close = { spy: await m.spot('SPY'), iwm: await m.spot('IWM'), vix: await m.vix() };
    for (const hhmm of ['09:31', '12:00', '15:59']) {
      clock.set(exchangeInstant(holiday, hhmm));
      expect({ spy: await m.spot('SPY'), iwm: await m.spot('IWM'), vix: await m.vix() }).toEqual(close);
      expect(await m.change1hPct('SPY')).toBe(0);
    }
  });

  it('should stand still after 13:00 on an early-close day and move before it', async () => {
    const clock = new ManualClock(exchangeInstant('2026-11-27', '10:00')); // the day after Thanksgiving
    const m = new SimMarket({ seed: 2, clock });
    const morning = await m.spot('SPY');
    clock.set(exchangeInstant('2026-11-27', '13:00'));
    const close = await m.spot('SPY');
    expect(close).not.toBe(morning);
    for (const hhmm of ['13:30', '15:00', '17:00']) {
      clock.set(exchangeInstant('2026-11-27', hhmm));
      expect(await m.spot('SPY')).toBe(close);
    }
  });

  it('should keep IV history on trading days only, one point each', async () => {
    const m = new SimMarket({ seed: 1, clock: new ManualClock('2026-12-31T18:00:00Z') });
    const h = await m.ivHistory('SPY', 252);
    expect(h).toHaveLength(252);
    expect(h.filter((p) => !isTradingDay(p.date))).toEqual([]);
    expect(new Set(h.map((p) => p.date)).size).toBe(252);
    for (const holiday of ['2026-04-03', '2026-06-19', '2026-07-03', '2026-11-26', '2026-12-25']) expect(h.map((p) => p.date)).not.toContain(holiday);
  });
});
