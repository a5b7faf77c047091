import { bsmGreeks } from '../market/bsm';
import type { ExpiryInfo, OptionContractRef } from '../market/market-data';
import type { Right } from '../model/leg';
import { compareExpiries, longStrike, shortRights, type BuildParams } from './template-params';

/** Skew and a day's drift can put the real IV of a strike well away from ATM; bracket it widely. */
const VOL_LOW = 0.65;
const VOL_HIGH = 1.6;

export interface NarrowInput {
  readonly symbol: string;
  readonly spot: number;
  /** Epoch ms of the chain. */
  readonly as_of: number;
  /** ATM IV (annualized fraction) used to estimate deltas before any quote is fetched. */
  readonly atm_iv: number;
  readonly r: number;
}

/** Expiries of a template's DTE window in the builders' order of preference. */
export function expiriesByPreference(expiries: readonly ExpiryInfo[], p: BuildParams): ExpiryInfo[] {
  return expiries.filter((e) => e.dte >= p.dte.min && e.dte <= p.dte.max).sort((a, b) => compareExpiries(p.dte.target, a.dte, b.dte));
}

/**
 * The contracts a template could use in one expiry: every strike whose estimated |delta| could fall in
 * the short-delta range for any IV between 0.65× and 1.6× ATM, plus its wing. Pure: BSM estimates only,
 * so quotes (and IB's greek requests) are spent on a few percent of the chain.
 */
export function contractsFor(input: NarrowInput, exp: ExpiryInfo, p: BuildParams): OptionContractRef[] {
  const t = Math.max(exp.dte, 0.5) / 365;
  const listed = new Set(exp.strikes);
  const out: OptionContractRef[] = [];
  for (const right of shortRights(p.strategy)) {
    for (const strike of exp.strikes) {
      if (!mayQualify(input, right, strike, t, p)) continue;
      const long = longStrike(right, strike, p.wing);
      if (!listed.has(long)) continue;
      out.push({ symbol: input.symbol, expiry: exp.expiry, right, strike }, { symbol: input.symbol, expiry: exp.expiry, right, strike: long });
    }
  }
  return out;
}

function mayQualify(input: NarrowInput, right: Right, strike: number, t: number, p: BuildParams): boolean {
  const d = (vol: number): number =>
    Math.abs(bsmGreeks({ right, spot: input.spot, strike, t, r: input.r, q: 0, vol: input.atm_iv * vol }).delta);
  const a = d(VOL_LOW);
  const b = d(VOL_HIGH);
  return Math.max(a, b) >= p.short_delta.min - 0.02 && Math.min(a, b) <= p.short_delta.max + 0.02;
}

/** Removes duplicate contracts, keeping the first. */
export function uniqueContracts(refs: readonly OptionContractRef[]): OptionContractRef[] {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const k = `${r.symbol}|${r.expiry}|${r.right}|${r.strike}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
