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
  /** Penny-program class (SPY, QQQ, IWM): quoted in $0.01 at every price. Default true. */
  readonly penny?: boolean;
  /** Multiplies the spread: 1 for SPY, more for names with thinner books. Default 1. */
  readonly liquidity?: number;
}

/**
 * Bid/ask width of a liquid index-ETF option, dollars: one cent plus half a cent per dollar of
 * premium, plus a little more far from the money (in standard deviations of moneyness), times the
 * name's liquidity factor (SPY 1, QQQ and IWM 1.25). The figures this targets, from SPY/QQQ/IWM
 * chains at 30–60 DTE in regular hours: $0.01–0.02 wide under $2, about $0.03 at $4 (a 30-delta
 * SPY call), $0.06–0.08 at $10–15 (at the money); a 5-wide 30-delta call vertical then spans
 * $0.02–0.08 from natural to far on SPY and IWM and up to $0.12 on QQQ, 2–6% of its credit. The
 * previous model ($0.05 ticks above $3, spreads of 1.4% of the price) made leg spreads
 * $0.10–0.30 and 5-wide combos $0.30–0.70, several times what these markets show, so price walks
 * and the combo-spread gate were tested against a market no trader meets.
 */
export function spreadWidth(price: number, awaySd: number, liquidity: number): number {
  return (0.01 + 0.005 * price + 0.002 * Math.min(awaySd * awaySd, 16)) * liquidity;
}

/** Tick of an option quote: $0.01 for penny-program names; else $0.05 from $3 up (the standard rule). */
export function tickFor(price: number, penny: boolean): number {
  return penny || price < 3 ? 0.01 : 0.05;
}

const onGrid = (x: number, tick: number): number => Math.round(Math.round(x / tick) * tick * 100) / 100;

/**
 * A quote as a market maker shows it around the BSM value: a whole number of ticks wide (at least
 * one), centred on the value as closely as the grid allows, and a zero bid for an option worth less
 * than a tick (as far wings show: 0.00 × 0.01).
 */
export function makeQuote(i: QuoteInput): OptionQuote {
  const g = bsmGreeks({ right: i.right, spot: i.spot, strike: i.strike, t: i.t, r: i.r, q: i.q, vol: i.iv });
  const penny = i.penny ?? true;
  const tick = tickFor(g.price, penny);
  const away = Math.abs(Math.log(i.strike / i.spot)) / Math.max(0.02, i.iv * Math.sqrt(i.t));
  const ticks = Math.max(1, Math.round(spreadWidth(g.price, away, i.liquidity ?? 1) / tick));
  let bid = onGrid(g.price - (ticks * tick) / 2, tick);
  let ask = onGrid(bid + ticks * tick, tick);
  if (g.price < tick) {
    bid = 0;
    ask = tick;
  } else if (bid <= 0) {
    // Worth a few cents but no bid: the offer sits just above the value.
    bid = 0;
    ask = Math.max(tick, onGrid(Math.ceil(g.price / tick - 1e-9) * tick, tick));
  }
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
