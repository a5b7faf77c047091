import type { StrategyName } from '../model/strategy-names';
import type { Right } from '../model/leg';

export type LegAction = 'SELL' | 'BUY';

/** One leg as priced from the chain. Prices per share; delta signed (puts negative). */
export interface CandidateLeg {
  readonly right: Right;
  readonly strike: number;
  readonly expiry: string;
  readonly action: LegAction;
  readonly ratio: 1;
  readonly con_id: number | null;
  readonly bid: number;
  readonly ask: number;
  readonly mid: number;
  readonly delta: number;
  readonly gamma: number;
  readonly theta: number;
  readonly vega: number;
  readonly iv: number;
}

/** Per-share figures except the percents; see DESIGN.md "Scoring" for definitions. */
export interface CandidateMetrics {
  /** Net credit at mid. */
  readonly credit: number;
  /** Strike distance (iron condor: the wider side). */
  readonly width: number;
  readonly max_risk: number;
  /** max_risk / credit. */
  readonly rr: number;
  /** Percent. */
  readonly pop: number;
  readonly er: number;
  readonly er_pct: number;
  readonly credit_to_width_pct: number;
  /** Credit if sold at the natural price (short bids − long asks). */
  readonly natural: number;
  /** Credit at the far side (short asks − long bids). */
  readonly far: number;
  /** far − natural: the combo's bid/ask width. */
  readonly combo_width: number;
  /** combo_width as percent of the mid credit. */
  readonly combo_width_pct: number;
  readonly break_evens: readonly number[];
  /** Net greeks of the position (short legs negated), per share; null when a leg lacks one. */
  readonly net_delta: number;
  readonly net_gamma: number | null;
  readonly net_theta: number | null;
  readonly net_vega: number | null;
}

export interface ScoreComponents {
  readonly risk_reward: number;
  readonly probability: number;
  readonly expected_return: number;
  readonly iv_rank: number;
}

export interface ScoreResult {
  /** Rounded to one decimal. */
  readonly score: number;
  readonly components: ScoreComponents;
}

export interface Candidate {
  readonly symbol: string;
  readonly strategy: StrategyName;
  readonly expiry: string;
  readonly dte: number;
  readonly legs: readonly CandidateLeg[];
  readonly metrics: CandidateMetrics;
  readonly spot: number;
  /** Epoch ms of the chain the candidate was priced from. */
  readonly as_of: number;
  readonly iv_rank: number;
}

export interface ScoredCandidate extends Candidate, ScoreResult {
  readonly passes: boolean;
}

export interface Rejection {
  readonly symbol: string;
  readonly strategy: StrategyName;
  readonly expiry: string | null;
  readonly reason: string;
}

export type BuildResult = { readonly ok: true; readonly candidate: Candidate } | { readonly ok: false; readonly rejection: Rejection };
