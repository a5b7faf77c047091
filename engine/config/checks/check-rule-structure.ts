import type { Problem } from '../problem';
import { dataOf, problemAt, type FileKey, type LintContext } from '../lint-context';
import { walkConditions, type RawCondition, type RawEntryFile, type RawExitFile } from '../raw-types';

const EXIT_RULE_COUNT = 12;

/** Exit rule priorities are exactly 1..12, each once. */
export const checkPriorities = (ctx: LintContext): Problem[] => {
  const { rules } = dataOf<RawExitFile>(ctx, 'exit');
  const out: Problem[] = [];
  const seen = new Map<number, string>();
  rules.forEach((r, i) => {
    const first = seen.get(r.priority);
    if (first !== undefined) {
      out.push(problemAt(ctx, 'exit', ['rules', i, 'priority'], 'E_PRIORITY_DUPLICATE', `priority ${r.priority} of rule "${r.name}" is already used by rule "${first}"; priorities must be unique`));
    } else seen.set(r.priority, r.name);
  });
  const missing = Array.from({ length: EXIT_RULE_COUNT }, (_, k) => k + 1).filter((p) => !seen.has(p));
  if (missing.length > 0 || rules.length !== EXIT_RULE_COUNT) {
    out.push(problemAt(ctx, 'exit', ['rules'], 'E_PRIORITY_SET', `exit rules must have priorities exactly 1..${EXIT_RULE_COUNT} (found ${rules.length} rules${missing.length ? `; missing ${missing.join(', ')}` : ''})`));
  }
  return out;
};

function duplicates(ctx: LintContext, key: FileKey, list: readonly { name: string }[], field: 'rules' | 'gates', what: string): Problem[] {
  const seen = new Set<string>();
  const out: Problem[] = [];
  list.forEach((item, i) => {
    if (seen.has(item.name)) out.push(problemAt(ctx, key, [field, i, 'name'], 'E_NAME_DUPLICATE', `${what} name "${item.name}" is used twice; names must be unique`));
    seen.add(item.name);
  });
  return out;
}

/** Rule and gate names are unique. */
export const checkNames = (ctx: LintContext): Problem[] => [
  ...duplicates(ctx, 'exit', dataOf<RawExitFile>(ctx, 'exit').rules, 'rules', 'rule'),
  ...duplicates(ctx, 'entry', dataOf<RawEntryFile>(ctx, 'entry').gates, 'gates', 'gate'),
];

function refsIn(c: RawCondition): string[] {
  const out: string[] = [];
  walkConditions(c, [], (n) => {
    if ('condition' in n) out.push(n.condition);
  });
  return out;
}

function checkRefsOfFile(ctx: LintContext, key: 'exit' | 'entry'): Problem[] {
  const file = dataOf<RawExitFile & RawEntryFile>(ctx, key);
  const named = file.conditions ?? {};
  const out: Problem[] = [];
  const roots: [RawCondition, (string | number)[]][] = [
    ...Object.entries(named).map(([n, c]): [RawCondition, (string | number)[]] => [c, ['conditions', n]]),
    ...(key === 'exit' ? file.rules : file.gates).map((r, i): [RawCondition, (string | number)[]] => [r.conditions, [key === 'exit' ? 'rules' : 'gates', i, 'conditions']]),
  ];
  for (const [root, path] of roots) {
    walkConditions(root, path, (n, p) => {
      if ('condition' in n && !Object.prototype.hasOwnProperty.call(named, n.condition)) {
        const known = Object.keys(named);
        out.push(problemAt(ctx, key, [...p, 'condition'], 'E_CONDITION_REF', `condition "${n.condition}" is not declared under conditions:${known.length ? ` (declared: ${known.join(', ')})` : ''}`));
      }
    });
  }
  // Named conditions referencing each other must not loop.
  const visiting = new Set<string>();
  const done = new Set<string>();
  const visit = (name: string): string | null => {
    if (done.has(name)) return null;
    if (visiting.has(name)) return name;
    visiting.add(name);
    const c = named[name];
    for (const r of c ? refsIn(c) : []) {
      const loop = visit(r);
      if (loop) return loop;
    }
    visiting.delete(name);
    done.add(name);
    return null;
  };
  for (const name of Object.keys(named)) {
    const loop = visit(name);
    if (loop) {
      out.push(problemAt(ctx, key, ['conditions', loop], 'E_CONDITION_CYCLE', `named condition "${loop}" refers to itself through condition: references`));
      break;
    }
  }
  return out;
}

/** Every `condition:` reference names a declared condition, without cycles. */
export const checkConditionRefs = (ctx: LintContext): Problem[] => [...checkRefsOfFile(ctx, 'exit'), ...checkRefsOfFile(ctx, 'entry')];
