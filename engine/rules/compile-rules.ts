import { createHash } from 'node:crypto';
import type { RuleProperties, TopLevelCondition } from 'json-rules-engine';
import type { Condition, Decision, EntryGate, ExitRule } from '../config/types';

/** One rule ready for json-rules-engine, plus what the decision and the trace need. */
export interface CompiledRule {
  readonly name: string;
  /** Config priority (1 highest) for exit rules; gate order (1 first) for entry gates. */
  readonly priority: number;
  /** Facts the conditions read, in first-seen order (the trace shows their values). */
  readonly facts: readonly string[];
  readonly definition: RuleProperties;
  /** Exit rules only. */
  readonly decision: Decision | null;
  /** Entry gates only. */
  readonly reason: string | null;
}

export interface CompiledRuleSet {
  readonly hash: string;
  readonly rules: readonly CompiledRule[];
  /** Union of every rule's facts: what must be present and finite before a run. */
  readonly facts: readonly string[];
}

// json-rules-engine does not export its nested condition type; this is its shape.
type NestedCondition = TopLevelCondition | { fact: string; operator: string; value: unknown };

function toEngineCondition(c: Condition): NestedCondition {
  if ('all' in c) return { all: c.all.map(toEngineCondition) };
  if ('any' in c) return { any: c.any.map(toEngineCondition) };
  if ('not' in c) return { not: toEngineCondition(c.not) };
  return { fact: c.fact, operator: c.operator, value: c.value as unknown };
}

function collectFacts(c: Condition, out: string[]): void {
  if ('all' in c) c.all.forEach((x) => collectFacts(x, out));
  else if ('any' in c) c.any.forEach((x) => collectFacts(x, out));
  else if ('not' in c) collectFacts(c.not, out);
  else if (!out.includes(c.fact)) out.push(c.fact);
}

/** json-rules-engine needs a top-level all/any/not; strategy scoping becomes a leading `in` test. */
function topLevel(conditions: Condition, strategies: readonly string[] | null): TopLevelCondition {
  const body = toEngineCondition(conditions);
  if (strategies !== null) {
    return { all: [{ fact: 'strategy', operator: 'in', value: [...strategies] }, body] } as TopLevelCondition;
  }
  return 'all' in body || 'any' in body || 'not' in body ? (body as TopLevelCondition) : ({ all: [body] } as TopLevelCondition);
}

/** Higher engine priority runs first: config priority 1 maps to the highest engine priority. */
function build(items: ReadonlyArray<{ name: string; priority: number; strategies: readonly string[] | null; conditions: Condition; decision: Decision | null; reason: string | null }>, hash: string): CompiledRuleSet {
  const top = items.reduce((m, r) => Math.max(m, r.priority), 0);
  const all: string[] = [];
  const rules = items.map((r): CompiledRule => {
    const facts: string[] = r.strategies !== null ? ['strategy'] : [];
    collectFacts(r.conditions, facts);
    facts.forEach((f) => {
      if (!all.includes(f)) all.push(f);
    });
    return Object.freeze({
      name: r.name,
      priority: r.priority,
      facts: Object.freeze(facts),
      decision: r.decision,
      reason: r.reason,
      definition: {
        name: r.name,
        priority: top + 1 - r.priority,
        conditions: topLevel(r.conditions, r.strategies),
        event: { type: r.name },
      },
    });
  });
  rules.sort((a, b) => a.priority - b.priority);
  return Object.freeze({ hash, rules: Object.freeze(rules), facts: Object.freeze(all) });
}

/** Hash of the rules themselves, for callers that have no CompiledConfig hash (tests, fixtures). */
export function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

const exitCache = new Map<string, CompiledRuleSet>();
const entryCache = new Map<string, CompiledRuleSet>();

/** Compiles once per config hash; later calls with the same hash reuse the result. */
export function compileExitRules(rules: readonly ExitRule[], hash: string = hashOf(rules)): CompiledRuleSet {
  const hit = exitCache.get(hash);
  if (hit) return hit;
  const set = build(
    rules.map((r) => ({ name: r.name, priority: r.priority, strategies: r.strategies, conditions: r.conditions, decision: r.decision, reason: null })),
    hash,
  );
  exitCache.set(hash, set);
  return set;
}

export function compileEntryGates(gates: readonly EntryGate[], hash: string = hashOf(gates)): CompiledRuleSet {
  const hit = entryCache.get(hash);
  if (hit) return hit;
  const set = build(
    gates.map((g, i) => ({ name: g.name, priority: i + 1, strategies: null, conditions: g.conditions, decision: null, reason: g.reason })),
    hash,
  );
  entryCache.set(hash, set);
  return set;
}
