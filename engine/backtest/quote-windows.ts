import type { CompiledConfig } from '../config/types';

/** The contracts a stored market keeps at each analysis: expiries and |delta| around what the config trades. */
export interface QuoteWindows {
  readonly dte_min: number;
  readonly dte_max: number;
  /** |delta|, fraction. */
  readonly delta_min: number;
  readonly delta_max: number;
}

/**
 * From every strategy template (enabled or not, per-underlying overrides included): DTE from the
 * smallest min less 14 days (positions entered a week or two ago are still quoted where they are)
 * to the largest max; |delta| from half the smallest short-delta min (the long wings sit further
 * out) to the largest max plus 0.10, and at least 0.55 (the at-the-money strikes: the engine's
 * option snapshot asks for them, and they anchor the surface). A config changed within these
 * bounds still finds its quotes.
 */
export function quoteWindows(config: CompiledConfig): QuoteWindows {
  const params = Object.values(config.strategies.strategies).flatMap((t) => [t, ...Object.values(t.per_underlying)]);
  const dteMin = Math.min(...params.map((p) => p.dte.min));
  const dteMax = Math.max(...params.map((p) => p.dte.max));
  const dMin = Math.min(...params.map((p) => p.short_delta.min));
  const dMax = Math.max(...params.map((p) => p.short_delta.max));
  return { dte_min: Math.max(0, dteMin - 14), dte_max: dteMax, delta_min: round2(Math.max(0.01, dMin / 2)), delta_max: round2(Math.min(0.99, Math.max(0.55, dMax + 0.1))) };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
