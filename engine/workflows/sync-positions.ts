import type { BrokerPosition } from '../execution/broker';
import type { StrategyPositionRecord } from '../store/positions-repo';
import { PositionsRepo } from '../store/positions-repo';
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

/**
 * The broker's legs against the journal's strategy positions. Differences are reported and alerted,
 * never "fixed" here: which side is right (a manual trade, an assignment, a missed fill) is a
 * person's call.
 */
export const syncPositions: Workflow = async (ctx) => {
  const open = new PositionsRepo(ctx.db).list('open');
  const mismatches = compareLegs(open, await ctx.broker.positions());
  if (mismatches.length > 0) {
    await ctx.alerts.raise({ severity: 'warning', kind: 'position_mismatch', message: `broker and journal disagree on ${mismatches.length} leg(s): ${mismatches.map((m) => `${m.leg} journal ${m.journal} broker ${m.broker}`).join('; ')}` });
  }
  return {
    summary: mismatches.length === 0 ? `${open.length} open positions agree with the broker` : `${mismatches.length} leg(s) differ from the broker; the journal was left as it is for review`,
    data: { open: open.length, mismatches },
  };
};
