import { FieldCursor } from './field-cursor';
import { OUT } from './message-ids';
import type { WireContract, WireFields } from './order-wire-types';

/**
 * The account side of the TWS wire protocol: reqAccountUpdates (REQ_ACCOUNT_DATA), its multi
 * variant, and the messages that answer them. Layouts as IB's reference clients read them.
 */

/** REQ_ACCOUNT_DATA (6): version 2, subscribe, acctCode. */
export function decodeReqAccountData(fields: readonly string[]): { subscribe: boolean; account: string } {
  const c = new FieldCursor(fields, 'REQ_ACCOUNT_DATA');
  c.skip(2);
  const out = { subscribe: c.bool(), account: c.str() };
  c.end();
  return out;
}

/** REQ_ACCOUNT_UPDATES_MULTI (76): version, reqId, account, modelCode, ledgerAndNLV. */
export function decodeReqAccountUpdatesMulti(fields: readonly string[]): { reqId: number; account: string; modelCode: string; ledgerAndNlv: boolean } {
  const c = new FieldCursor(fields, 'REQ_ACCOUNT_UPDATES_MULTI');
  c.skip(2);
  const out = { reqId: c.int(), account: c.str(), modelCode: c.str(), ledgerAndNlv: c.bool() };
  c.end();
  return out;
}

/** CANCEL_ACCOUNT_UPDATES_MULTI (77): version, reqId. */
export function decodeCancelAccountUpdatesMulti(fields: readonly string[]): { reqId: number } {
  const c = new FieldCursor(fields, 'CANCEL_ACCOUNT_UPDATES_MULTI');
  c.skip(2);
  const out = { reqId: c.int() };
  c.end();
  return out;
}

/** REQ_COMPLETED_ORDERS (99): apiOnly (no version field). */
export function decodeReqCompletedOrders(fields: readonly string[]): { apiOnly: boolean } {
  const c = new FieldCursor(fields, 'REQ_COMPLETED_ORDERS');
  c.skip(1);
  const out = { apiOnly: c.bool() };
  c.end();
  return out;
}

/** REQ_MARKET_DATA_TYPE (59): version 1, type (1 live, 2 frozen, 3 delayed, 4 delayed frozen). */
export function decodeReqMarketDataType(fields: readonly string[]): { type: number } {
  const c = new FieldCursor(fields, 'REQ_MARKET_DATA_TYPE');
  c.skip(2);
  const out = { type: c.int() };
  c.end();
  return out;
}

/** ACCT_VALUE (6): version 2, key, value, currency, accountName. */
export const encodeAccountValue = (key: string, value: string, currency: string, account: string): WireFields => [OUT.ACCT_VALUE, 2, key, value, currency, account];

export interface PortfolioView {
  readonly contract: WireContract & { readonly primaryExch: string };
  /** Signed quantity. */
  readonly position: number;
  /** Per share, the position's mark. */
  readonly marketPrice: number;
  /** Dollars: mark × quantity × multiplier. */
  readonly marketValue: number;
  /** Per contract (price per share × multiplier), as IB reports it. */
  readonly averageCost: number;
  readonly unrealizedPnl: number;
  readonly realizedPnl: number;
  readonly account: string;
}

/**
 * PORTFOLIO_VALUE (7): version 8; conId, symbol, secType, expiry, strike, right, multiplier,
 * primaryExch, currency, localSymbol, tradingClass, position, marketPrice, marketValue,
 * averageCost, unrealizedPNL, realizedPNL, accountName.
 */
export function encodePortfolioValue(p: PortfolioView): WireFields {
  const c = p.contract;
  return [OUT.PORTFOLIO_VALUE, 8, c.conId, c.symbol, c.secType, c.expiry, c.strike, c.right, c.multiplier, c.primaryExch, c.currency, c.localSymbol, c.tradingClass, p.position, p.marketPrice, p.marketValue, p.averageCost, p.unrealizedPnl, p.realizedPnl, p.account];
}

/** ACCT_UPDATE_TIME (8): version 1, "HH:MM" in the login's zone. */
export const encodeAccountTime = (hhmm: string): WireFields => [OUT.ACCT_UPDATE_TIME, 1, hhmm];

/** ACCT_DOWNLOAD_END (54): version 1, accountName. */
export const encodeAccountDownloadEnd = (account: string): WireFields => [OUT.ACCT_DOWNLOAD_END, 1, account];

/** ACCOUNT_UPDATE_MULTI (73): version 1, reqId, account, modelCode, key, value, currency. */
export const encodeAccountUpdateMulti = (reqId: number, account: string, modelCode: string, key: string, value: string, currency: string): WireFields => [OUT.ACCOUNT_UPDATE_MULTI, 1, reqId, account, modelCode, key, value, currency];

/** ACCOUNT_UPDATE_MULTI_END (74): version 1, reqId. */
export const encodeAccountUpdateMultiEnd = (reqId: number): WireFields => [OUT.ACCOUNT_UPDATE_MULTI_END, 1, reqId];
