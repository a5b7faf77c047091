import { aggregateCombo } from '../market/combo';
import { dollarGamma1pct, shortStrikeView, yearsToClose } from '../market/short-strike';
import type { StrategyName } from '../model/strategy-names';
import { calendarDaysBetween, dteAt, exchangeDate, exchangeInstant } from '../shared/exchange-time';
import { session } from '../shared/market-calendar';
import type { PositionStateStore } from '../model/position';

export interface PositionLeg {
  readonly right: 'P' | 'C';
  readonly strike: number;
  /** Expiry date YYYY-MM-DD (exchange calendar). */
  readonly expiry: string;
  /** SELL for a short leg, BUY for a long leg, as opened. */
  readonly action: 'SELL' | 'BUY';
  /** Contracts of this leg per set of legs (1 for the shipped strategies). */
  readonly ratio: number;
}

/** An open position as the journal stores it. */
export interface PositionSnapshot {
  readonly id: string;
  readonly symbol: string;
  readonly strategy: StrategyName;
  readonly legs: readonly PositionLeg[];
  /** Sets of legs held. */
  readonly quantity: number;
  /** Net credit received per share per set of legs, dollars. */
  readonly entry_credit: number;
  /** The position's IV at entry (mean of the short legs' IVs), as a fraction (0.18). */
  readonly entry_iv: number;
  readonly entry_vix: number;
  readonly entry_time_ms: number;
  /** Signed deltas of the legs at entry, aligned with `legs`; null when the journal has none (opened before v3). */
  readonly entry_deltas?: readonly (number | null)[] | null;
}

/** Current quote and greeks of one leg, per share; delta signed as quoted (puts negative). */
export interface LegQuote {
  readonly bid: number;
  readonly ask: number;
  readonly mid: number;
  readonly delta: number;
  readonly gamma: number;
  /** Implied volatility as a fraction. */
  readonly iv: number;
}

export interface MarketContext {
  readonly spot: number;
  readonly vix: number;
  readonly iv_rank: number;
  readonly iv_percentile: number;
  readonly underlying_change_1h_pct: number;
}

export type PositionFacts = Readonly<{
  strategy: StrategyName;
  dte: number;
  profit_pct: number;
  peak_profit_pct: number;
  retained_of_peak_pct: number;
  underlying_change_1h_pct: number;
  iv_change_pct: number;
  iv_rank: number;
  iv_percentile: number;
  vix: number;
  vix_change_since_entry: number;
  short_delta_max: number;
  short_delta_vs_entry: number | null;
  /** undefined when spot is unknown: reported as missing rather than guessed false. */
  spot_beyond_short_strike: boolean | undefined;
  short_strike_distance_pct: number;
  short_strike_distance_em: number;
  short_gamma_1pct: number;
  position_gamma_usd_1pct: number;
  position_gamma_abs: number;
  partial_taken: boolean;
  days_held: number;
}>;

/** 100 when the peak is ≤ 0: no profit was ever made, so none has been given back. */
export function retainedOfPeak(profitPct: number, peakPct: number): number {
  // Multiply first: 16 / 40 * 100 is 40.00000000000001 in floating point, 16 * 100 / 40 is 40.
  return peakPct <= 0 ? 100 : (profitPct * 100) / peakPct;
}

/** The instant an expiry's options stop trading: the session close (13:00 on early-close days). */
export function expiryCloseMs(expiry: string): number {
  return session(expiry)?.close_ms ?? exchangeInstant(expiry, '16:00');
}

/**
 * Computes the facts the 12 rules read. A missing quote (undefined, or a non-finite field) leaves
 * the facts that depend on it NaN, which the evaluator turns into a `data incomplete` alert.
 * Cost to close is taken at mid (short legs bought back at mid, long legs sold at mid): the price
 * the order manager starts at, and the same basis as the entry credit (priced at mid).
 * Side effect on the state port only: the observed profit raises the persisted peak.
 */
export function buildPositionFacts(
  pos: PositionSnapshot,
  quotes: readonly (LegQuote | undefined)[],
  market: MarketContext,
  nowMs: number,
  state: PositionStateStore,
): PositionFacts {
  const agg = aggregateCombo(pos.legs, quotes);
  // The legs as opened: buying them back costs minus the price of buying the opening combo. A
  // credit spread is never worth less than nothing to buy back; a mid below zero is a quote
  // artifact (far wings both at a zero bid, a stale leg) and must not read as more than 100% kept.
  const cost = Math.max(0, -agg.mid);
  const expiry = pos.legs.map((l) => l.expiry).sort()[0];
  const years = expiry === undefined ? Number.NaN : yearsToClose(expiryCloseMs(expiry), nowMs);
  const shorts = shortStrikeView(pos.legs, quotes, market.spot, years, pos.entry_deltas ?? null);
  // Exactly 100 with nothing left to pay and exactly 0 at the entry price: (c − 0)·100/c can come
  // out 100.00000000000001, past the fact's range, and a peak of 1e-14 makes retained_of_peak absurd.
  const profit = cost === 0 ? 100 : Math.min(100, ((pos.entry_credit - cost) * 100) / pos.entry_credit);
  const st = state.observeProfit(pos.id, profit);
  const peak = st.peak_profit_pct ?? NaN;
  // A position still open past expiry must close now; DTE never goes below 0.
  const dte = expiry === undefined ? NaN : Math.max(0, dteAt(expiry, nowMs));
  return {
    strategy: pos.strategy,
    dte,
    profit_pct: profit,
    peak_profit_pct: peak,
    retained_of_peak_pct: retainedOfPeak(profit, peak),
    underlying_change_1h_pct: market.underlying_change_1h_pct,
    iv_change_pct: (agg.short_iv_mean / pos.entry_iv - 1) * 100,
    iv_rank: market.iv_rank,
    iv_percentile: market.iv_percentile,
    vix: market.vix,
    vix_change_since_entry: market.vix - pos.entry_vix,
    short_delta_max: agg.short_delta_max,
    short_delta_vs_entry: shorts.delta_vs_entry,
    spot_beyond_short_strike: Number.isFinite(market.spot) ? shorts.beyond : undefined,
    short_strike_distance_pct: shorts.distance_pct,
    short_strike_distance_em: shorts.distance_em,
    short_gamma_1pct: shorts.gamma_1pct,
    position_gamma_usd_1pct: dollarGamma1pct(agg.gamma, market.spot),
    position_gamma_abs: Math.abs(agg.gamma),
    partial_taken: st.partial_taken,
    days_held: calendarDaysBetween(exchangeDate(pos.entry_time_ms), exchangeDate(nowMs)),
  };
}
