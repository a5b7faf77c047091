import type { Problem } from '../problem';
import { dataOf, problemAt, type LintContext, type Path } from '../lint-context';
import type { RawRange3, RawStrategies } from '../raw-types';

function ordered(ctx: LintContext, r: RawRange3, path: Path, code: string, what: string): Problem[] {
  return r.min <= r.target && r.target <= r.max
    ? []
    : [problemAt(ctx, 'strategies', path, code, `${what} must satisfy min ≤ target ≤ max (got ${r.min} / ${r.target} / ${r.max})`)];
}

/** dte and short_delta windows are ordered; overrides name known underlyings. */
export const checkStrategyRanges = (ctx: LintContext): Problem[] => {
  const s = dataOf<RawStrategies>(ctx, 'strategies');
  const out: Problem[] = [];
  for (const [name, t] of Object.entries(s.strategies)) {
    out.push(...ordered(ctx, t.dte, ['strategies', name, 'dte'], 'E_DTE_RANGE', `strategies.${name}.dte`));
    out.push(...ordered(ctx, t.short_delta, ['strategies', name, 'short_delta'], 'E_DELTA_RANGE', `strategies.${name}.short_delta`));
    for (const [sym, o] of Object.entries(t.overrides ?? {})) {
      if (!Object.prototype.hasOwnProperty.call(s.underlyings, sym)) {
        out.push(problemAt(ctx, 'strategies', ['strategies', name, 'overrides', sym], 'E_OVERRIDE_SYMBOL', `override for "${sym}" names no underlying; add it under underlyings: or remove the override`));
      }
      if (o.dte) out.push(...ordered(ctx, o.dte, ['strategies', name, 'overrides', sym, 'dte'], 'E_DTE_RANGE', `strategies.${name}.overrides.${sym}.dte`));
      if (o.short_delta) out.push(...ordered(ctx, o.short_delta, ['strategies', name, 'overrides', sym, 'short_delta'], 'E_DELTA_RANGE', `strategies.${name}.overrides.${sym}.short_delta`));
    }
  }
  return out;
};
