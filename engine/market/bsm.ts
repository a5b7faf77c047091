import type { Right } from '../model/leg';
import { normCdf, normPdf } from './normal';

/**
 * Black-Scholes-Merton with a continuous dividend yield (Merton 1973; Haug, "The Complete Guide to
 * Option Pricing Formulas", 2nd ed., ch. 1.1.6 generalized BSM with b = r − q).
 * Inputs: spot and strike per share, t in years, r and q as annual fractions, vol as a fraction.
 */
export interface BsmInput {
  readonly right: Right;
  readonly spot: number;
  readonly strike: number;
  readonly t: number;
  readonly r: number;
  readonly q: number;
  readonly vol: number;
}

export interface Greeks {
  readonly price: number;
  /** Signed: puts negative. */
  readonly delta: number;
  readonly gamma: number;
  /** Dollars per share per calendar day (annual theta / 365). */
  readonly theta: number;
  /** Dollars per share per vol point (1% IV). */
  readonly vega: number;
}

/** Calendar-day convention: DTE / 365, the same clock theta is quoted in. */
export const DAYS_PER_YEAR = 365;

/**
 * No uncertainty left (at expiry, or zero vol): the option is worth its discounted forward
 * intrinsic value, max(0, ±(S·e^(−qt) − K·e^(−rt))), and the greeks are that function's: delta
 * e^(−qt) in the money (½ of it exactly at the forward), no gamma or vega, theta the carry. The one
 * definition serves bsmPrice and bsmGreeks alike, so both agree at vol 0 (they did not: one took the
 * discounted forward, the other the plain intrinsic value).
 */
function degenerate(i: BsmInput): Greeks {
  const t = Math.max(i.t, 0);
  const sd = i.spot * Math.exp(-i.q * t);
  const kd = i.strike * Math.exp(-i.r * t);
  const sign = i.right === 'C' ? 1 : -1;
  const value = sign * (sd - kd);
  const eq = Math.exp(-i.q * t);
  if (value < 0 || (value === 0 && t === 0)) return { price: 0, delta: 0, gamma: 0, theta: 0, vega: 0 };
  const share = value === 0 ? 0.5 : 1;
  // d/dt of ±(S·e^(−qt) − K·e^(−rt)) is ±(−q·S·e^(−qt) + r·K·e^(−rt)); theta is its negative, per day.
  const theta = t > 0 ? (share * sign * (i.q * sd - i.r * kd)) / DAYS_PER_YEAR : 0;
  return { price: value, delta: share * sign * eq, gamma: 0, theta, vega: 0 };
}

export function bsmPrice(i: BsmInput): number {
  if (i.t <= 0 || i.vol <= 0) return degenerate(i).price;
  const sq = i.vol * Math.sqrt(i.t);
  const d1 = (Math.log(i.spot / i.strike) + (i.r - i.q + (i.vol * i.vol) / 2) * i.t) / sq;
  const d2 = d1 - sq;
  const sd = i.spot * Math.exp(-i.q * i.t);
  const kd = i.strike * Math.exp(-i.r * i.t);
  return i.right === 'C' ? sd * normCdf(d1) - kd * normCdf(d2) : kd * normCdf(-d2) - sd * normCdf(-d1);
}

export function bsmGreeks(i: BsmInput): Greeks {
  if (i.t <= 0 || i.vol <= 0) return degenerate(i);
  const sqt = Math.sqrt(i.t);
  const sq = i.vol * sqt;
  const d1 = (Math.log(i.spot / i.strike) + (i.r - i.q + (i.vol * i.vol) / 2) * i.t) / sq;
  const d2 = d1 - sq;
  const eq = Math.exp(-i.q * i.t);
  const er = Math.exp(-i.r * i.t);
  const pdf = normPdf(d1);
  const decay = (-i.spot * eq * pdf * i.vol) / (2 * sqt);
  const gamma = (eq * pdf) / (i.spot * sq);
  const vega = (i.spot * eq * pdf * sqt) / 100;
  if (i.right === 'C') {
    const price = i.spot * eq * normCdf(d1) - i.strike * er * normCdf(d2);
    const theta = decay - i.r * i.strike * er * normCdf(d2) + i.q * i.spot * eq * normCdf(d1);
    return { price, delta: eq * normCdf(d1), gamma, theta: theta / DAYS_PER_YEAR, vega };
  }
  const price = i.strike * er * normCdf(-d2) - i.spot * eq * normCdf(-d1);
  const theta = decay + i.r * i.strike * er * normCdf(-d2) - i.q * i.spot * eq * normCdf(-d1);
  return { price, delta: -eq * normCdf(-d1), gamma, theta: theta / DAYS_PER_YEAR, vega };
}
