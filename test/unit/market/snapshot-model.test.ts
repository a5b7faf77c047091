import { atmIv30, expiryKindOf, surfaceIv } from '../../../engine/market/snapshot-model';
import type { OptionQuote } from '../../../engine/market/market-data';

const q = (expiry: string, strike: number, iv: number): OptionQuote => ({ symbol: 'SPY', expiry, right: 'P', strike, bid: 1, ask: 1.1, mid: 1.05, iv, delta: -0.3, gamma: 0.01, theta: -0.05, vega: 0.5, open_interest: null, con_id: null });
const NOW = Date.parse('2026-03-02T15:00:00Z');

describe('when the kind of a stored expiry is told from its date', () => {
  it.each([
    ['2026-03-20', 'monthly'], // third Friday
    ['2026-03-27', 'weekly'],
    ['2026-03-25', 'daily'],
    ['2026-06-18', 'monthly'], // Juneteenth moves the June monthly to Thursday
    ['2026-04-02', 'weekly'], // Good Friday moves that week's expiry to Thursday
  ])('should call %s %s', (date, kind) => {
    expect(expiryKindOf(date)).toBe(kind);
  });
});

describe('when IV is read off a stored surface', () => {
  const quotes = [q('2026-03-20', 580, 0.2), q('2026-03-20', 600, 0.16), q('2026-04-17', 580, 0.22), q('2026-04-17', 600, 0.18)];

  it('should interpolate in strike on the expiry own smile, flat beyond its ends', () => {
    expect(surfaceIv(quotes, 600, { symbol: 'SPY', expiry: '2026-03-20', right: 'C', strike: 590 }, NOW)).toBeCloseTo(0.18, 12);
    expect(surfaceIv(quotes, 600, { symbol: 'SPY', expiry: '2026-03-20', right: 'C', strike: 650 }, NOW)).toBe(0.16);
  });

  it('should interpolate between expiries in total variance at the same moneyness', () => {
    const iv = surfaceIv(quotes, 600, { symbol: 'SPY', expiry: '2026-04-02', right: 'P', strike: 600 }, NOW) as number;
    expect(iv).toBeGreaterThan(0.16);
    expect(iv).toBeLessThan(0.18);
  });

  it('should give the 30-day ATM IV between the expiries around 30 days', () => {
    const iv = atmIv30(quotes, 600, NOW) as number;
    expect(iv).toBeGreaterThan(0.16);
    expect(iv).toBeLessThan(0.18);
    expect(atmIv30([], 600, NOW)).toBeNull();
  });
});
