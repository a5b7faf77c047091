import type { DecisionRecord } from '../store/decisions-repo';
import { DecisionsRepo } from '../store/decisions-repo';
import type { Db } from '../store/journal';

export interface DecisionsFilter {
  /** At or after this instant (epoch ms). */
  readonly sinceMs?: number;
  /** Before this instant (epoch ms). */
  readonly untilMs?: number;
  readonly kind?: DecisionRecord['kind'];
  readonly symbol?: string;
  /** The rule (exit) that decided; `none` for decisions no rule fired (hold, enter). */
  readonly rule?: string;
  readonly action?: string;
  /** Leave out exit decisions that hold (the monitor's every-5-minutes "nothing to do"). */
  readonly changesOnly?: boolean;
  /** Newest N after filtering (oldest first still). */
  readonly limit?: number;
}

/**
 * The symbol a decision is about: entry subjects start with it (`SPY|2026-02-27|…`), exit subjects
 * are position ids (`pos-2026-01-13-SPY-bear_call-…`).
 */
export function decisionSymbol(d: Pick<DecisionRecord, 'kind' | 'subject'>): string {
  if (d.kind === 'entry') return d.subject.split('|')[0] ?? '';
  return /^pos-\d{4}-\d{2}-\d{2}-([^-]+)-/.exec(d.subject)?.[1] ?? '';
}

/** Rules decisions (exit and entry) with their traces, oldest first (what `thetadesk journal decisions` shows). */
export function listDecisions(db: Db, f: DecisionsFilter = {}): DecisionRecord[] {
  const rows = new DecisionsRepo(db)
    .between(f.sinceMs ?? 0, f.untilMs ?? Number.MAX_SAFE_INTEGER)
    .filter(
      (d) =>
        (!f.kind || d.kind === f.kind) &&
        (!f.symbol || decisionSymbol(d) === f.symbol) &&
        (!f.rule || (f.rule === 'none' ? d.rule === null : d.rule === f.rule)) &&
        (!f.action || d.action === f.action) &&
        (!f.changesOnly || !(d.kind === 'exit' && d.action === 'hold')),
    );
  return f.limit === undefined ? rows : rows.slice(-f.limit);
}
