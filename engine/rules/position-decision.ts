import type { RuleAction } from '../config/types';
import type { Urgency } from '../model/strategy-names';
import type { CompiledRuleSet } from './compile-rules';
import { runRules, type TraceEntry } from './run-rules';
import { validateFacts, type Facts } from './validate-facts';

export interface PositionDecision {
  readonly action: RuleAction;
  /** Null for hold and for the data-incomplete alert. */
  readonly rule: string | null;
  readonly priority: number | null;
  readonly urgency: Urgency;
  readonly reason: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** Every rule in priority order; empty when the facts were incomplete (nothing ran). */
  readonly trace: readonly TraceEntry[];
  readonly config_hash: string;
  /** True when the position needs a human: its facts were incomplete. */
  readonly flagged: boolean;
  /** Required facts that were missing or non-finite. */
  readonly missing: readonly string[];
}

/**
 * The 12-priority decision: validate facts, run all rules, then the first fired rule by priority
 * wins; none fired is hold. Missing data is an alert, never a silent hold.
 */
export async function decidePosition(set: CompiledRuleSet, facts: Facts): Promise<PositionDecision> {
  const missing = validateFacts(facts, set.facts, 'position');
  if (missing.length > 0) {
    return {
      action: 'alert',
      rule: null,
      priority: null,
      urgency: 'high',
      reason: `data incomplete: ${missing.join(', ')}`,
      params: {},
      trace: [],
      config_hash: set.hash,
      flagged: true,
      missing,
    };
  }
  const trace = await runRules(set, facts);
  const winner = trace.find((t) => t.fired);
  const rule = winner ? set.rules.find((r) => r.name === winner.rule) : undefined;
  if (!winner || !rule?.decision) {
    return { action: 'hold', rule: null, priority: null, urgency: 'low', reason: 'no rule matched', params: {}, trace, config_hash: set.hash, flagged: false, missing: [] };
  }
  const d = rule.decision;
  return {
    action: d.action,
    rule: rule.name,
    priority: rule.priority,
    urgency: d.urgency,
    reason: d.reason,
    params: d.params,
    trace,
    config_hash: set.hash,
    flagged: false,
    missing: [],
  };
}
