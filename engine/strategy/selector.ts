import { type StrategiesConfig } from '../config/types';
import { STRATEGY_NAMES } from '../model/strategy-names';
import type { ChainView } from '../market/chain-view';
import type { BuildResult, Rejection, ScoredCandidate } from './candidate';
import { buildStrategy } from './builders';
import { compareCandidates } from './rank';
import { scoreCandidate } from './scorer';
import { buildParams, type BuildParams } from './template-params';

export interface SymbolSelection {
  readonly symbol: string;
  /** Ranked, best first. */
  readonly candidates: readonly ScoredCandidate[];
  readonly rejections: readonly Rejection[];
  /** The best candidate when it reaches `min_score`, else null (no trade). */
  readonly pick: ScoredCandidate | null;
}

export type Builder = (view: ChainView, p: BuildParams, ivRank: number) => BuildResult;

/** Scores every enabled template on one symbol's chain and ranks the results. */
export function selectForSymbol(view: ChainView, ivRank: number, cfg: StrategiesConfig, build: Builder = buildStrategy): SymbolSelection {
  const candidates: ScoredCandidate[] = [];
  const rejections: Rejection[] = [];
  for (const name of STRATEGY_NAMES) {
    if (!cfg.strategies[name].enabled) continue;
    const r = build(view, buildParams(cfg, name, view.symbol), ivRank);
    if (!r.ok) {
      rejections.push(r.rejection);
      continue;
    }
    const s = scoreCandidate(r.candidate.metrics, ivRank, cfg.scoring);
    candidates.push({ ...r.candidate, ...s, passes: s.score >= cfg.scoring.min_score });
  }
  candidates.sort(compareCandidates);
  const top = candidates[0];
  return { symbol: view.symbol, candidates, rejections, pick: top && top.passes ? top : null };
}
