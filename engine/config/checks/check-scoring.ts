import type { Problem } from '../problem';
import { dataOf, problemAt, type LintContext } from '../lint-context';
import type { RawStrategies } from '../raw-types';

const WEIGHT_TOLERANCE = 1e-9;

/** Weights sum to 1, break-points are ordered, IV-rank bands are coherent. */
export const checkScoring = (ctx: LintContext): Problem[] => {
  const s = dataOf<RawStrategies>(ctx, 'strategies').scoring;
  const out: Problem[] = [];
  const sum = Object.values(s.weights).reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > WEIGHT_TOLERANCE) {
    out.push(problemAt(ctx, 'strategies', ['scoring', 'weights'], 'E_WEIGHTS_SUM', `scoring weights must sum to 1; they sum to ${Number(sum.toFixed(12))}`));
  }
  if (!(s.risk_reward.full_at < s.risk_reward.zero_at)) {
    out.push(problemAt(ctx, 'strategies', ['scoring', 'risk_reward'], 'E_BREAKPOINTS_ORDER', `scoring.risk_reward.full_at (${s.risk_reward.full_at}) must be below zero_at (${s.risk_reward.zero_at}): a lower rr is better`));
  }
  for (const k of ['probability', 'expected_return'] as const) {
    if (!(s[k].zero_at < s[k].full_at)) {
      out.push(problemAt(ctx, 'strategies', ['scoring', k], 'E_BREAKPOINTS_ORDER', `scoring.${k}.zero_at (${s[k].zero_at}) must be below full_at (${s[k].full_at})`));
    }
  }
  const bands = s.iv_rank.bands;
  bands.forEach((b, i) => {
    if (b.min > b.max) out.push(problemAt(ctx, 'strategies', ['scoring', 'iv_rank', 'bands', i], 'E_BAND_RANGE', `iv_rank band ${i + 1} has min ${b.min} above max ${b.max}`));
    for (let j = 0; j < i; j++) {
      const o = bands[j];
      // Touching edges are fine (the first band wins the edge); a band inside an earlier one never applies.
      if (o && b.min >= o.min && b.max <= o.max) {
        out.push(problemAt(ctx, 'strategies', ['scoring', 'iv_rank', 'bands', i], 'E_BANDS_OVERLAP', `iv_rank band ${i + 1} (${b.min}..${b.max}) lies inside band ${j + 1} (${o.min}..${o.max}) and can never apply`));
      } else if (o && b.min < o.max && b.max > o.min) {
        out.push(problemAt(ctx, 'strategies', ['scoring', 'iv_rank', 'bands', i], 'E_BANDS_OVERLAP', `iv_rank band ${i + 1} (${b.min}..${b.max}) overlaps band ${j + 1} (${o.min}..${o.max}) beyond a shared edge`));
      }
    }
  });
  return out;
};
