import type { MarketData } from '../market/market-data';
import type { ComboLeg } from '../model/leg';

/**
 * Signed mid and natural of BUYING a combo from the legs' quotes (natural pays the ask on bought
 * legs and sells at the bid on sold ones); null when a leg lacks a two-sided, uncrossed quote.
 */
export async function comboQuote(market: MarketData, legs: readonly ComboLeg[]): Promise<{ mid: number; natural: number } | null> {
  const quotes = await market.quotes(legs.map((l) => ({ symbol: l.symbol, expiry: l.expiry, right: l.right, strike: l.strike })));
  let mid = 0;
  let natural = 0;
  for (const [i, l] of legs.entries()) {
    const q = quotes[i];
    if (!q || q.bid === null || q.ask === null || q.ask < q.bid) return null;
    const s = l.action === 'BUY' ? 1 : -1;
    mid += s * l.ratio * ((q.bid + q.ask) / 2);
    natural += s * l.ratio * (l.action === 'BUY' ? q.ask : q.bid);
  }
  return { mid, natural };
}
