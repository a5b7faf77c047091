import { bsmGreeks, bsmPrice, type BsmInput } from './bsm';

export type ImpliedVolResult =
  | { readonly ok: true; readonly vol: number; readonly iterations: number }
  | { readonly ok: false; readonly reason: string };

const VOL_LO = 1e-4;
const VOL_HI = 5;
const MAX_ITER = 100;

const positive = (x: number): boolean => Number.isFinite(x) && x > 0;

/** The first input that cannot describe an option, or null. */
function badInput(price: number, i: Omit<BsmInput, 'vol'>): string | null {
  if (i.right !== 'C' && i.right !== 'P') return `right ${JSON.stringify(i.right)} must be C or P`;
  if (!Number.isFinite(price)) return `price ${String(price)} is not a finite number`;
  if (!(price > 0)) return `price ${price} must be positive: a zero price has no implied volatility`;
  if (!positive(i.spot)) return `spot ${String(i.spot)} must be a positive finite number`;
  if (!positive(i.strike)) return `strike ${String(i.strike)} must be a positive finite number`;
  if (!Number.isFinite(i.t)) return `t ${String(i.t)} must be a finite number of years`;
  if (!(i.t > 0)) return 'no time value left: t must be > 0';
  if (!Number.isFinite(i.r) || !Number.isFinite(i.q)) return `rates must be finite (r ${String(i.r)}, q ${String(i.q)})`;
  return null;
}

/**
 * Implied volatility by safeguarded Newton inside a shrinking bracket: a Newton step that leaves the
 * bracket (tiny vega deep in/out of the money or near expiry) falls back to bisection, so it always
 * converges and never loops forever. Inputs that cannot describe an option (non-finite, zero or
 * negative) and prices outside the no-arbitrage bounds are error values, never a volatility:
 * below the intrinsic value (an arbitrage on the American-style options listed on SPY, QQQ and
 * IWM: exercise and pocket the difference) or below the European lower bound.
 */
export function impliedVol(price: number, input: Omit<BsmInput, 'vol'>, tol = 1e-10): ImpliedVolResult {
  const bad = badInput(price, input);
  if (bad) return { ok: false, reason: bad };
  const intrinsic = input.right === 'C' ? Math.max(0, input.spot - input.strike) : Math.max(0, input.strike - input.spot);
  if (price < intrinsic - 1e-12) {
    return { ok: false, reason: `price ${price} is below the intrinsic value ${intrinsic.toFixed(6)}` };
  }
  const lo0 = bsmPrice({ ...input, vol: VOL_LO });
  const hi0 = bsmPrice({ ...input, vol: VOL_HI });
  if (price < lo0 - 1e-12) {
    return { ok: false, reason: `price ${price} is below the option's lower bound ${lo0.toFixed(6)}` };
  }
  if (price > hi0 + 1e-12) {
    return { ok: false, reason: `price ${price} is above the option's value at ${VOL_HI * 100}% vol (${hi0.toFixed(6)})` };
  }
  let lo = VOL_LO;
  let hi = VOL_HI;
  let vol = 0.3;
  for (let it = 1; it <= MAX_ITER; it++) {
    const g = bsmGreeks({ ...input, vol });
    const diff = g.price - price;
    if (Math.abs(diff) < tol) return { ok: true, vol, iterations: it };
    if (diff > 0) hi = vol;
    else lo = vol;
    const vegaPerUnit = g.vega * 100;
    let next = vegaPerUnit > 1e-12 ? vol - diff / vegaPerUnit : NaN;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (hi - lo < 1e-14) return { ok: true, vol: next, iterations: it };
    vol = next;
  }
  return { ok: true, vol, iterations: MAX_ITER };
}
