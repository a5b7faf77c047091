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
 * credit need it in two parts. They are taken at the mids planned when the roll was decided, and
 * whatever the fill gained or gave up against the plan is shared equally between them: the sum is
 * always exactly the price paid, and neither part is charged the whole walk.
 */
export function rollSplit(rec: Pick<OrderIntent, 'id' | 'legs' | 'context'>, avg: number): RollPrices {
  const r = rec.context.roll;
  if (!r) throw new InvariantViolation('ROLL_SPLIT', `roll intent ${rec.id} has no roll split in its context: it cannot be applied to positions`);
  const slip = avg - (r.close_mid + r.open_mid);
  const contracts = (legs: OrderIntent['legs']): number => legs.reduce((s, l) => s + l.ratio, 0);
  const all = contracts(rec.legs);
  return {
    close: r.close_mid + slip / 2,
    open: r.open_mid + slip / 2,
    close_legs: r.close_legs,
    to_position_id: r.to_position_id,
    close_fee_share: all > 0 ? contracts(rec.legs.slice(0, r.close_legs)) / all : 1,
  };
}
