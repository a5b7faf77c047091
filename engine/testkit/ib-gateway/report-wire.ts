import { OUT } from './message-ids';
import type { IbOrderStatus, WireContract, WireFields } from './order-wire-types';

/**
 * Encoders of the gateway's order-side reports for server versions 145..163. Messages that carry
 * no version field from some server version on say so; the others start with their own version.
 */

/** IB's "unset" double (Double.MAX_VALUE): the client reads it as undefined. */
export const UNSET_DOUBLE = String(Number.MAX_VALUE);

export interface OrderStatusView {
  readonly orderId: number;
  readonly status: IbOrderStatus;
  readonly filled: number;
  readonly remaining: number;
  readonly avgFillPrice: number;
  readonly permId: number;
  readonly lastFillPrice: number;
  readonly clientId: number;
}

/**
 * ORDER_STATUS (3): no version field from MARKET_CAP_PRICE (131); id, status, filled, remaining,
 * avgFillPrice, permId, parentId, lastFillPrice, clientId, whyHeld, mktCapPrice.
 */
export function encodeOrderStatus(s: OrderStatusView): WireFields {
  return [OUT.ORDER_STATUS, s.orderId, s.status, s.filled, s.remaining, s.avgFillPrice, s.permId, 0, s.lastFillPrice, s.clientId, '', 0];
}

export type ExecContract = WireContract;

export interface ExecView {
  /** -1 for a live fill, the request id when answering reqExecutions. */
  readonly reqId: number;
  readonly orderId: number;
  readonly contract: ExecContract;
  readonly execId: string;
  /** "yyyymmdd hh:mm:ss Zone". */
  readonly time: string;
  readonly acctNumber: string;
  readonly exchange: string;
  /** BOT or SLD. */
  readonly side: 'BOT' | 'SLD';
  readonly shares: number;
  readonly price: number;
  readonly permId: number;
  readonly clientId: number;
  readonly cumQty: number;
  readonly avgPrice: number;
  readonly orderRef: string;
}

/**
 * EXECUTION_DATA (11): no version field from LAST_LIQUIDITY (136); reqId, orderId, the contract
 * (conId, symbol, secType, expiry, strike, right, multiplier, exchange, currency, localSymbol,
 * tradingClass), then the execution: execId, time, acctNumber, exchange, side, shares, price,
 * permId, clientId, liquidation, cumQty, avgPrice, orderRef, evRule, evMultiplier, modelCode (103),
 * lastLiquidity (136). pendingPriceRevision comes only from 178.
 */
export function encodeExecDetails(e: ExecView): WireFields {
  const c = e.contract;
  return [
    OUT.EXECUTION_DATA, e.reqId, e.orderId,
    c.conId, c.symbol, c.secType, c.expiry, c.strike, c.right, c.multiplier, c.exchange, c.currency, c.localSymbol, c.tradingClass,
    e.execId, e.time, e.acctNumber, e.exchange, e.side, e.shares, e.price, e.permId, e.clientId, 0, e.cumQty, e.avgPrice, e.orderRef,
    '', '', '', 0, // evRule, evMultiplier, modelCode, lastLiquidity (0: not reported)
  ];
}

/** EXECUTION_DATA_END (55): version 1, reqId. */
export const encodeExecDetailsEnd = (reqId: number): WireFields => [OUT.EXECUTION_DATA_END, 1, reqId];

/** COMMISSION_REPORT (59): version 1, execId, commission, currency, realizedPNL, yield, yieldRedemptionDate. */
export function encodeCommissionReport(execId: string, commission: number, realizedPnl: number | null = null): WireFields {
  return [OUT.COMMISSION_REPORT, 1, execId, commission, 'USD', realizedPnl === null ? UNSET_DOUBLE : realizedPnl, UNSET_DOUBLE, ''];
}

/** OPEN_ORDER_END (53): version 1. */
export const encodeOpenOrderEnd = (): WireFields => [OUT.OPEN_ORDER_END, 1];

export interface PositionView {
  readonly account: string;
  readonly contract: ExecContract;
  /** Signed: negative = short. */
  readonly position: number;
  /** Per contract (price per share × multiplier), as IB reports it. */
  readonly avgCost: number;
}

/**
 * POSITION (61): version 3; account, conId, symbol, secType, expiry, strike, right, multiplier,
 * exchange, currency, localSymbol, tradingClass (2), position, avgCost (3).
 */
export function encodePosition(p: PositionView): WireFields {
  const c = p.contract;
  return [OUT.POSITION, 3, p.account, c.conId, c.symbol, c.secType, c.expiry, c.strike, c.right, c.multiplier, c.exchange, c.currency, c.localSymbol, c.tradingClass, p.position, p.avgCost];
}

/** POSITION_END (62): version 1. */
export const encodePositionEnd = (): WireFields => [OUT.POSITION_END, 1];

/** ACCOUNT_SUMMARY (63): version 1, reqId, account, tag, value, currency. */
export const encodeAccountSummary = (reqId: number, account: string, tag: string, value: string, currency = 'USD'): WireFields => [OUT.ACCOUNT_SUMMARY, 1, reqId, account, tag, value, currency];

/** ACCOUNT_SUMMARY_END (64): version 1, reqId. */
export const encodeAccountSummaryEnd = (reqId: number): WireFields => [OUT.ACCOUNT_SUMMARY_END, 1, reqId];

/** ERR_MSG (4): version 2, id (order or request id; -1 = a notice), code, message. */
export const encodeError = (id: number, code: number, message: string): WireFields => [OUT.ERR_MSG, 2, id, code, message];
