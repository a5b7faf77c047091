import { compileExitRules } from '../../../engine/rules/compile-rules';
import { retainedOfPeak } from '../../../engine/rules/position-facts';
import type { Facts } from '../../../engine/rules/validate-facts';
import { CALM, EXIT_RULES } from './fixtures';

export const EXITS = compileExitRules(EXIT_RULES);

/** CALM with overrides; retained_of_peak_pct re-derived unless given, the peak kept ≥ profit. */
export function facts(over: Record<string, number | boolean | string> = {}): Facts {
  const f: Record<string, number | boolean | string> = { ...CALM, ...over };
  if (!('peak_profit_pct' in over)) f.peak_profit_pct = Math.max(f.peak_profit_pct as number, f.profit_pct as number);
  if (!('retained_of_peak_pct' in over)) f.retained_of_peak_pct = retainedOfPeak(f.profit_pct as number, f.peak_profit_pct as number);
  return f;
}
