import type { BrokerOrderStatus, Execution } from '../../model/broker-records';
import type { GatewayContract } from './contracts';
import { formatExecTime } from './exec-time';
import type { IbOrderRecord } from './order-book';
import { encodeOpenOrder, encodeOrderStatus, type ExecContract, type ExecView } from './order-wire';
import type { IbOrderStatus, WireFields } from './order-wire-types';

/** The conId IB gives US SMART combos (BAG contracts have no instrument of their own). */
export const BAG_CON_ID = 28812380;

export function ibStatus(s: BrokerOrderStatus): IbOrderStatus {
  switch (s) {
    case 'pending_submit':
      return 'PreSubmitted';
    case 'filled':
      return 'Filled';
    case 'cancelled':
      return 'Cancelled';
    case 'rejected':
    case 'inactive':
      return 'Inactive';
    default:
      // IB keeps a partially filled order "Submitted"; the filled quantity tells the rest.
      return 'Submitted';
  }
}

export const isWorkingStatus = (s: IbOrderStatus): boolean => s === 'PreSubmitted' || s === 'Submitted';

/** The broker's signed price (the combo bought) in the client's terms: a SELL's price is negated. */
export const clientPrice = (r: Pick<IbOrderRecord, 'action'>, brokerPrice: number): number => (r.action === 'SELL' ? -brokerPrice : brokerPrice);

export const bagContract = (r: IbOrderRecord): ExecContract => ({ conId: BAG_CON_ID, symbol: r.symbol, secType: 'BAG', expiry: '', strike: 0, right: '', multiplier: '', exchange: 'SMART', currency: 'USD', localSymbol: '', tradingClass: '' });

export const legContract = (c: GatewayContract, exchange = c.exchange): ExecContract => ({
  conId: c.conId, symbol: c.symbol, secType: c.secType, expiry: c.expiry, strike: c.strike, right: c.right, multiplier: c.multiplier, exchange, currency: c.currency, localSymbol: c.localSymbol, tradingClass: c.tradingClass,
});

export function openOrderFields(r: IbOrderRecord, serverVersion: number): WireFields {
  return encodeOpenOrder(
    {
      orderId: r.orderId, contract: { ...bagContract(r), comboLegs: r.comboLegs }, action: r.action, totalQuantity: r.totalQuantity, orderType: 'LMT', lmtPrice: r.lmtPrice, tif: r.tif,
      account: r.account, orderRef: r.orderRef, clientId: r.clientId, permId: r.permId, outsideRth: r.outsideRth, smartComboRoutingParams: r.smartComboRoutingParams, status: r.status,
    },
    serverVersion,
  );
}

export type StatusSource = Pick<IbOrderRecord, 'orderId' | 'clientId' | 'permId' | 'status' | 'filled' | 'totalQuantity' | 'avgFillPrice' | 'lastFillPrice'>;

export function orderStatusFields(r: StatusSource): WireFields {
  return encodeOrderStatus({ orderId: r.orderId, status: r.status, filled: r.filled, remaining: Math.max(0, r.totalQuantity - r.filled), avgFillPrice: r.avgFillPrice, permId: r.permId, lastFillPrice: r.lastFillPrice, clientId: r.clientId });
}

/** Per-leg execution id: the combo's id plus the leg's position (IB reports each leg's fill apart). */
export const legExecId = (comboExecId: string, legIndex: number): string => `${comboExecId}.${legIndex + 1}`;

/** Each leg's share of a combo commission, by contracts, cents exact (the last leg takes the rounding). */
export function legCommissions(r: IbOrderRecord, total: number): number[] {
  const contracts = r.brokerLegs.reduce((s, l) => s + l.ratio, 0);
  const out = r.brokerLegs.map((l) => Math.round((total * l.ratio * 100) / contracts) / 100);
  const last = out.length - 1;
  if (last >= 0) out[last] = Math.round((total - out.slice(0, last).reduce((s, x) => s + x, 0)) * 100) / 100;
  return out;
}

/**
 * One combo fill as IB reports it: the BAG execution (the net price, signed as the client's order
 * is), then one execution per leg at the leg's own price; commissions come per leg. `prior` are the
 * order's earlier executions (cumQty and avgPrice are running totals).
 */
export function executionViews(r: IbOrderRecord, e: Execution, prior: readonly Execution[], reqId: number, account: string): { views: ExecView[]; commissions: Array<{ execId: string; commission: number }> } {
  const all = [...prior, e];
  const cum = all.reduce((s, x) => s + x.quantity, 0);
  const avg = all.reduce((s, x) => s + x.quantity * clientPrice(r, x.price), 0) / cum;
  const base = { reqId, orderId: r.orderId, time: formatExecTime(e.time), acctNumber: account, permId: r.permId, clientId: r.clientId, orderRef: r.orderRef };
  const views: ExecView[] = [
    { ...base, contract: bagContract(r), execId: e.exec_id, exchange: 'SMART', side: r.action === 'SELL' ? 'SLD' : 'BOT', shares: e.quantity, price: clientPrice(r, e.price), cumQty: cum, avgPrice: round6(avg) },
  ];
  r.brokerLegs.forEach((l, i) => {
    const c = r.legContracts[i];
    if (!c) return;
    const legAvg = all.reduce((s, x) => s + x.quantity * (x.leg_prices[i] ?? 0), 0) / cum;
    views.push({ ...base, contract: legContract(c), execId: legExecId(e.exec_id, i), exchange: 'CBOE', side: l.action === 'BUY' ? 'BOT' : 'SLD', shares: e.quantity * l.ratio, price: e.leg_prices[i] ?? 0, cumQty: cum * l.ratio, avgPrice: round6(legAvg) });
  });
  const commissions = legCommissions(r, e.commission).map((commission, i) => ({ execId: legExecId(e.exec_id, i), commission }));
  return { views, commissions };
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;
