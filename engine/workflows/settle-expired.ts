import type { BrokerPosition } from '../model/broker-records';
import type { StrategyPositionRecord } from '../model/position';
import { openingFeesFor } from '../execution/opening-fees';
import { exchangeDate, exchangeMinuteOfDay } from '../shared/exchange-time';
import { DecisionsRepo } from '../store/decisions-repo';
import { IntentsRepo } from '../store/intents-repo';
import { PositionsRepo } from '../store/positions-repo';
import { SnapshotsRepo } from '../store/snapshots-repo';
import { expiryCloseMs, expiryVerdicts, intrinsic, intrinsicCloseValue, settlementPnl } from './expiry-settlement';
import type { WorkflowContext } from './workflow-context';

export const EXPIRY_SETTLEMENT_RULE = 'expiry_settlement';

export interface SettledPosition {
  readonly position_id: string;
  readonly symbol: string;
  readonly expiry: string;
  readonly quantity: number;
  readonly spot: number;
  readonly spot_source: string;
  /** Per share: what the remaining lots were worth at expiry. */
  readonly intrinsic: number;
  readonly realized_pnl: number;
}

export interface ExpiryReport {
  readonly settled: readonly SettledPosition[];
  /** Past the close on expiry day with legs still at the broker (it has not processed expiry yet), or an order of the position still working. */
  readonly awaiting_broker: readonly string[];
  readonly held_past_expiry: ReadonlyArray<{ position_id: string; legs: readonly string[] }>;
}

const hhmm = (ms: number): string => {
  const m = exchangeMinuteOfDay(ms);
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
};

/**
 * The underlying at the expiry close. After the close on expiry day the market's spot is the close
 * (what the paper broker settled at); later, the last spot collect_option_data kept that day; else
 * today's spot, and the journal says so.
 */
async function expirySpot(ctx: WorkflowContext, symbol: string, expiry: string, nowMs: number): Promise<{ spot: number; source: string }> {
  if (exchangeDate(nowMs) === expiry) return { spot: await ctx.market.spot(symbol), source: `spot after the ${expiry} close` };
  const close = expiryCloseMs(expiry);
  const snaps = new SnapshotsRepo(ctx.db).ofDay<{ spot?: number }>(expiry, 'option').filter((s) => s.symbol === symbol && s.at <= close && typeof s.data.spot === 'number');
  const last = snaps[snaps.length - 1];
  if (last && typeof last.data.spot === 'number') return { spot: last.data.spot, source: `last collected spot on ${expiry} at ${hhmm(last.at)} ET` };
  return { spot: await ctx.market.spot(symbol), source: `current spot on ${exchangeDate(nowMs)}: the ${expiry} close was not available` };
}

/**
 * The backstop for positions the broker settled at expiry: no close order ever fills for them, so
 * without this the journal holds them open forever and their P&L never reaches realized. A position
 * whose legs are all flat at the broker past its expiry close is closed at intrinsic; one with legs
 * still held the day after expiry (an assignment, a partial settlement) is left open and alerted
 * critical once: which side is right is a person's call.
 */
export async function settleExpiredPositions(ctx: WorkflowContext, open: readonly StrategyPositionRecord[], held: readonly BrokerPosition[], dryRun: boolean): Promise<ExpiryReport> {
  const now = ctx.clock.now();
  const positions = new PositionsRepo(ctx.db);
  const decisions = new DecisionsRepo(ctx.db);
  const settled: SettledPosition[] = [];
  const awaiting: string[] = [];
  const heldPast: Array<{ position_id: string; legs: readonly string[] }> = [];
  // A close still working when the contracts expired ends on the broker's evidence first (its fills
  // are the order manager's to apply): settling under it would realize the lots twice.
  const busy = new Set(new IntentsRepo(ctx.db).active().map((i) => i.position_id));
  for (const v of expiryVerdicts(open, held, now)) {
    const p = v.position;
    if (v.kind === 'awaiting_broker' || busy.has(p.id)) {
      awaiting.push(p.id);
      continue;
    }
    if (v.kind === 'held_past_expiry') {
      heldPast.push({ position_id: p.id, legs: v.held });
      const told = decisions.forSubject(p.id).some((d) => d.rule === EXPIRY_SETTLEMENT_RULE && d.action === 'alert');
      if (dryRun || told) continue;
      const reason = `expired ${v.expiry} but the broker still holds ${v.held.join(', ')}: not closed in the journal`;
      decisions.record({ at: now, config_hash: ctx.config.hash, kind: 'exit', subject: p.id, action: 'alert', rule: EXPIRY_SETTLEMENT_RULE, reason, trace: { expiry: v.expiry, held: v.held } });
      await ctx.alerts.raise({ severity: 'critical', kind: 'expired_legs_held', message: `${p.id} ${p.symbol} ${p.strategy} ${reason}. Check the broker (assignment or exercise, a partial settlement), close what it holds, then close or correct the position in the journal.` });
      continue;
    }
    const { spot, source } = await expirySpot(ctx, p.symbol, v.expiry, now);
    const value = intrinsicCloseValue(p.legs, spot);
    const fees = openingFeesFor(ctx.db, p, p.quantity);
    const pnl = settlementPnl(p.entry_credit, value, p.quantity, fees);
    settled.push({ position_id: p.id, symbol: p.symbol, expiry: v.expiry, quantity: p.quantity, spot, spot_source: source, intrinsic: value, realized_pnl: pnl });
    if (dryRun) continue;
    const reason = `expired ${v.expiry} unmanaged, settled by the broker at intrinsic ${value.toFixed(2)}/share with ${p.symbol} at ${spot.toFixed(2)} (${source}): ${p.quantity} lot(s), credit ${p.entry_credit.toFixed(2)}, realized ${pnl.toFixed(2)} after ${fees.toFixed(2)} opening fees, no closing fee`;
    const trace = { expiry: v.expiry, spot, spot_source: source, intrinsic_per_share: value, quantity: p.quantity, entry_credit: p.entry_credit, opening_fees: fees, realized_pnl: pnl, legs: p.legs.map((l) => ({ ...l, intrinsic: intrinsic(l.right, l.strike, spot) })) };
    ctx.db.transaction(() => {
      positions.close(p.id, now, pnl);
      decisions.record({ at: now, config_hash: ctx.config.hash, kind: 'exit', subject: p.id, action: 'close', rule: EXPIRY_SETTLEMENT_RULE, reason, trace });
    })();
    // A loss beyond the credit taken in is a loss the exit rules were there to prevent.
    const severity = pnl < -p.entry_credit * 100 * p.quantity ? 'critical' : 'warning';
    // Broker.positions() lists options only: stock an exercise or assignment delivered (IB settles
    // equity options physically) is invisible here, so an in-the-money expiry says where to look.
    const itm = p.legs.filter((l) => intrinsic(l.right, l.strike, spot) > 0).map((l) => `${l.strike}${l.right}`);
    const stock = itm.length > 0 ? ` In the money at expiry: ${itm.join(', ')}; where options settle in shares (IB), check the account for stock from exercise or assignment and close it.` : '';
    await ctx.alerts.raise({ severity, kind: 'expiry_settlement', message: `${p.id} ${p.symbol} ${p.strategy} ${reason}. It was still open at expiry: check why no exit rule closed it before.${stock}` });
    ctx.log(`${p.id} ${p.symbol} ${p.strategy}: closed in the journal as settled at expiry (${reason})`);
  }
  return { settled, awaiting_broker: awaiting, held_past_expiry: heldPast };
}
