import type { MarketData } from '../market/market-data';
import type { Facts } from '../rules/validate-facts';
import { dteAt } from '../shared/exchange-time';
import type { ScoredCandidate } from '../strategy/candidate';

export interface EntryView {
  readonly facts: Facts;
  /** Credit at mid now, per share (NaN when a leg has no two-sided quote). */
  readonly credit: number;
  readonly spot: number;
  readonly vix: number;
  /** Mean IV of the short legs now: the position's entry IV. */
  readonly short_iv: number;
}

/**
 * The entry facts of an analysed candidate at the moment of execution: its legs re-quoted (the
 * analysis is minutes old), spot, VIX and the hour's move now; IV rank and score from the
 * analysis. A leg without a two-sided quote leaves its facts NaN: the gates answer `data incomplete`.
 */
export interface EntryContext {
  readonly md: MarketData;
  /** Open strategy positions on the candidate's underlying now. */
  readonly open_for_symbol: number;
  /** From the analysis the candidate came from (the candidate carries its IV rank). */
  readonly iv_percentile: number;
  readonly now_ms: number;
}

export async function gatherEntryView(c: ScoredCandidate, e: EntryContext): Promise<EntryView> {
  const md = e.md;
  const quotes = await md.quotes(c.legs.map((l) => ({ symbol: c.symbol, expiry: l.expiry, right: l.right, strike: l.strike })));
  const [spot, vix, change] = await Promise.all([md.spot(c.symbol), md.vix(), md.change1hPct(c.symbol)]);
  let mid = 0;
  let natural = 0;
  let far = 0;
  let gamma = 0;
  let deltaMax = 0;
  let beyond = false;
  const shortIvs: number[] = [];
  c.legs.forEach((leg, i) => {
    const q = quotes[i];
    const sell = leg.action === 'SELL';
    const num = (v: number | null | undefined): number => (v === null || v === undefined ? NaN : v);
    mid += (sell ? 1 : -1) * num(q?.mid);
    natural += sell ? num(q?.bid) : -num(q?.ask);
    far += sell ? num(q?.ask) : -num(q?.bid);
    gamma += (sell ? -1 : 1) * num(q?.gamma);
    if (sell) {
      deltaMax = Math.max(deltaMax, Math.abs(num(q?.delta)));
      shortIvs.push(num(q?.iv));
      beyond ||= leg.right === 'P' ? spot <= leg.strike : spot >= leg.strike;
    }
  });
  const width = c.metrics.width;
  const expiry = c.legs.map((l) => l.expiry).sort()[0] ?? c.expiry;
  const facts: Facts = {
    strategy: c.strategy,
    dte: dteAt(expiry, e.now_ms),
    score: c.score,
    credit_to_width_pct: (mid / width) * 100,
    spot_move_since_analysis_pct: (Math.abs(spot - c.spot) / c.spot) * 100,
    combo_spread_pct_of_mid: mid > 0 ? ((far - natural) / mid) * 100 : NaN,
    open_positions_for_symbol: e.open_for_symbol,
    // The shipped underlyings are ETFs: no earnings date.
    days_to_earnings: null,
    underlying_change_1h_pct: change,
    iv_rank: c.iv_rank,
    iv_percentile: e.iv_percentile,
    vix,
    short_delta_max: deltaMax,
    spot_beyond_short_strike: Number.isFinite(spot) ? beyond : undefined,
    position_gamma_abs: Math.abs(gamma),
  };
  const shortIv = shortIvs.length > 0 ? shortIvs.reduce((a, b) => a + b, 0) / shortIvs.length : NaN;
  return { facts, credit: mid, spot, vix, short_iv: shortIv };
}
