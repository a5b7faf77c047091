import { aggregateCombo } from '../market/combo';
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
  // Credits are minus the price of buying the opening combo (market/combo.ts).
  const agg = aggregateCombo(c.legs, quotes);
  const credit = -agg.mid;
  const comboSpread = agg.natural - agg.far;
  let beyond = false;
  for (const leg of c.legs) {
    if (leg.action === 'SELL') beyond ||= leg.right === 'P' ? spot <= leg.strike : spot >= leg.strike;
  }
  const width = c.metrics.width;
  const expiry = c.legs.map((l) => l.expiry).sort()[0] ?? c.expiry;
  const facts: Facts = {
    strategy: c.strategy,
    dte: dteAt(expiry, e.now_ms),
    score: c.score,
    credit_to_width_pct: (credit / width) * 100,
    spot_move_since_analysis_pct: (Math.abs(spot - c.spot) / c.spot) * 100,
    combo_spread_pct_of_mid: credit > 0 ? (comboSpread / credit) * 100 : NaN,
    open_positions_for_symbol: e.open_for_symbol,
    // The shipped underlyings are ETFs: no earnings date.
    days_to_earnings: null,
    underlying_change_1h_pct: change,
    iv_rank: c.iv_rank,
    iv_percentile: e.iv_percentile,
    vix,
    short_delta_max: agg.short_delta_max,
    spot_beyond_short_strike: Number.isFinite(spot) ? beyond : undefined,
    position_gamma_abs: Math.abs(agg.gamma),
  };
  return { facts, credit, spot, vix, short_iv: agg.short_iv_mean };
}
