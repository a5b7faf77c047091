import { bsmGreeks, bsmPrice, type BsmInput } from '../../../engine/market/bsm';
import { impliedVol } from '../../../engine/market/implied-vol';
import { normCdf } from '../../../engine/market/normal';

/*
 * References. Published figures are checked at the precision they are printed with; the 1e-6
 * figures are the same closed forms evaluated with mpmath at 40 significant digits (independent of
 * this code's normal CDF approximation).
 *  - Hull, "Options, Futures, and Other Derivatives", Example 15.6 (S=42, K=40, r=10%, σ=20%, T=0.5):
 *    call 4.76, put 0.81.
 *  - Hull, Example 19.1 / Table 19.x (S=49, K=50, r=5%, σ=20%, T=20 weeks): call 2.40 ($240,000 per
 *    100,000), delta 0.522, gamma 0.066, theta −4.31 per year, vega 12.1 per 100% vol.
 *  - Haug, "The Complete Guide to Option Pricing Formulas" 2nd ed., 1.1.6 generalized BSM example
 *    (S=100, X=95, T=0.5, r=10%, b=r−q=5%, σ=20%): put 2.4648.
 */
interface Ref {
  name: string;
  input: BsmInput;
  published: { price: number; dp: number };
  exact: { price: number; delta: number; gamma: number; theta: number; vega: number };
}

const REFS: Ref[] = [
  {
    name: 'Hull 15.6 call',
    input: { right: 'C', spot: 42, strike: 40, t: 0.5, r: 0.1, q: 0, vol: 0.2 },
    published: { price: 4.76, dp: 2 },
    exact: { price: 4.759422392871533, delta: 0.779131290942669, gamma: 0.04996267040591185, theta: -0.012490663546829114, vega: 0.08813415059602851 },
  },
  {
    name: 'Hull 15.6 put',
    input: { right: 'P', spot: 42, strike: 40, t: 0.5, r: 0.1, q: 0, vol: 0.2 },
    published: { price: 0.81, dp: 2 },
    exact: { price: 0.8085993729000935, delta: -0.22086870905733105, gamma: 0.04996267040591185, theta: -0.0020662314975062207, vega: 0.08813415059602851 },
  },
  {
    name: 'Hull 19.1 call',
    input: { right: 'C', spot: 49, strike: 50, t: 20 / 52, r: 0.05, q: 0, vol: 0.2 },
    published: { price: 2.4, dp: 2 },
    exact: { price: 2.4005273232717146, delta: 0.5216046610663964, gamma: 0.0655440393478444, theta: -0.01179542417241801, vega: 0.121054798826288 },
  },
  {
    name: 'Haug 1.1.6 put with dividend yield',
    input: { right: 'P', spot: 100, strike: 95, t: 0.5, r: 0.1, q: 0.05, vol: 0.2 },
    published: { price: 2.4648, dp: 4 },
    exact: { price: 2.464787646755821, delta: -0.2641815996360724, gamma: 0.022839574296269993, theta: -0.008220624921638504, vega: 0.2283957429626999 },
  },
  {
    name: 'Haug 1.1.6 call with dividend yield',
    input: { right: 'C', spot: 100, strike: 95, t: 0.5, r: 0.1, q: 0.05, vol: 0.2 },
    published: { price: 9.629, dp: 3 },
    exact: { price: 9.628983522021256, delta: 0.7111283123922603, gamma: 0.022839574296269993, theta: -0.0196182412849676, vega: 0.2283957429626999 },
  },
];

describe('when pricing with Black-Scholes-Merton', () => {
  it.each(REFS)('should match $name to the published precision and to 1e-6', (ref) => {
    const g = bsmGreeks(ref.input);
    expect(Number(g.price.toFixed(ref.published.dp))).toBeCloseTo(ref.published.price, ref.published.dp);
    expect(Math.abs(bsmPrice(ref.input) - ref.exact.price)).toBeLessThan(1e-6);
    for (const k of ['price', 'delta', 'gamma', 'theta', 'vega'] as const) {
      expect(Math.abs(g[k] - ref.exact[k])).toBeLessThan(1e-6);
    }
  });

  it("should match Hull 19.1's published greeks (per year / per 100% as printed there)", () => {
    const g = bsmGreeks(REFS[2]!.input);
    expect(g.delta).toBeCloseTo(0.522, 3);
    expect(g.gamma).toBeCloseTo(0.066, 3);
    expect(g.theta * 365).toBeCloseTo(-4.31, 2);
    expect(g.vega * 100).toBeCloseTo(12.1, 1);
  });

  it('should satisfy put-call parity with a dividend yield', () => {
    const base = { spot: 580, strike: 550, t: 45 / 365, r: 0.045, q: 0.013, vol: 0.18 };
    const c = bsmPrice({ ...base, right: 'C' });
    const p = bsmPrice({ ...base, right: 'P' });
    expect(Math.abs(c - p - (580 * Math.exp(-0.013 * base.t) - 550 * Math.exp(-0.045 * base.t)))).toBeLessThan(1e-9);
  });

  it('should give the discounted intrinsic value at expiry instead of NaN', () => {
    expect(bsmPrice({ right: 'P', spot: 90, strike: 100, t: 0, r: 0.05, q: 0, vol: 0.2 })).toBe(10);
    expect(bsmGreeks({ right: 'C', spot: 90, strike: 100, t: 0, r: 0.05, q: 0, vol: 0.2 }).delta).toBe(0);
  });

  it('should have a normal CDF accurate far in the tails', () => {
    expect(Math.abs(normCdf(-5) - 2.866515718791939e-7)).toBeLessThan(1e-15);
    expect(normCdf(0)).toBeCloseTo(0.5, 15);
    expect(Math.abs(normCdf(1.959963984540054) - 0.975)).toBeLessThan(1e-14);
  });
});

describe('when solving for implied volatility', () => {
  const cases: Array<{ name: string; input: Omit<BsmInput, 'vol'>; vol: number }> = [
    { name: 'at the money', input: { right: 'C', spot: 100, strike: 100, t: 0.25, r: 0.05, q: 0.01, vol: 0 } as BsmInput, vol: 0.2 },
    { name: 'deep in the money call', input: { right: 'C', spot: 100, strike: 60, t: 0.5, r: 0.05, q: 0, vol: 0 } as BsmInput, vol: 0.25 },
    { name: 'in the money put', input: { right: 'P', spot: 100, strike: 110, t: 0.5, r: 0.05, q: 0.01, vol: 0 } as BsmInput, vol: 0.25 },
    { name: 'deep out of the money call', input: { right: 'C', spot: 100, strike: 150, t: 0.5, r: 0.05, q: 0, vol: 0 } as BsmInput, vol: 0.3 },
    { name: 'one day to expiry', input: { right: 'P', spot: 580, strike: 575, t: 1 / 365, r: 0.045, q: 0.013, vol: 0 } as BsmInput, vol: 0.15 },
    { name: 'very high vol', input: { right: 'C', spot: 50, strike: 55, t: 0.1, r: 0.0, q: 0, vol: 0 } as BsmInput, vol: 2.5 },
  ];

  it.each(cases)('should recover the vol of a $name option', ({ input, vol }) => {
    const price = bsmPrice({ ...input, vol });
    const r = impliedVol(price, input);
    expect(r.ok).toBe(true);
    if (r.ok) expect(Math.abs(bsmPrice({ ...input, vol: r.vol }) - price)).toBeLessThan(1e-8);
    if (r.ok && price > 1e-4) expect(Math.abs(r.vol - vol)).toBeLessThan(1e-6);
  });

  it.each([
    ['below the discounted intrinsic value', 3.5],
    ['above the spot', 200],
    ['not a number', Number.NaN],
  ])('should return an error value for a price %s', (_n, price) => {
    const r = impliedVol(price, { right: 'P', spot: 100, strike: 105, t: 0.2, r: 0.05, q: 0 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/price/);
  });

  it('should return an error value at expiry', () => {
    expect(impliedVol(1, { right: 'P', spot: 100, strike: 105, t: 0, r: 0.05, q: 0 }).ok).toBe(false);
  });

  const base = { right: 'P', spot: 100, strike: 105, t: 0.2, r: 0.05, q: 0 } as const;
  it.each([
    ['a NaN spot', 6, { spot: Number.NaN }, /spot/],
    ['a negative spot', 6, { spot: -100 }, /spot/],
    ['a zero strike', 6, { strike: 0 }, /strike/],
    ['an infinite strike', 6, { strike: Number.POSITIVE_INFINITY }, /strike/],
    ['a NaN time', 6, { t: Number.NaN }, /t NaN/],
    ['a negative time', 6, { t: -0.1 }, /t must be > 0/],
    ['a NaN rate', 6, { r: Number.NaN }, /rates/],
    ['an infinite dividend yield', 6, { q: Number.POSITIVE_INFINITY }, /rates/],
    ['a zero price', 0, {}, /positive/],
    ['a negative price', -1, {}, /positive/],
    ['an infinite price', Number.POSITIVE_INFINITY, {}, /not a finite number/],
  ] as const)('should refuse %s', (_n, price, over, reason) => {
    const r = impliedVol(price, { ...base, ...over });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it.each([
    // A European deep in-the-money put is worth less than its intrinsic value; the listed
    // American-style option never trades there (exercise it instead), so such a price is bad data.
    ['a deep in-the-money put', { right: 'P', spot: 100, strike: 160, t: 0.5, r: 0.05, q: 0 }, 59.9],
    ['an in-the-money call', { right: 'C', spot: 120, strike: 100, t: 0.1, r: 0.01, q: 0.05 }, 19.95],
  ] as const)('should refuse %s priced below its intrinsic value', (_n, input, price) => {
    const r = impliedVol(price, input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/below the intrinsic value/);
  });
});

describe('when the volatility is zero or the option has expired', () => {
  const grid = ([['C', 'P'], [80, 99.5, 100, 100.4, 120], [0, 1 / 365, 0.5], [0, 0.05], [0, 0.03]] as const);
  const cases: BsmInput[] = [];
  for (const right of grid[0]) for (const strike of grid[1]) for (const t of grid[2]) for (const r of grid[3]) for (const q of grid[4]) cases.push({ right, spot: 100, strike, t, r, q, vol: 0 });

  it.each(cases)('should price %j the same in bsmPrice and bsmGreeks', (input) => {
    expect(bsmGreeks(input).price).toBe(bsmPrice(input));
  });

  it.each([
    ['an in-the-money call', { right: 'C', strike: 90 }, 100 * Math.exp(-0.01 * 0.5) - 90 * Math.exp(-0.05 * 0.5), Math.exp(-0.01 * 0.5)],
    ['an in-the-money put', { right: 'P', strike: 110 }, 110 * Math.exp(-0.05 * 0.5) - 100 * Math.exp(-0.01 * 0.5), -Math.exp(-0.01 * 0.5)],
    ['an out-of-the-money call', { right: 'C', strike: 110 }, 0, 0],
  ] as const)('should give %s its discounted forward value and the limit delta', (_n, over, price, delta) => {
    const g = bsmGreeks({ spot: 100, t: 0.5, r: 0.05, q: 0.01, vol: 0, ...over });
    expect(g.price).toBeCloseTo(price, 12);
    expect(g.delta).toBeCloseTo(delta, 12);
    expect(g.gamma).toBe(0);
    expect(g.vega).toBe(0);
  });

  it('should approach the zero-vol value as the vol falls', () => {
    const input = { right: 'C', spot: 100, strike: 90, t: 0.5, r: 0.05, q: 0.01 } as const;
    const limit = bsmGreeks({ ...input, vol: 0 });
    const near = bsmGreeks({ ...input, vol: 1e-4 });
    expect(near.price).toBeCloseTo(limit.price, 9);
    expect(near.delta).toBeCloseTo(limit.delta, 9);
    expect(near.theta).toBeCloseTo(limit.theta, 6);
  });
});
