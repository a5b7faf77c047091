import type { StrategiesConfig, StrategyParams } from '../config/types';
import type { StrategyName } from '../model/strategy-names';
import type { Right } from '../model/leg';

/** What a builder needs for one template on one underlying. */
export interface BuildParams extends StrategyParams {
  readonly strategy: StrategyName;
  /** Points between short and long strike. */
  readonly wing: number;
}

export function buildParams(cfg: StrategiesConfig, strategy: StrategyName, symbol: string): BuildParams {
  const tpl = cfg.strategies[strategy];
  const under = cfg.underlyings[symbol];
  if (!under) throw new RangeError(`no underlying "${symbol}" in strategies.yaml underlyings`);
  const p = tpl.per_underlying[symbol] ?? tpl;
  return { strategy, dte: p.dte, short_delta: p.short_delta, wing: under.wing_width };
}

/** Rights whose short leg a strategy needs. */
export function shortRights(strategy: StrategyName): readonly Right[] {
  if (strategy === 'bull_put') return ['P'];
  if (strategy === 'bear_call') return ['C'];
  return ['P', 'C'];
}

/** The long leg sits one wing further out of the money. */
export function longStrike(right: Right, short: number, wing: number): number {
  return right === 'P' ? short - wing : short + wing;
}

/**
 * Preference between two qualifying short strikes of one expiry: |delta| closer to the target wins;
 * on a tie the farther out-of-the-money strike (the more conservative one). Negative = a first.
 */
export function compareShorts(right: Right, target: number, a: { strike: number; absDelta: number }, b: { strike: number; absDelta: number }): number {
  const da = Math.abs(a.absDelta - target);
  const db = Math.abs(b.absDelta - target);
  if (da !== db) return da - db;
  return right === 'P' ? a.strike - b.strike : b.strike - a.strike;
}

/** Preference between expiries: DTE closer to the target, then the earlier one. */
export function compareExpiries(target: number, a: number, b: number): number {
  const da = Math.abs(a - target);
  const db = Math.abs(b - target);
  return da !== db ? da - db : a - b;
}
