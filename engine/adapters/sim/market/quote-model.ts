import { bsmGreeks } from '../../../market/bsm';
import type { OptionQuote } from '../../../market/market-data';
import type { Right } from '../../../model/leg';
import { hash32 } from './prng';

export interface QuoteInput {
  readonly symbol: string;
  readonly expiry: string;
  readonly right: Right;
  readonly strike: number;
  readonly spot: number;
  /** Years to expiry. */
  readonly t: number;
  readonly r: number;
  readonly q: number;
  readonly iv: number;
}

const roundTo = (x: number, tick: number, dir: 'down' | 'up'): number => {
  const n = x / tick;
  const k = dir === 'down' ? Math.floor(n + 1e-9) : Math.ceil(n - 1e-9);
  return Math.round(k * tick * 100) / 100;
};

/**
 * A quote as a market maker would show it around the BSM value: ticks of 0.01 under $3 and 0.05 above,
 * spreads widening with price and with distance from the money, and a zero bid for options worth
 * less than about a tick (as real far wings show).
 */
export function makeQuote(i: QuoteInput): OptionQuote {
  const g = bsmGreeks({ right: i.right, spot: i.spot, strike: i.strike, t: i.t, r: i.r, q: i.q, vol: i.iv });
  const tick = g.price >= 3 ? 0.05 : 0.01;
  const away = Math.abs(Math.log(i.strike / i.spot)) / Math.max(0.02, i.iv * Math.sqrt(i.t));
  const half = 0.005 + g.price * 0.007 + 0.004 * away * away;
  let bid = roundTo(g.price - half, tick, 'down');
  const ask = Math.max(0.01, roundTo(g.price + half, tick, 'up'));
  if (g.price < 0.02 || bid < 0) bid = 0;
  const h = hash32(i.symbol, i.expiry, i.right, i.strike);
  return {
    symbol: i.symbol,
    expiry: i.expiry,
    right: i.right,
    strike: i.strike,
    bid,
    ask,
    mid: (bid + ask) / 2,
    iv: i.iv,
    delta: g.delta,
    gamma: g.gamma,
    theta: g.theta,
    vega: g.vega,
    open_interest: Math.round((h % 5000) * Math.exp(-away / 2)) + 10,
    con_id: 100_000_000 + (h % 800_000_000),
  };
}
