import type { OrderIntent } from '../model/order-intent';
import { InvariantViolation } from '../shared/errors';

export interface RollPrices {
  /** Signed per-share price of the closing part (positive pays) and of the opening part (negative receives). */
  readonly close: number;
  readonly open: number;
  readonly close_legs: number;
  readonly to_position_id: string;
  /** The closing legs' share of the combo's commission (commission is charged per contract). */
  readonly close_fee_share: number;
}

/**
 * A roll combo fills at one net price; the old position's realized P&L and the new one's entry
 * credit need it in two parts. With the broker's per-leg fill prices (`legPrices`, unsigned, in leg
 * order) the closing legs' own prices make the close; without them (IB) the parts are taken at the
 * mids planned when the roll was decided, and whatever the fill gained or gave up against the plan
 * is shared equally. Either way the open is the rest: the two always sum to the price paid.
 */
export function rollSplit(rec: Pick<OrderIntent, 'id' | 'legs' | 'context'>, avg: number, legPrices: readonly number[] | null = null): RollPrices {
  const r = rec.context.roll;
  if (!r) throw new InvariantViolation('ROLL_SPLIT', `roll intent ${rec.id} has no roll split in its context: it cannot be applied to positions`);
  const contracts = (legs: OrderIntent['legs']): number => legs.reduce((s, l) => s + l.ratio, 0);
  const all = contracts(rec.legs);
  const fromLegs = legPrices && legPrices.length === rec.legs.length
    ? rec.legs.slice(0, r.close_legs).reduce((s, l, i) => s + (l.action === 'BUY' ? 1 : -1) * l.ratio * (legPrices[i] ?? 0), 0)
    : null;
  const close = fromLegs ?? r.close_mid + (avg - (r.close_mid + r.open_mid)) / 2;
  return {
    close,
    open: avg - close,
    close_legs: r.close_legs,
    to_position_id: r.to_position_id,
    close_fee_share: all > 0 ? contracts(rec.legs.slice(0, r.close_legs)) / all : 1,
  };
}
