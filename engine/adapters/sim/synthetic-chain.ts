import { ChainView } from '../../market/chain-view';
import type { ExpiryInfo, OptionQuote } from '../../market/market-data';
import { addDays, exchangeDate } from '../../shared/exchange-time';
import { INDEX_SKEW, surfaceVol } from './market/iv-surface';
import { uniform } from './market/prng';
import { makeQuote } from './market/quote-model';

export interface SyntheticChainSpec {
  readonly symbol: string;
  readonly spot: number;
  readonly as_of: number;
  readonly expiries: number;
  /** Strikes per expiry, centred on spot. */
  readonly strikes: number;
  readonly strike_step: number;
  /** First expiry DTE and spacing in days. */
  readonly first_dte: number;
  readonly dte_step: number;
  readonly vol: number;
  readonly seed: number;
}

/**
 * A fully quoted chain (every strike of every expiry) for the bench and the property tests: the
 * sim's surface and quote model, with a little seeded noise in IV so deltas are not perfectly smooth.
 */
export function syntheticChain(s: SyntheticChainSpec): ChainView {
  const today = exchangeDate(s.as_of);
  const lo = Math.round(s.spot / s.strike_step - s.strikes / 2) * s.strike_step;
  const strikes = Array.from({ length: s.strikes }, (_, i) => Math.round((lo + i * s.strike_step) * 100) / 100);
  const expiries: ExpiryInfo[] = [];
  const quotes: OptionQuote[] = [];
  for (let e = 0; e < s.expiries; e++) {
    const dte = s.first_dte + e * s.dte_step;
    const expiry = addDays(today, dte);
    expiries.push({ expiry, dte, kind: e % 4 === 3 ? 'monthly' : 'weekly', strikes });
    const t = dte / 365;
    for (const k of strikes) {
      for (const right of ['P', 'C'] as const) {
        const noise = 1 + (uniform(s.seed, s.symbol, expiry, right, k) - 0.5) * 0.01;
        const iv = surfaceVol(s.vol, s.vol * 1.1, s.spot, k, t, INDEX_SKEW) * noise;
        quotes.push(makeQuote({ symbol: s.symbol, expiry, right, strike: k, spot: s.spot, t, r: 0.045, q: 0.01, iv }));
      }
    }
  }
  return new ChainView({ symbol: s.symbol, spot: s.spot, as_of: s.as_of, expiries }, quotes);
}
