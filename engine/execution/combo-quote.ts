import { aggregateCombo, type AggregateOptions } from '../market/combo';
import type { MarketData } from '../market/market-data';
import type { ComboLeg } from '../model/leg';

/**
 * Signed mid and natural of BUYING a combo from the legs' quotes now; null when a leg lacks the
 * quote the price needs (see market/combo.ts for the one-sided policy of closing orders).
 */
export async function comboQuote(market: MarketData, legs: readonly ComboLeg[], opts: AggregateOptions = {}): Promise<{ mid: number; natural: number; zero_bid_sold: readonly number[] } | null> {
  const quotes = await market.quotes(legs.map((l) => ({ symbol: l.symbol, expiry: l.expiry, right: l.right, strike: l.strike })));
  const a = aggregateCombo(legs, quotes, opts);
  if (!Number.isFinite(a.mid) || !Number.isFinite(a.natural)) return null;
  return { mid: a.mid, natural: a.natural, zero_bid_sold: a.zero_bid_sold };
}
