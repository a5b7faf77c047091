import type { StrategiesConfig } from '../config/types';
import type { ChainView } from '../market/chain-view';
import type { StrategyName } from '../model/strategy-names';
import { buildStrategy } from './builders';
import type { ScoredCandidate } from './candidate';
import { scoreCandidate } from './scorer';
import { buildParams, type BuildParams } from './template-params';

export interface RollFrom {
  readonly symbol: string;
  readonly strategy: StrategyName;
  /** DTE now of the position's (latest) expiry: the new expiry must be later. */
  readonly dte: number;
}

export type RollCandidateResult = { readonly ok: true; readonly candidate: ScoredCandidate } | { readonly ok: false; readonly reason: string };

/**
 * The template's build parameters for a roll: its deltas and wing, the DTE target moved to the
 * roll's, the window widened to hold it, and nothing at or before the position's own expiry (a roll
 * moves out in time; the same expiry would be a close and a re-entry of the same spread).
 */
export function rollBuildParams(cfg: StrategiesConfig, from: RollFrom, targetDte: number): BuildParams {
  const p = buildParams(cfg, from.strategy, from.symbol);
  return { ...p, dte: { min: Math.max(Math.min(p.dte.min, targetDte), from.dte + 1), target: targetDte, max: Math.max(p.dte.max, targetDte) } };
}

/**
 * The new leg set of a roll: the position's own template on its own underlying, the listed expiry
 * nearest the target DTE, strikes by the template's delta rules, scored now by the shipped scoring.
 * Pure: the chain view holds the quotes and the time they were taken.
 */
export function rollCandidate(view: ChainView, cfg: StrategiesConfig, from: RollFrom, targetDte: number, ivRank: number): RollCandidateResult {
  const p = rollBuildParams(cfg, from, targetDte);
  const r = buildStrategy(view, p, ivRank);
  if (!r.ok) return { ok: false, reason: `no ${from.strategy} to roll to on ${from.symbol}: ${r.rejection.expiry ? `${r.rejection.expiry}: ` : ''}${r.rejection.reason}` };
  const s = scoreCandidate(r.candidate.metrics, ivRank, cfg.scoring);
  return { ok: true, candidate: { ...r.candidate, ...s, passes: s.score >= cfg.scoring.min_score } };
}
