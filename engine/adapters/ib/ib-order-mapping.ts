import { OrderAction, OrderType, SecType, TimeInForce, type ComboLeg as IbComboLeg, type Contract, type Order } from '@stoqey/ib';
import { DateTime } from 'luxon';
import type { BrokerOrderStatus, ComboOrderRequest } from '../../model/broker-records';
import type { ComboLeg } from '../../model/leg';

/**
 * Pure translations between the Broker port and IB's order objects. Kept apart from the socket
 * code so the conventions (signed combo price, status names, time formats) are tested alone.
 */

/** IB's order status names → the port's. PendingCancel is still working until IB confirms. */
export function brokerStatus(ibStatus: string, filled: number, quantity: number): BrokerOrderStatus {
  switch (ibStatus) {
    case 'Filled':
      return 'filled';
    case 'Cancelled':
    case 'ApiCancelled':
      return 'cancelled';
    case 'Inactive':
      return 'inactive';
    case 'PendingSubmit':
    case 'ApiPending':
      return 'pending_submit';
    default:
      // Submitted, PreSubmitted, PendingCancel, Unknown: the order may still fill.
      return filled > 0 && filled < quantity ? 'partially_filled' : 'submitted';
  }
}

/** Working = IB may still fill it (what openOrders() lists). */
export const isWorking = (s: BrokerOrderStatus): boolean => s === 'pending_submit' || s === 'submitted' || s === 'partially_filled';

/**
 * The BAG contract of a spread: one combo leg per option (conId resolved beforehand), routed SMART.
 * No `NonGuaranteed` routing tag: a guaranteed combo fills all legs or none.
 */
export function comboContract(symbol: string, legs: readonly ComboLeg[], conIds: readonly number[]): Contract {
  const comboLegs: IbComboLeg[] = legs.map((l, i) => ({ conId: conIds[i], ratio: l.ratio, action: l.action === 'BUY' ? OrderAction.BUY : OrderAction.SELL, exchange: 'SMART' }));
  return { symbol, secType: SecType.BAG, currency: 'USD', exchange: 'SMART', comboLegs };
}

/**
 * The combo order: always BUY the combo at the port's signed net price (a negative limit is a
 * credit, IB's convention too), one price for the whole combo (IB refuses per-leg prices on
 * four-leg combos, error 10058), DAY, the intent id as orderRef, transmitted.
 */
export function comboOrder(req: Pick<ComboOrderRequest, 'order_ref' | 'quantity' | 'limit_price'>, account?: string): Order {
  return {
    action: OrderAction.BUY,
    orderType: OrderType.LMT,
    totalQuantity: req.quantity,
    lmtPrice: req.limit_price,
    tif: TimeInForce.DAY,
    orderRef: req.order_ref,
    transmit: true,
    ...(account ? { account } : {}),
  };
}

/** The port's signed price from an IB combo order or execution: a SELL of the combo flips it. */
export function signedComboPrice(action: string | undefined, price: number): number {
  return action === 'SELL' || action === 'SLD' ? -price : price;
}

/** ExecutionFilter.time: "yyyymmdd-hh:mm:ss" is read by IB as UTC. */
export function ibUtcFilterTime(ms: number): string {
  return DateTime.fromMillis(ms, { zone: 'utc' }).toFormat("yyyyMMdd'-'HH:mm:ss");
}

/**
 * Execution.time as IB writes it: "yyyymmdd-hh:mm:ss" (UTC), "yyyymmdd hh:mm:ss Zone/Name", or
 * "yyyymmdd  hh:mm:ss" in the TWS login's zone (assumed US/Eastern, IB's default for US accounts).
 * NaN when unreadable: the caller keeps the execution and uses its own clock.
 */
export function parseIbTime(s: string | undefined): number {
  if (!s) return Number.NaN;
  const t = s.trim();
  if (/^\d{9,}$/.test(t)) return Number(t) * 1000;
  const utc = /^(\d{8})-(\d{2}:\d{2}:\d{2})$/.exec(t);
  if (utc) return DateTime.fromFormat(`${utc[1]} ${utc[2]}`, 'yyyyMMdd HH:mm:ss', { zone: 'utc' }).toMillis();
  const m = /^(\d{8})\s+(\d{2}:\d{2}:\d{2})(?:\s+(\S+))?$/.exec(t);
  if (!m) return Number.NaN;
  const dt = DateTime.fromFormat(`${m[1]} ${m[2]}`, 'yyyyMMdd HH:mm:ss', { zone: m[3] ?? 'America/New_York' });
  return dt.isValid ? dt.toMillis() : Number.NaN;
}

/** "2026-02-20" ↔ IB's "20260220". */
export const ibExpiry = (iso: string): string => iso.replace(/-/g, '');
export const isoExpiry = (ib: string): string => `${ib.slice(0, 4)}-${ib.slice(4, 6)}-${ib.slice(6, 8)}`;
