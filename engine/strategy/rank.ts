import type { ScoredCandidate } from './candidate';

/** Higher score first; ties: higher er_pct, then lower max_risk, then strategy name. */
export function compareCandidates(a: ScoredCandidate, b: ScoredCandidate): number {
  if (a.score !== b.score) return b.score - a.score;
  if (a.metrics.er_pct !== b.metrics.er_pct) return b.metrics.er_pct - a.metrics.er_pct;
  if (a.metrics.max_risk !== b.metrics.max_risk) return a.metrics.max_risk - b.metrics.max_risk;
  return a.strategy < b.strategy ? -1 : a.strategy > b.strategy ? 1 : 0;
}
