import type { ChainView } from '../market/chain-view';
import type { ExpiryInfo } from '../market/market-data';
import type { Right } from '../model/leg';
import { assemble, legSpecs } from './assemble';
import type { BuildResult } from './candidate';
import { compareExpiries, compareShorts, shortRights, type BuildParams } from './template-params';

interface Pair {
  readonly right: Right;
  readonly strike: number;
  readonly absDelta: number;
}

interface Combo {
  readonly exp: ExpiryInfo;
  readonly shorts: readonly Pair[];
}

/** Every (short, long) strike pair of one right in one expiry that is a valid credit vertical. */
function allPairs(view: ChainView, exp: ExpiryInfo, right: Right, p: BuildParams): Pair[] {
  const out: Pair[] = [];
  for (const s of exp.strikes) {
    for (const l of exp.strikes) {
      const credit = right === 'P' ? s > l : s < l;
      if (!credit || Math.abs(s - l) !== p.wing) continue;
      const q = view.quote(exp.expiry, right, s);
      if (!q || q.delta === null || !Number.isFinite(q.delta)) continue;
      const absDelta = Math.abs(q.delta);
      if (absDelta < p.short_delta.min || absDelta > p.short_delta.max) continue;
      out.push({ right, strike: s, absDelta });
    }
  }
  return out;
}

function better(p: BuildParams, a: Combo, b: Combo): boolean {
  const e = compareExpiries(p.dte.target, a.exp.dte, b.exp.dte);
  if (e !== 0) return e < 0;
  for (let i = 0; i < a.shorts.length; i++) {
    const c = compareShorts(a.shorts[i]!.right, p.short_delta.target, a.shorts[i]!, b.shorts[i]!);
    if (c !== 0) return c < 0;
  }
  return false;
}

/**
 * The reference search the selector is checked against: every expiry in the DTE window, every strike
 * pair (and for an iron condor every put pair × call pair), keeping the most preferred by the same
 * preference as the builders. O(expiries × strikes²); for tests and the bench only.
 */
export function buildExhaustive(view: ChainView, p: BuildParams, ivRank: number): BuildResult {
  let best: Combo | null = null;
  for (const exp of view.expiries) {
    if (exp.dte < p.dte.min || exp.dte > p.dte.max) continue;
    const sides = shortRights(p.strategy).map((r) => allPairs(view, exp, r, p));
    const combos: Pair[][] = sides.length === 1 ? sides[0]!.map((x) => [x]) : sides[0]!.flatMap((a) => sides[1]!.map((b) => [a, b]));
    for (const shorts of combos) {
      const c = { exp, shorts };
      if (!best || better(p, c, best)) best = c;
    }
  }
  if (!best) {
    return { ok: false, rejection: { symbol: view.symbol, strategy: p.strategy, expiry: null, reason: 'no valid combination' } };
  }
  return assemble(view, p.strategy, best.exp, legSpecs(best.shorts, p.wing), ivRank);
}
