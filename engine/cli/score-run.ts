import { type ScoringConfig } from '../config/types';
import { STRATEGY_NAMES, type StrategyName } from '../model/strategy-names';
import type { CandidateMetrics, ScoreResult } from '../strategy/candidate';
import { computeMetrics, type PricedLeg } from '../strategy/metrics';
import { scoreCandidate } from '../strategy/scorer';
import { didYouMean } from '../shared/closest-name';
import { quoteValue } from '../shared/quote-value';
import { CliExit, EXIT } from './exit-codes';
import { readJsonInput } from './input-file';

export interface ScoreInput {
  readonly strategy: StrategyName;
  readonly iv_rank: number;
  readonly legs: readonly PricedLeg[];
}

const bad = (msg: string): CliExit => new CliExit(EXIT.INPUT, msg);
const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

const CANDIDATE_KEYS = ['strategy', 'iv_rank', 'legs'] as const;
const LEG_KEYS = ['right', 'strike', 'action', 'bid', 'ask', 'delta'] as const;

/** A misspelt key (`strik`, `ivrank`) would otherwise be ignored while its value is "missing": name it. */
function onlyKnownKeys(o: Record<string, unknown>, known: readonly string[], where: string): void {
  const extra = Object.keys(o).filter((k) => !known.includes(k));
  if (extra.length === 0) return;
  const first = extra[0] as string;
  throw bad(`${where}: unknown key ${quoteValue(first)}${didYouMean(first, known)}${extra.length > 1 ? ` (and ${extra.length - 1} more)` : ''}; the keys are ${known.join(', ')}`);
}

function num(o: Record<string, unknown>, k: string, where: string): number {
  const v = o[k];
  if (v === undefined || v === null) throw bad(`${where}: missing ${k}`);
  if (typeof v !== 'number') throw bad(`${where}: ${k} must be a number, got ${quoteValue(v)}`);
  if (!Number.isFinite(v)) throw bad(`${where}: ${k} is out of range: the number is too large for a double (it parses to ${v})`);
  return v;
}

/** Validates the `score --input` JSON, naming the first problem. */
export function parseScoreInput(raw: unknown): ScoreInput {
  if (!isObj(raw)) throw bad(`the candidate must be a JSON object with strategy, iv_rank and legs, not ${quoteValue(raw)}`);
  onlyKnownKeys(raw, CANDIDATE_KEYS, 'candidate');
  const strategy = raw.strategy;
  if (typeof strategy !== 'string' || !(STRATEGY_NAMES as readonly string[]).includes(strategy)) {
    throw bad(`strategy must be one of ${STRATEGY_NAMES.join(', ')}, got ${quoteValue(strategy)}`);
  }
  const ivRank = num(raw, 'iv_rank', 'candidate');
  if (ivRank < 0 || ivRank > 100) throw bad(`candidate: iv_rank must be within 0..100 (percent), got ${ivRank}`);
  if (!Array.isArray(raw.legs) || raw.legs.length === 0) throw bad('candidate: legs must be a non-empty array');
  const legs = raw.legs.map((l: unknown, i): PricedLeg => {
    const where = `leg ${i + 1}`;
    if (!isObj(l)) throw bad(`${where}: must be an object, not ${quoteValue(l)}`);
    onlyKnownKeys(l, LEG_KEYS, where);
    if (l.right !== 'P' && l.right !== 'C') throw bad(`${where}: right must be "P" or "C", got ${quoteValue(l.right)}`);
    if (l.action !== 'SELL' && l.action !== 'BUY') throw bad(`${where}: action must be "SELL" or "BUY", got ${quoteValue(l.action)}`);
    const strike = num(l, 'strike', where);
    if (strike <= 0) throw bad(`${where}: strike must be positive, got ${strike}`);
    const delta = num(l, 'delta', where);
    if (Math.abs(delta) > 1) throw bad(`${where}: delta must be a fraction within −1..1, got ${delta}`);
    return { right: l.right, action: l.action, strike, bid: num(l, 'bid', where), ask: num(l, 'ask', where), delta };
  });
  return { strategy: strategy as StrategyName, iv_rank: ivRank, legs };
}

export interface ScoreOutput extends ScoreResult {
  readonly metrics: Pick<CandidateMetrics, 'credit' | 'width' | 'max_risk' | 'rr' | 'pop' | 'er' | 'er_pct' | 'credit_to_width_pct'>;
}

export function scoreInput(input: ScoreInput, scoring: ScoringConfig): ScoreOutput {
  const m = computeMetrics(input.strategy, input.legs);
  if (!m.ok) throw bad(m.reason);
  const s = scoreCandidate(m.metrics, input.iv_rank, scoring);
  const { credit, width, max_risk, rr, pop, er, er_pct, credit_to_width_pct } = m.metrics;
  return { score: s.score, components: s.components, metrics: { credit, width, max_risk, rr, pop, er, er_pct, credit_to_width_pct } };
}

export function readScoreFile(file: string): unknown {
  return readJsonInput('--input', file);
}

export function formatScore(input: ScoreInput, out: ScoreOutput, minScore: number): string {
  const r = (x: number, d = 2): string => x.toFixed(d);
  const c = out.components;
  const m = out.metrics;
  return [
    `${input.strategy} score ${r(out.score, 1)} (${out.score >= minScore ? 'meets' : 'below'} min_score ${minScore})`,
    `  components: risk_reward ${r(c.risk_reward)}  probability ${r(c.probability)}  expected_return ${r(c.expected_return)}  iv_rank ${r(c.iv_rank)}`,
    `  metrics: credit ${r(m.credit)}  width ${r(m.width)}  max_risk ${r(m.max_risk)}  rr ${r(m.rr, 4)}  pop ${r(m.pop)}%  er ${r(m.er, 4)}  er_pct ${r(m.er_pct)}%  credit/width ${r(m.credit_to_width_pct)}%`,
  ].join('\n');
}
