import { factSpec, type FactScope } from '../facts-catalogue';
import type { Problem } from '../problem';
import { dataOf, problemAt, type FileKey, type LintContext, type Path } from '../lint-context';
import { walkConditions, type RawCondition, type RawEntryFile, type RawExitFile } from '../raw-types';

const NUMERIC_OPS = new Set(['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive']);
const LIST_OPS = new Set(['in', 'notIn']);

/** Exit rules read position facts (also on the would-be position at entry); gates read entry facts. */
const SCOPE_OF: Readonly<Record<FileKey & ('exit' | 'entry'), FactScope>> = { exit: 'position', entry: 'entry' };

function checkLeaf(ctx: LintContext, key: FileKey & ('exit' | 'entry'), c: { fact: string; operator: string; value: unknown }, path: Path): Problem[] {
  const spec = factSpec(c.fact);
  const at = (suffix: string, code: string, msg: string): Problem => problemAt(ctx, key, [...path, suffix], code, msg);
  if (!spec) return [at('fact', 'E_FACT_UNKNOWN', `unknown fact "${c.fact}": see engine/config/facts-catalogue.ts for the facts rules can read`)];
  const scope = SCOPE_OF[key];
  if (!spec.scopes.includes(scope)) {
    const msg = key === 'exit' ? `fact "${c.fact}" is an entry fact: exit rules read position facts (engine/config/facts-catalogue.ts)` : `fact "${c.fact}" is a position fact: entry gates read entry facts (engine/config/facts-catalogue.ts)`;
    return [at('fact', 'E_FACT_SCOPE', msg)];
  }
  const values = LIST_OPS.has(c.operator) ? c.value : [c.value];
  if (LIST_OPS.has(c.operator) && !Array.isArray(c.value)) {
    return [at('value', 'E_FACT_OPERATOR', `operator "${c.operator}" on fact "${c.fact}" needs a list value, e.g. [a, b]`)];
  }
  if (!LIST_OPS.has(c.operator) && Array.isArray(c.value)) {
    return [at('value', 'E_FACT_TYPE', `fact "${c.fact}" is a ${spec.type}; operator "${c.operator}" compares it with one value, not a list`)];
  }
  if (spec.type === 'boolean' && c.operator !== 'equal' && c.operator !== 'notEqual') {
    return [at('operator', 'E_FACT_OPERATOR', `fact "${c.fact}" is a boolean: compare it only with equal or notEqual`)];
  }
  if (spec.type !== 'number' && NUMERIC_OPS.has(c.operator)) {
    return [at('operator', 'E_FACT_OPERATOR', `fact "${c.fact}" is a ${spec.type}: operator "${c.operator}" needs a number fact`)];
  }
  const out: Problem[] = [];
  for (const v of values as unknown[]) {
    if (typeof v !== spec.type) {
      out.push(at('value', 'E_FACT_TYPE', `fact "${c.fact}" is a ${spec.type} (${spec.unit}); got ${JSON.stringify(v)}`));
    } else if (spec.type === 'number') {
      const n = v as number;
      if ((spec.min !== null && n < spec.min) || (spec.max !== null && n > spec.max)) {
        out.push(at('value', 'E_FACT_RANGE', `value ${n} is outside the range of fact "${c.fact}" (${spec.unit}: ${spec.min ?? '−∞'}..${spec.max ?? '∞'})`));
      }
    } else if (spec.type === 'string' && spec.values && !spec.values.includes(v as string)) {
      out.push(at('value', 'E_FACT_RANGE', `value "${String(v)}" is not a ${c.fact}; use one of ${spec.values.join(', ')}`));
    }
  }
  return out;
}

function checkTree(ctx: LintContext, key: FileKey & ('exit' | 'entry'), root: RawCondition, path: Path): Problem[] {
  const out: Problem[] = [];
  walkConditions(root, path, (c, p) => {
    if ('fact' in c) out.push(...checkLeaf(ctx, key, c, p));
  });
  return out;
}

/** Every fact a rule or gate names exists, with a value of its type inside its unit's range. */
export const checkFacts = (ctx: LintContext): Problem[] => {
  const exit = dataOf<RawExitFile>(ctx, 'exit');
  const entry = dataOf<RawEntryFile>(ctx, 'entry');
  const out: Problem[] = [];
  for (const [name, c] of Object.entries(exit.conditions ?? {})) out.push(...checkTree(ctx, 'exit', c, ['conditions', name]));
  exit.rules.forEach((r, i) => out.push(...checkTree(ctx, 'exit', r.conditions, ['rules', i, 'conditions'])));
  for (const [name, c] of Object.entries(entry.conditions ?? {})) out.push(...checkTree(ctx, 'entry', c, ['conditions', name]));
  entry.gates.forEach((g, i) => out.push(...checkTree(ctx, 'entry', g.conditions, ['gates', i, 'conditions'])));
  return out;
};
