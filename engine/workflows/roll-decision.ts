import type { EntryDecision } from '../rules/entry-decision';
import type { RiskVerdict } from '../risk/risk-manager';
import type { ScoredCandidate } from '../strategy/candidate';
import type { RollCandidateResult } from '../strategy/roll-candidate';

export interface RollInputs {
  readonly min_score: number;
  readonly candidate: RollCandidateResult;
  /** The entry gates (and the exit rules on the would-be position) on the candidate; null when not asked (no candidate, or below min_score). */
  readonly entry: Pick<EntryDecision, 'action' | 'reason'> | null;
  /** The risk manager on the net change (new max loss less the old); null when not asked. */
  readonly risk: RiskVerdict | null;
  /** Dollars: the new position's max loss at its floor less the old position's. */
  readonly net_max_loss: number | null;
}

export interface RollDecision {
  /** `roll`: close the old and open the candidate; `close`: the rule's fallback. */
  readonly action: 'roll' | 'close';
  readonly reason: string;
  /** The candidate's score, null when none could be built. */
  readonly score: number | null;
  /** Which check decided a fallback: `candidate`, `min_score`, `gates`, `risk`; null for a roll. */
  readonly refused_by: 'candidate' | 'min_score' | 'gates' | 'risk' | null;
}

export const describeCandidate = (c: Pick<ScoredCandidate, 'symbol' | 'strategy' | 'expiry' | 'dte' | 'legs'>): string =>
  `${c.symbol} ${c.strategy} ${c.expiry} (${c.dte} DTE) ${c.legs.filter((l) => l.action === 'SELL').map((l) => `${l.strike}${l.right}`).join('/')}`;

const money = (x: number): string => `${x < 0 ? '−' : '+'}$${Math.abs(x).toFixed(0)}`;

/**
 * Roll or fall back, in the order a trader asks: is there a spread to roll to, does it score,
 * would it be entered today (gates and the exit rules on the would-be position), does the risk
 * manager allow the net change. The first refusal decides the fallback and is its reason.
 */
export function decideRoll(i: RollInputs): RollDecision {
  if (!i.candidate.ok) return { action: 'close', reason: `fallback close: ${i.candidate.reason}`, score: null, refused_by: 'candidate' };
  const c = i.candidate.candidate;
  const what = `roll candidate ${describeCandidate(c)} scored ${c.score.toFixed(1)}`;
  if (!(c.score >= i.min_score)) return { action: 'close', reason: `fallback close: ${what} < min_score ${i.min_score}`, score: c.score, refused_by: 'min_score' };
  if (!i.entry || i.entry.action !== 'enter') {
    return { action: 'close', reason: `fallback close: ${what} ≥ ${i.min_score} but ${i.entry ? `the entry gates refused it (${i.entry.reason})` : 'the entry gates were not asked'}`, score: c.score, refused_by: 'gates' };
  }
  if (!i.risk || !i.risk.allowed) {
    return { action: 'close', reason: `fallback close: ${what} ≥ ${i.min_score}, gates hold, but the risk manager refused the net change${i.risk ? ` (${i.risk.reasons.join('; ')})` : ''}`, score: c.score, refused_by: 'risk' };
  }
  const net = i.net_max_loss === null ? '' : `, max loss ${money(i.net_max_loss)}`;
  return { action: 'roll', reason: `roll to ${describeCandidate(c)}: scored ${c.score.toFixed(1)} ≥ min_score ${i.min_score}, gates hold, risk allows the net change${net}`, score: c.score, refused_by: null };
}

export type RollMode = 'combo' | 'linked';

/**
 * One combo order for the whole roll when the broker takes combos that large and no contract is
 * both in the close and in the open (a BAG lists each contract once); else a close, then an open
 * sent only once the close filled.
 */
export function rollMode(legs: { readonly close: readonly ContractKey[]; readonly open: readonly ContractKey[] }, maxComboLegs: number): RollMode {
  if (legs.close.length + legs.open.length > maxComboLegs) return 'linked';
  const keys = new Set(legs.close.map(contractKey));
  return legs.open.some((l) => keys.has(contractKey(l))) ? 'linked' : 'combo';
}

interface ContractKey {
  readonly expiry: string;
  readonly right: string;
  readonly strike: number;
}

const contractKey = (l: ContractKey): string => `${l.expiry}|${l.right}|${l.strike}`;
