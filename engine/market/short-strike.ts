import type { LegAction, Right } from '../model/leg';
import { DAYS_PER_YEAR } from './bsm';

/**
 * Where a spread's short strikes stand against spot, in the units a trader reasons in: percent of
 * spot, expected moves to expiry, and how fast the short leg's delta moves. Pure: spot, quotes and
 * the time left come in as arguments.
 */
export interface ShortStrikeLeg {
  readonly right: Right;
  readonly strike: number;
  readonly action: LegAction;
}

export interface ShortStrikeMarks {
  readonly delta?: number | null | undefined;
  readonly gamma?: number | null | undefined;
  /** Implied volatility as a fraction. */
  readonly iv?: number | null | undefined;
}

export interface ShortStrikeView {
  /** Signed distance from spot to the nearest short strike, percent of spot: > 0 while out of the money, ≤ 0 at or through it. */
  readonly distance_pct: number;
  /** The same distance in expected moves to expiry (spot × the leg's IV × √years), the smallest over the short legs. */
  readonly distance_em: number;
  /** Largest delta change of a short leg for a 1% move of the underlying: per-share gamma × spot / 100. */
  readonly gamma_1pct: number;
  /** Largest |delta now| / |delta at entry| over the short legs; null when an entry delta is unknown. */
  readonly delta_vs_entry: number | null;
  /** True when spot is at or through a short strike. */
  readonly beyond: boolean;
}

const num = (v: number | null | undefined): number => (v === null || v === undefined ? Number.NaN : v);

/** Dollar gamma for a 1% move: how many dollars of delta (Δ × spot × 100) a 1% move adds, per set of legs. */
export const CONTRACT_MULTIPLIER = 100;
export function dollarGamma1pct(netGammaPerShare: number, spot: number): number {
  return netGammaPerShare * spot * (spot / 100) * CONTRACT_MULTIPLIER;
}

/** Years from now to the expiry's close, never below one hour: the expected move of a dying option is small, not zero. */
export function yearsToClose(closeMs: number, nowMs: number): number {
  return Math.max(3_600_000, closeMs - nowMs) / (DAYS_PER_YEAR * 86_400_000);
}

/**
 * `entryDeltas` are the legs' signed deltas at entry, aligned with `legs` (null when not recorded:
 * positions opened before the journal kept them). A missing quote or spot leaves the figures that
 * need it NaN (facts turn NaN into `data incomplete`).
 */
export function shortStrikeView(
  legs: readonly ShortStrikeLeg[],
  marks: readonly (ShortStrikeMarks | undefined)[],
  spot: number,
  years: number,
  entryDeltas: readonly (number | null)[] | null,
): ShortStrikeView {
  let distancePct = Number.POSITIVE_INFINITY;
  let distanceEm = Number.POSITIVE_INFINITY;
  let gamma1pct = 0;
  let vsEntry: number | null = 0;
  let shorts = 0;
  legs.forEach((leg, i) => {
    if (leg.action !== 'SELL') return;
    shorts++;
    const m = marks[i] ?? {};
    const cushion = ((leg.right === 'P' ? spot - leg.strike : leg.strike - spot) / spot) * 100;
    const em = cushion / 100 / (num(m.iv) * Math.sqrt(years));
    distancePct = Math.min(distancePct, cushion);
    distanceEm = Math.min(distanceEm, em);
    gamma1pct = Math.max(gamma1pct, (num(m.gamma) * spot) / 100);
    const entry = entryDeltas?.[i];
    if (vsEntry === null || entry === null || entry === undefined || !(Math.abs(entry) > 0)) vsEntry = null;
    else vsEntry = Math.max(vsEntry, Math.abs(num(m.delta)) / Math.abs(entry));
  });
  // Math.min/max swallow nothing: a NaN from any short leg propagates, as it must.
  if (shorts === 0) return { distance_pct: Number.NaN, distance_em: Number.NaN, gamma_1pct: Number.NaN, delta_vs_entry: null, beyond: false };
  return { distance_pct: distancePct, distance_em: distanceEm, gamma_1pct: gamma1pct, delta_vs_entry: vsEntry, beyond: Number.isFinite(spot) && distancePct <= 0 };
}
