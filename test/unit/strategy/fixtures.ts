import { loadConfig } from '../../../engine/config/load-config';
import type { CompiledConfig } from '../../../engine/config/types';
import { ChainView } from '../../../engine/market/chain-view';
import type { ExpiryInfo, OptionQuote } from '../../../engine/market/market-data';
import type { Right } from '../../../engine/model/leg';
import * as path from 'path';

export const CONFIG: CompiledConfig = loadConfig(path.join(__dirname, '../../..'));

export function q(expiry: string, right: Right, strike: number, bid: number | null, ask: number | null, delta: number | null, over: Partial<OptionQuote> = {}): OptionQuote {
  return {
    symbol: 'SPY',
    expiry,
    right,
    strike,
    bid,
    ask,
    mid: bid !== null && ask !== null ? (bid + ask) / 2 : null,
    iv: 0.2,
    delta,
    gamma: 0.01,
    theta: -0.05,
    vega: 0.3,
    open_interest: 1000,
    con_id: Math.round(strike * 10) + (right === 'P' ? 1 : 2),
    ...over,
  };
}

export function view(expiries: ExpiryInfo[], quotes: OptionQuote[], spot = 580): ChainView {
  return new ChainView({ symbol: 'SPY', spot, as_of: Date.UTC(2026, 10, 24, 15), expiries }, quotes);
}

export const strikes = (lo: number, hi: number): number[] => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);

/**
 * A hand-made SPY chain at 580: expiry 2027-01-08 (45 DTE) and 2027-01-15 (52 DTE). Put deltas
 * fall 0.01 per strike below 575 from 0.32; call deltas fall 0.01 per strike above 585 from 0.32.
 */
export function handChain(mutate: (qs: OptionQuote[]) => OptionQuote[] = (x) => x): ChainView {
  const exps: ExpiryInfo[] = [
    { expiry: '2027-01-08', dte: 45, kind: 'weekly', strikes: strikes(530, 630) },
    { expiry: '2027-01-15', dte: 52, kind: 'monthly', strikes: strikes(530, 630) },
  ];
  const qs: OptionQuote[] = [];
  for (const e of exps) {
    for (const k of e.strikes) {
      const pd = Math.max(0.01, Math.min(0.99, 0.32 - (575 - k) * 0.01));
      const cd = Math.max(0.01, Math.min(0.99, 0.32 - (k - 585) * 0.01));
      const pm = Math.max(0.05, 6 - (575 - k) * 0.25);
      const cm = Math.max(0.05, 6 - (k - 585) * 0.25);
      qs.push(q(e.expiry, 'P', k, Math.round((pm - 0.05) * 100) / 100, Math.round((pm + 0.05) * 100) / 100, -pd));
      qs.push(q(e.expiry, 'C', k, Math.round((cm - 0.05) * 100) / 100, Math.round((cm + 0.05) * 100) / 100, cd));
    }
  }
  return view(exps, mutate(qs));
}
