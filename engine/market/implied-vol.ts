import { bsmGreeks, bsmPrice, type BsmInput } from './bsm';

export type ImpliedVolResult =
  | { readonly ok: true; readonly vol: number; readonly iterations: number }
  | { readonly ok: false; readonly reason: string };

const VOL_LO = 1e-4;
const VOL_HI = 5;
const MAX_ITER = 100;

/**
 * Implied volatility by safeguarded Newton inside a shrinking bracket: a Newton step that leaves the
 * bracket (tiny vega deep in/out of the money or near expiry) falls back to bisection, so it always
 * converges and never loops forever. A price outside the no-arbitrage bounds is an error value.
 */
export function impliedVol(price: number, input: Omit<BsmInput, 'vol'>, tol = 1e-10): ImpliedVolResult {
  if (!Number.isFinite(price)) return { ok: false, reason: `price ${String(price)} is not a finite number` };
  if (!(input.t > 0)) return { ok: false, reason: 'no time value left: t must be > 0' };
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
