import type { ScoringConfig } from '../config/types';
import type { CandidateMetrics, ScoreResult } from './candidate';

const clamp100 = (x: number): number => Math.min(100, Math.max(0, x));

/** 100 at `full`, 0 at `zero`, linear between, clamped (works for either direction). */
function linear(x: number, zero: number, full: number): number {
  return clamp100(((x - zero) / (full - zero)) * 100);
}

function ivRankScore(ivRank: number, cfg: ScoringConfig['iv_rank']): number {
  const band = cfg.bands.find((b) => ivRank >= b.min && ivRank <= b.max);
  return band ? band.score : cfg.otherwise;
}

/** DESIGN.md's formula; every break-point and weight comes from strategies.yaml `scoring:`. */
export function scoreCandidate(
  m: Pick<CandidateMetrics, 'rr' | 'pop' | 'er_pct'>,
  ivRank: number,
  cfg: ScoringConfig,
): ScoreResult {
  const components = {
    risk_reward: linear(m.rr, cfg.risk_reward.zero_at, cfg.risk_reward.full_at),
    probability: linear(m.pop, cfg.probability.zero_at, cfg.probability.full_at),
    expected_return: linear(m.er_pct, cfg.expected_return.zero_at, cfg.expected_return.full_at),
    iv_rank: ivRankScore(ivRank, cfg.iv_rank),
  };
  const w = cfg.weights;
  const total =
    w.risk_reward * components.risk_reward +
    w.probability * components.probability +
    w.expected_return * components.expected_return +
    w.iv_rank * components.iv_rank;
  return { score: Math.round(total * 10) / 10, components };
}
