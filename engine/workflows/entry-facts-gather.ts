import { aggregateCombo } from '../market/combo';
import type { MarketData, OptionQuote } from '../market/market-data';
import { dollarGamma1pct, shortStrikeView, yearsToClose } from '../market/short-strike';
import { expiryCloseMs } from '../rules/position-facts';
import type { Facts } from '../rules/validate-facts';
import { dteAt } from '../shared/exchange-time';
import type { ScoredCandidate } from '../strategy/candidate';
import { computeMetrics } from '../strategy/metrics';
import type { EntryJournalFacts } from './entry-journal-facts';

export interface EntryView {
  readonly facts: Facts;
  /** Credit at mid now, per share (NaN when a leg has no two-sided quote). */
  readonly credit: number;
  readonly spot: number;
  readonly vix: number;
  /** Mean IV of the short legs now: the position's entry IV. */
  readonly short_iv: number;
  /** Signed delta of each leg now, aligned with the candidate's legs (null where not quoted): the position's entry deltas. */
  readonly deltas: readonly (number | null)[];
}

/**
 * The entry facts of an analysed candidate at the moment of execution: its legs re-quoted (the
 * analysis is minutes old), spot, VIX and the hour's move now; IV rank and score from the
 * analysis; what the journal knows about the underlying (entries, open positions, losing exits).
 * A leg without a two-sided quote leaves its facts NaN: the gates answer `data incomplete`.
 */
export interface EntryContext {
  readonly md: MarketData;
  /** From the journal, for the entry-discipline gates (entry-journal-facts.ts). */
  readonly journal: EntryJournalFacts;
  /** From the analysis the candidate came from (the candidate carries its IV rank). */
  readonly iv_percentile: number;
  readonly now_ms: number;
}

const finite = (x: number | null): number => (x === null ? Number.NaN : x);

/** Expected return at the re-quoted credit and deltas, by the scorer's own formula (NaN when a leg cannot be priced). */
function erPctNow(c: ScoredCandidate, quotes: readonly OptionQuote[]): number {
  const legs = c.legs.map((l, i) => {
    const q = quotes[i];
    return { right: l.right, strike: l.strike, action: l.action, bid: finite(q?.bid ?? null), ask: finite(q?.ask ?? null), delta: finite(q?.delta ?? null) };
  });
  const m = computeMetrics(c.strategy, legs);
  return m.ok ? m.metrics.er_pct : Number.NaN;
}

export async function gatherEntryView(c: ScoredCandidate, e: EntryContext): Promise<EntryView> {
  const md = e.md;
  const quotes = await md.quotes(c.legs.map((l) => ({ symbol: c.symbol, expiry: l.expiry, right: l.right, strike: l.strike })));
  const [spot, vix, change] = await Promise.all([md.spot(c.symbol), md.vix(), md.change1hPct(c.symbol)]);
  // Credits are minus the price of buying the opening combo (market/combo.ts).
  const agg = aggregateCombo(c.legs, quotes);
  const credit = -agg.mid;
  const comboSpread = agg.natural - agg.far;
  const width = c.metrics.width;
  const expiry = c.legs.map((l) => l.expiry).sort()[0] ?? c.expiry;
  const shorts = shortStrikeView(c.legs, quotes, spot, yearsToClose(expiryCloseMs(expiry), e.now_ms), null);
  const facts: Facts = {
    strategy: c.strategy,
    dte: dteAt(expiry, e.now_ms),
    score: c.score,
    er_pct: erPctNow(c, quotes),
    credit_to_width_pct: (credit / width) * 100,
    spot_move_since_analysis_pct: (Math.abs(spot - c.spot) / c.spot) * 100,
    combo_spread_pct_of_mid: credit > 0 ? (comboSpread / credit) * 100 : NaN,
    open_positions_for_symbol: e.journal.open_positions_for_symbol,
    open_positions_same_legs: e.journal.open_positions_same_legs,
    entries_today_for_symbol: e.journal.entries_today_for_symbol,
    trading_days_since_losing_exit: e.journal.trading_days_since_losing_exit,
    // The shipped underlyings are ETFs: no earnings date.
    days_to_earnings: null,
    underlying_change_1h_pct: change,
    iv_rank: c.iv_rank,
    iv_percentile: e.iv_percentile,
    vix,
    short_delta_max: agg.short_delta_max,
    spot_beyond_short_strike: Number.isFinite(spot) ? shorts.beyond : undefined,
    short_strike_distance_pct: shorts.distance_pct,
    short_strike_distance_em: shorts.distance_em,
    short_gamma_1pct: shorts.gamma_1pct,
    position_gamma_usd_1pct: dollarGamma1pct(agg.gamma, spot),
    position_gamma_abs: Math.abs(agg.gamma),
  };
  return { facts, credit, spot, vix, short_iv: agg.short_iv_mean, deltas: quotes.map((q) => q.delta) };
}
