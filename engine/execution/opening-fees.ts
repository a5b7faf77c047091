import type { StrategyPositionRecord } from '../model/position';
import { ExecutionsRepo } from '../store/executions-repo';
import { IntentsRepo } from '../store/intents-repo';
import type { Db } from '../store/journal';

/**
 * The opening fills' commissions owed by `lots` sets of a position as they are closed: a position's
 * realized P&L is its round trip, so every close (a fill, or a settlement at expiry) charges its
 * share of what opening it cost (of a roll's combo, only the share of the legs that opened it).
 */
export function openingFeesFor(db: Db, pos: StrategyPositionRecord, lots: number): number {
  const opener = new IntentsRepo(db).get(pos.opened_by_intent);
  const openerShare = opener?.kind === 'roll' && opener.context.roll ? 1 - opener.context.roll.close_legs / opener.legs.length : 1;
  const opening = new ExecutionsRepo(db).forIntent(pos.opened_by_intent);
  const openedQty = opening.reduce((q, e) => q + e.quantity, 0);
  return openedQty > 0 ? (opening.reduce((c, e) => c + e.commission, 0) * openerShare * lots) / openedQty : 0;
}
