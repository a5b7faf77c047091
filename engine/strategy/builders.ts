import type { ChainView } from '../market/chain-view';
import type { ExpiryInfo } from '../market/market-data';
import type { Right } from '../model/leg';
import { assemble, legSpecs } from './assemble';
import type { BuildResult } from './candidate';
import { compareExpiries, compareShorts, longStrike, shortRights, type BuildParams } from './template-params';

interface ShortPick {
  readonly right: Right;
  readonly strike: number;
  readonly absDelta: number;
}

/**
 * The best short strike of one right in one expiry: |delta| inside [min, max] and closest to the
 * target, with the long strike one wing further out listed. One pass over the expiry's strikes:
 * the long leg is fixed by the wing, so no strike pairs are enumerated.
 */
export function bestShort(view: ChainView, exp: ExpiryInfo, right: Right, p: BuildParams, listed: ReadonlySet<number>): ShortPick | null {
  let best: ShortPick | null = null;
  for (const strike of exp.strikes) {
    const q = view.quote(exp.expiry, right, strike);
    if (!q || q.delta === null || !Number.isFinite(q.delta)) continue;
    const absDelta = Math.abs(q.delta);
    if (absDelta < p.short_delta.min || absDelta > p.short_delta.max) continue;
    if (!listed.has(longStrike(right, strike, p.wing))) continue;
    const c = { right, strike, absDelta };
    if (!best || compareShorts(right, p.short_delta.target, c, best) < 0) best = c;
  }
  return best;
}

/**
 * Builds one template's candidate on one chain: the expiry nearest the target DTE inside the window
 * that has a qualifying short strike (on both sides for an iron condor), the short strike(s) by delta,
 * the long strike(s) exactly one wing further out. Strikes are never chosen as a percentage of spot.
 *
 * Why this equals buildExhaustive: both minimise the same lexicographic key (expiry preference, then
 * each side's short preference) over the same set (short |delta| in range, long listed one wing out);
 * sides are independent within an expiry, so minimising each side separately minimises the key, and
 * visiting expiries in key order lets the first expiry with a qualifying short end the search.
 */
export function buildStrategy(view: ChainView, p: BuildParams, ivRank: number): BuildResult {
  const window = view.expiries
    .filter((e) => e.dte >= p.dte.min && e.dte <= p.dte.max)
    .sort((a, b) => compareExpiries(p.dte.target, a.dte, b.dte));
  for (const exp of window) {
    const listed = new Set(exp.strikes);
    const shorts: ShortPick[] = [];
    for (const right of shortRights(p.strategy)) {
      const s = bestShort(view, exp, right, p, listed);
      if (!s) break;
      shorts.push(s);
    }
    if (shorts.length === shortRights(p.strategy).length) return assemble(view, p.strategy, exp, legSpecs(shorts, p.wing), ivRank);
  }
  const reason =
    window.length === 0
      ? `no expiry with DTE in ${p.dte.min}–${p.dte.max}`
      : `no expiry with DTE in ${p.dte.min}–${p.dte.max} has a short strike with |delta| in ${p.short_delta.min}–${p.short_delta.max} and a listed wing ${p.wing} points out`;
  return { ok: false, rejection: { symbol: view.symbol, strategy: p.strategy, expiry: null, reason } };
}
