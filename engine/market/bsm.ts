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

function intrinsic(i: BsmInput): number {
  return i.right === 'C' ? Math.max(0, i.spot - i.strike) : Math.max(0, i.strike - i.spot);
}

export function bsmPrice(i: BsmInput): number {
  if (i.t <= 0 || i.vol <= 0) {
    // At expiry (or zero vol) the option is worth its discounted forward intrinsic value.
    const fwd = i.spot * Math.exp((i.r - i.q) * Math.max(i.t, 0));
    const df = Math.exp(-i.r * Math.max(i.t, 0));
    return df * (i.right === 'C' ? Math.max(0, fwd - i.strike) : Math.max(0, i.strike - fwd));
  }
  const sq = i.vol * Math.sqrt(i.t);
  const d1 = (Math.log(i.spot / i.strike) + (i.r - i.q + (i.vol * i.vol) / 2) * i.t) / sq;
  const d2 = d1 - sq;
  const sd = i.spot * Math.exp(-i.q * i.t);
  const kd = i.strike * Math.exp(-i.r * i.t);
  return i.right === 'C' ? sd * normCdf(d1) - kd * normCdf(d2) : kd * normCdf(-d2) - sd * normCdf(-d1);
}

export function bsmGreeks(i: BsmInput): Greeks {
  if (i.t <= 0 || i.vol <= 0) {
    const itm = i.right === 'C' ? i.spot > i.strike : i.spot < i.strike;
    return { price: intrinsic(i), delta: itm ? (i.right === 'C' ? 1 : -1) : 0, gamma: 0, theta: 0, vega: 0 };
  }
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
