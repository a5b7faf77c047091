import type { Problem } from '../problem';
import { dataOf, problemAt, type LintContext } from '../lint-context';
import type { RawExitFile } from '../raw-types';
import { parseRollParams } from '../roll-params';

/** A `roll` decision carries target_dte, min_score and fallback, each valid (the schema leaves params open). */
export const checkRollParams = (ctx: LintContext): Problem[] => {
  const out: Problem[] = [];
  dataOf<RawExitFile>(ctx, 'exit').rules.forEach((r, i) => {
    if (r.decision.action !== 'roll') return;
    const parsed = parseRollParams(r.decision.params ?? {});
    if (parsed.ok) return;
    const path = r.decision.params ? ['rules', i, 'decision', 'params'] : ['rules', i, 'decision'];
    for (const p of parsed.problems) out.push(problemAt(ctx, 'exit', path, 'E_ROLL_PARAMS', `rule "${r.name}" rolls: ${p}`));
  });
  return out;
};
