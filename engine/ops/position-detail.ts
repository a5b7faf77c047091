import type { DecisionRecord } from '../store/decisions-repo';
import { DecisionsRepo } from '../store/decisions-repo';
import type { Db } from '../store/journal';
import type { StrategyPositionRecord } from '../model/position';

/** One rule of an exit decision's trace: whether it fired and the fact values it saw. */
export interface TraceRule {
  readonly rule: string;
  readonly priority: number;
  readonly fired: boolean;
  readonly facts: Readonly<Record<string, unknown>>;
}

/** The last exit decision on a position, its trace split around the rule that won. */
export interface ExplainedDecision {
  readonly decision: DecisionRecord;
  /** The rules checked before the winner, each with the facts that kept it from firing (all of them on a hold). */
  readonly above: TraceRule[];
  readonly winner: TraceRule | null;
  /** Rules after the winner: never reached (first match wins). */
  readonly below: TraceRule[];
}

const asTrace = (t: unknown): TraceRule[] => (Array.isArray(t) ? (t as TraceRule[]).filter((r) => r && typeof r.rule === 'string').sort((a, b) => a.priority - b.priority) : []);

/** Splits a decision's trace: the winning rule is the one the decision names (the first that fired). */
export function explainDecision(d: DecisionRecord): ExplainedDecision {
  const trace = asTrace(d.trace);
  const i = d.rule === null ? -1 : trace.findIndex((r) => r.rule === d.rule);
  if (i < 0) return { decision: d, above: trace, winner: null, below: [] };
  return { decision: d, above: trace.slice(0, i), winner: trace[i] ?? null, below: trace.slice(i + 1) };
}

/** The latest exit decision about a position, explained; null before the monitor has looked at it. */
export function lastDecision(db: Db, positionId: string): ExplainedDecision | null {
  const d = new DecisionsRepo(db).latestFor(positionId, 1)[0];
  return d ? explainDecision(d) : null;
}

export interface PnlPoint {
  readonly at: number;
  /** Dollars: profit_pct of the credit × credit × 100 × quantity, as the monitor saw it. */
  readonly pnl: number;
}

/**
 * The position's P&L since entry, one point per monitor decision (the profit_pct the rules saw),
 * so the line is what the engine judged on, not a later re-mark.
 */
export function pnlSeries(db: Db, p: StrategyPositionRecord): PnlPoint[] {
  const out: PnlPoint[] = [];
  for (const d of new DecisionsRepo(db).forSubject(p.id)) {
    const pct = asTrace(d.trace)
      .map((r) => r.facts?.profit_pct)
      .find((v): v is number => typeof v === 'number' && Number.isFinite(v));
    if (pct !== undefined) out.push({ at: d.at, pnl: (pct / 100) * p.entry_credit * 100 * p.quantity });
  }
  return out;
}
