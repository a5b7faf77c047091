import type { Problem } from '../problem';
import { dataOf, problemAt, type LintContext } from '../lint-context';
import type { RawCondition, RawExitFile, RawRule } from '../raw-types';

type Leaf = { fact: string; operator: string; value: unknown };

const OP_TEXT: Readonly<Record<string, string>> = {
  lessThan: '<',
  lessThanInclusive: '<=',
  greaterThan: '>',
  greaterThanInclusive: '>=',
  equal: '==',
};

function resolve(c: RawCondition, named: Record<string, RawCondition>, depth = 0): RawCondition {
  if ('condition' in c && depth < 20) {
    const target = named[c.condition];
    return target ? resolve(target, named, depth + 1) : c;
  }
  return c;
}

/** Leaves that, each alone, make the condition fire: the node itself, or members of a top `any`. */
function sufficientLeaves(c: RawCondition, named: Record<string, RawCondition>): Leaf[] {
  const r = resolve(c, named);
  if ('fact' in r) return [r];
  if ('all' in r && r.all.length === 1 && r.all[0]) return sufficientLeaves(r.all[0], named);
  if ('any' in r) return r.any.flatMap((x) => sufficientLeaves(x, named));
  return [];
}

/** Leaves that must all hold whenever the condition fires: the node itself, or members of a top `all`. */
function necessaryLeaves(c: RawCondition, named: Record<string, RawCondition>): Leaf[] {
  const r = resolve(c, named);
  if ('fact' in r) return [r];
  if ('all' in r) return r.all.flatMap((x) => necessaryLeaves(x, named));
  if ('any' in r && r.any.length === 1 && r.any[0]) return necessaryLeaves(r.any[0], named);
  return [];
}

/** True when every value satisfying `inner` also satisfies `outer` (same fact). */
function implies(inner: Leaf, outer: Leaf): boolean {
  if (inner.fact !== outer.fact) return false;
  const a = inner.value;
  const b = outer.value;
  if (inner.operator === 'equal') {
    if (typeof a === 'number' && typeof b === 'number') {
      switch (outer.operator) {
        case 'lessThan': return a < b;
        case 'lessThanInclusive': return a <= b;
        case 'greaterThan': return a > b;
        case 'greaterThanInclusive': return a >= b;
        default: break;
      }
    }
    return outer.operator === 'equal' && a === b;
  }
  if (typeof a !== 'number' || typeof b !== 'number') return false;
  const less = (op: string): boolean => op === 'lessThan' || op === 'lessThanInclusive';
  const greater = (op: string): boolean => op === 'greaterThan' || op === 'greaterThanInclusive';
  const strict = (op: string): boolean => op === 'lessThan' || op === 'greaterThan';
  if (less(inner.operator) && less(outer.operator)) return b > a || (b === a && (!strict(outer.operator) || strict(inner.operator)));
  if (greater(inner.operator) && greater(outer.operator)) return b < a || (b === a && (!strict(outer.operator) || strict(inner.operator)));
  return false;
}

function appliesToAll(upper: RawRule, lower: RawRule): boolean {
  if (!upper.strategies) return true;
  if (!lower.strategies) return false;
  return lower.strategies.every((s) => upper.strategies?.includes(s));
}

const leafText = (l: Leaf): string => `${l.fact} ${OP_TEXT[l.operator] ?? l.operator} ${JSON.stringify(l.value)}`;

/**
 * A rule that can never fire because a rule above it always fires first (v6's `dte <= 25` roll
 * above the `dte <= 1` and `dte < 14` exits): the upper rule fires on one fact test alone (or inside
 * an `any`) that every firing of the lower rule also satisfies.
 */
export const checkShadowedRules = (ctx: LintContext): Problem[] => {
  const file = dataOf<RawExitFile>(ctx, 'exit');
  const named = file.conditions ?? {};
  const rules = file.rules.map((r, i) => ({ r, i })).sort((a, b) => a.r.priority - b.r.priority);
  const out: Problem[] = [];
  for (const [k, lower] of rules.entries()) {
    const needs = necessaryLeaves(lower.r.conditions, named);
    search: for (const upper of rules.slice(0, k)) {
      if (upper.r.priority === lower.r.priority || !appliesToAll(upper.r, lower.r)) continue;
      for (const s of sufficientLeaves(upper.r.conditions, named)) {
        const n = needs.find((x) => implies(x, s));
        if (n) {
          out.push(
            problemAt(ctx, 'exit', ['rules', lower.i, 'name'], 'E_SHADOWED_RULE',
              `rule "${lower.r.name}" (priority ${lower.r.priority}) can never fire: rule "${upper.r.name}" (priority ${upper.r.priority}) fires first whenever ${leafText(n)} (it fires on ${leafText(s)})`),
          );
          break search;
        }
      }
    }
  }
  return out;
};
