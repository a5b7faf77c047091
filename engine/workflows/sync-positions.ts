import type { BrokerPosition } from '../model/broker-records';
import { IntentsRepo } from '../store/intents-repo';
import type { StrategyPositionRecord } from '../model/position';
import { PositionsRepo } from '../store/positions-repo';
import { settleExpiredPositions, type ExpiryReport } from './settle-expired';
import type { Workflow } from './workflow-context';

export interface LegMismatch {
  readonly leg: string;
  readonly journal: number;
  readonly broker: number;
}

const legKey = (symbol: string, expiry: string, right: string, strike: number): string => `${symbol} ${expiry} ${strike}${right}`;

/** Pure: signed contracts per leg the journal's open positions imply, against the broker's. */
export function compareLegs(open: readonly StrategyPositionRecord[], broker: readonly BrokerPosition[]): LegMismatch[] {
  const want = new Map<string, number>();
  for (const p of open) for (const l of p.legs) {
    const k = legKey(p.symbol, l.expiry, l.right, l.strike);
    want.set(k, (want.get(k) ?? 0) + (l.action === 'SELL' ? -1 : 1) * l.ratio * p.quantity);
  }
  const have = new Map<string, number>();
  for (const b of broker) {
    const k = legKey(b.symbol, b.expiry, b.right, b.strike);
    have.set(k, (have.get(k) ?? 0) + b.quantity);
  }
  const keys = [...new Set([...want.keys(), ...have.keys()])].sort();
  return keys.map((leg) => ({ leg, journal: want.get(leg) ?? 0, broker: have.get(leg) ?? 0 })).filter((m) => m.journal !== m.broker);
}

export type MismatchKind = 'missing_at_broker' | 'unexpected_at_broker' | 'quantity_differs';

/** What a difference most likely is: the journal holds a leg the broker lacks, the reverse, or both hold different sizes. */
export function mismatchKind(m: LegMismatch): MismatchKind {
  if (m.broker === 0) return 'missing_at_broker';
  if (m.journal === 0) return 'unexpected_at_broker';
  return 'quantity_differs';
}

export interface SyncReport {
  readonly open: number;
  readonly broker_legs: number;
  readonly mismatches: readonly LegMismatch[];
  /** Differences on legs of orders still working: the fill may be at the broker before the journal applies it. */
  readonly settling: readonly LegMismatch[];
  readonly missing_at_broker: readonly string[];
  readonly unexpected_at_broker: readonly string[];
  readonly quantity_differs: readonly string[];
  /** Positions past their expiry: settled in the journal, or left open because the broker still holds legs. */
  readonly expiry: ExpiryReport;
}

/**
 * The broker's legs against the journal's strategy positions. Differences are reported and alerted,
 * never "fixed" here: which side is right (a manual trade, an assignment, a missed fill) is a
 * person's call. One exception, the expiry backstop (settle-expired.ts): a position past its expiry
 * whose legs are all flat at the broker was settled by it, and is closed in the journal at intrinsic.
 */
export const syncPositions: Workflow = async (ctx, job) => {
  const held = await ctx.broker.positions();
  const expiry = await settleExpiredPositions(ctx, new PositionsRepo(ctx.db).list('open'), held, job.dry_run);
  const gone = new Set(expiry.settled.map((s) => s.position_id));
  const open = new PositionsRepo(ctx.db).list('open').filter((p) => !gone.has(p.id));
  // A fill reaches the broker's books (and triggers this task) before the order manager has seen
  // it and applied it to the journal: legs of working intents are reported, not alerted.
  const inFlight = new Set(new IntentsRepo(ctx.db).active().flatMap((i) => i.legs.map((l) => legKey(i.symbol, l.expiry, l.right, l.strike))));
  const all = compareLegs(open, held);
  const mismatches = all.filter((m) => !inFlight.has(m.leg));
  const settling = all.filter((m) => inFlight.has(m.leg));
  const of = (k: MismatchKind): string[] => mismatches.filter((m) => mismatchKind(m) === k).map((m) => m.leg);
  const report: SyncReport = {
    open: open.length,
    broker_legs: held.filter((b) => b.quantity !== 0).length,
    mismatches,
    settling,
    missing_at_broker: of('missing_at_broker'),
    unexpected_at_broker: of('unexpected_at_broker'),
    quantity_differs: of('quantity_differs'),
    expiry,
  };
  // A dry run sends nothing, alerts included: the report is in `data`.
  if (mismatches.length > 0 && !job.dry_run) {
    const legs = mismatches.map((m) => `${m.leg} journal ${m.journal} broker ${m.broker}`).join('; ');
    await ctx.alerts.raise({ severity: 'warning', kind: 'position_mismatch', message: `broker and journal disagree on ${mismatches.length} leg(s): ${legs}. The journal was not changed: check the broker's trades (manual trade, assignment, missed fill) and correct the side that is wrong.` });
  }
  return {
    summary:
      (mismatches.length === 0 ? `${open.length} open positions agree with the broker` : `${mismatches.length} leg(s) differ from the broker; the journal was left as it is for review`) +
      (settling.length > 0 ? `; ${settling.length} leg(s) of working orders still settling` : '') +
      (expiry.settled.length > 0 ? `; ${expiry.settled.length} expired position(s) ${job.dry_run ? 'would be settled' : 'settled'} at intrinsic` : '') +
      (expiry.held_past_expiry.length > 0 ? `; ${expiry.held_past_expiry.length} expired position(s) with legs still at the broker` : ''),
    data: report,
  };
};
