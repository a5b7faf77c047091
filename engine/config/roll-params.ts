/**
 * The parameters of a `roll` decision (rules/exit.yaml `decision.params`). The exit-rule schema
 * types them only as an object: `thetadesk lint` checks them here (E_ROLL_PARAMS), so a typo stops
 * start-up instead of rolling to a default; the monitor checks them again when the rule fires.
 */
export interface RollParams {
  /** Calendar days to the new expiry: the listed expiry nearest it is taken. */
  readonly target_dte: number;
  /** The new candidate's score (strategies.yaml scoring) must reach this, 0..100. */
  readonly min_score: number;
  /** What happens when the roll is not made. Only `close` is supported. */
  readonly fallback: 'close';
}

export type RollParamsResult = { readonly ok: true; readonly params: RollParams } | { readonly ok: false; readonly reason: string; readonly problems: readonly string[] };

export function parseRollParams(p: Readonly<Record<string, unknown>>): RollParamsResult {
  const bad: string[] = [];
  const { target_dte: dte, min_score: score, fallback } = p;
  if (typeof dte !== 'number' || !Number.isInteger(dte) || dte < 1) bad.push(`target_dte must be a whole number of days ≥ 1 (got ${JSON.stringify(dte)})`);
  if (typeof score !== 'number' || !(score >= 0 && score <= 100)) bad.push(`min_score must be a number in 0..100 (got ${JSON.stringify(score)})`);
  if (fallback !== 'close') bad.push(`fallback must be close (got ${JSON.stringify(fallback)})`);
  const extra = Object.keys(p).filter((k) => !['target_dte', 'min_score', 'fallback'].includes(k));
  if (extra.length > 0) bad.push(`unknown roll parameter${extra.length > 1 ? 's' : ''} ${extra.join(', ')} (known: target_dte, min_score, fallback)`);
  if (bad.length > 0) return { ok: false, reason: `roll params in rules/exit.yaml: ${bad.join('; ')}`, problems: bad };
  return { ok: true, params: { target_dte: dte as number, min_score: score as number, fallback: 'close' } };
}
