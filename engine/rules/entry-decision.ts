import { factSpec } from '../config/facts-catalogue';
import type { CompiledRuleSet } from './compile-rules';
import { decidePosition, type PositionDecision } from './position-decision';
import { runRules } from './run-rules';
import { validateFacts, type FactValue, type Facts } from './validate-facts';

export interface GateResult {
  readonly gate: string;
  readonly passed: boolean;
  /** The gate's reason, shown when it failed. */
  readonly reason: string;
  readonly facts: Readonly<Record<string, FactValue>>;
}

export interface EntryDecision {
  /** enter: every gate holds and the exit rules hold; skip: not; alert: facts incomplete. */
  readonly action: 'enter' | 'skip' | 'alert';
  readonly reason: string;
  readonly gates: readonly GateResult[];
  /** The 12 rules on the would-be position; null when the facts were incomplete. */
  readonly exit: PositionDecision | null;
  /** The exit rule that would fire at once on entry, if any. */
  readonly exit_rule: string | null;
  readonly config_hash: string;
  readonly flagged: boolean;
}

/**
 * The would-be position right after entry: nothing gained, nothing moved since entry, the
 * candidate's own DTE, deltas and gamma, and today's market facts. Facts shared with the position
 * scope come from the candidate; the rest are fixed at their entry values.
 */
export function wouldBePositionFacts(entry: Facts): Facts {
  const out: Record<string, FactValue | undefined> = {
    profit_pct: 0,
    peak_profit_pct: 0,
    retained_of_peak_pct: 100,
    iv_change_pct: 0,
    vix_change_since_entry: 0,
    days_held: 0,
    partial_taken: false,
    // Every short leg is at its entry delta by definition.
    short_delta_vs_entry: 1,
  };
  for (const [k, v] of Object.entries(entry)) {
    if (factSpec(k)?.scopes.includes('position')) out[k] = v;
  }
  return out;
}

export async function decideEntry(gates: CompiledRuleSet, exits: CompiledRuleSet, facts: Facts): Promise<EntryDecision> {
  const hash = gates.hash === exits.hash ? gates.hash : `${gates.hash}+${exits.hash}`;
  // The exit rules need from the candidate whatever they read that is not fixed at entry.
  const fixed = wouldBePositionFacts({});
  const required = [...gates.facts, ...exits.facts.filter((f) => !(f in fixed))].filter((f, i, a) => a.indexOf(f) === i);
  const missing = validateFacts(facts, required, 'entry');
  if (missing.length > 0) {
    return { action: 'alert', reason: `data incomplete: ${missing.join(', ')}`, gates: [], exit: null, exit_rule: null, config_hash: hash, flagged: true };
  }
  const trace = await runRules(gates, facts);
  const results: GateResult[] = trace.map((t, i) => ({ gate: t.rule, passed: t.fired, reason: gates.rules[i]?.reason ?? '', facts: t.facts }));
  const exit = await decidePosition(exits, wouldBePositionFacts(facts));
  const failed = results.filter((g) => !g.passed);
  const exitFires = exit.action !== 'hold';
  const reasons = [
    ...failed.map((g) => `gate ${g.gate} failed: ${g.reason}`),
    ...(exitFires ? [`exit rule ${exit.rule ?? '?'} would fire at entry: ${exit.reason}`] : []),
  ];
  return {
    action: reasons.length === 0 ? 'enter' : 'skip',
    reason: reasons.length === 0 ? 'all gates hold and the exit rules hold' : reasons.join('; '),
    gates: results,
    exit,
    exit_rule: exit.rule,
    config_hash: hash,
    flagged: false,
  };
}
