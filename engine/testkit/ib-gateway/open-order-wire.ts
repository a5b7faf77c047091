import { OUT } from './message-ids';
import type { IbOrderStatus, WireComboLeg, WireContract, WireFields, WireTagValue } from './order-wire-types';

export interface OpenOrderContract extends WireContract {
  readonly comboLegs: readonly WireComboLeg[];
}

export interface OpenOrderView {
  readonly orderId: number;
  readonly contract: OpenOrderContract;
  readonly action: string;
  readonly totalQuantity: number;
  readonly orderType: string;
  readonly lmtPrice: number | null;
  readonly tif: string;
  readonly account: string;
  readonly orderRef: string;
  readonly clientId: number;
  readonly permId: number;
  readonly outsideRth: boolean;
  readonly smartComboRoutingParams: readonly WireTagValue[];
  readonly status: IbOrderStatus;
}

const flag = (b: boolean): number => (b ? 1 : 0);
const opt = (v: number | null): string | number => (v === null ? '' : v);

/** IB's comboLegsDescription: "conId|signed ratio" per leg (a sold leg has a negative ratio). */
export const comboLegsDescription = (legs: readonly WireComboLeg[]): string => legs.map((l) => `${l.conId}|${l.action === 'SELL' ? -l.ratio : l.ratio}`).join(',');

/**
 * OPEN_ORDER (5) for server versions 145..163: no version field (ORDER_CONTAINER 145), so every
 * field the client reads for its "version" is present. Unset doubles go as '' (the client reads
 * them as undefined, as it reads IB's Double.MAX_VALUE).
 */
export function encodeOpenOrder(o: OpenOrderView, serverVersion: number): WireFields {
  const c = o.contract;
  const f: WireFields = [OUT.OPEN_ORDER, o.orderId];
  // Contract: conId (17), symbol … currency, localSymbol (2), tradingClass (32); multiplier (32).
  f.push(c.conId, c.symbol, c.secType, c.expiry, c.strike, c.right, c.multiplier, c.exchange, c.currency, c.localSymbol, c.tradingClass);
  f.push(o.action, o.totalQuantity, o.orderType, opt(o.lmtPrice), '' /* auxPrice */, o.tif, '' /* ocaGroup */, o.account, '' /* openClose */, 0 /* origin: customer */, o.orderRef);
  f.push(o.clientId, o.permId, flag(o.outsideRth), 0 /* hidden */, 0 /* discretionaryAmt */, '' /* goodAfterTime */, '' /* sharesAllocation */);
  f.push('', '', '', '' /* faGroup, faMethod, faPercentage, faProfile (until 177) */, '' /* modelCode (103) */, '' /* goodTillDate */, '' /* rule80A */, '' /* percentOffset */, '' /* settlingFirm */);
  f.push(0, '', -1 /* shortSaleSlot, designatedLocation, exemptCode (23) */, 0 /* auctionStrategy */, '', '', '' /* startingPrice, stockRefPrice, delta */, '', '' /* stockRangeLower/Upper */);
  f.push('' /* displaySize */, 0, 0, 0 /* blockOrder, sweepToFill, allOrNone */, '' /* minQty */, 0 /* ocaType */, 0, 0 /* eTradeOnly, firmQuoteOnly */, '' /* nbboPriceCap */, 0 /* parentId */, 0 /* triggerMethod */);
  // Volatility (11): volatility, volatilityType, deltaNeutralOrderType '' (so no delta-neutral details), auxPrice, continuousUpdate, referencePriceType.
  f.push('', 0, '', '', 0, 0);
  f.push('', '' /* trailStopPrice (13), trailingPercent (30) */, '', '' /* basisPoints, basisPointsType (14) */);
  // Combo legs (29): description, legs with openClose, shortSaleSlot, designatedLocation, exemptCode; no per-leg prices.
  f.push(comboLegsDescription(c.comboLegs), c.comboLegs.length);
  for (const l of c.comboLegs) f.push(l.conId, l.ratio, l.action, l.exchange, 0, 0, '', -1);
  f.push(0);
  f.push(o.smartComboRoutingParams.length, ...o.smartComboRoutingParams.flatMap((p) => [p.tag, p.value]));
  // Scale (15, 20): initLevelSize, subsLevelSize, priceIncrement '' (so no scale details, 28).
  f.push('', '', '');
  f.push('' /* hedgeType (24), so no hedgeParam */, 0 /* optOutSmartRouting */, '', '' /* clearingAccount, clearingIntent */, 0 /* notHeld */, 0 /* deltaNeutralContract */);
  f.push('' /* algoStrategy (21), so no params */, 0 /* solicited (33) */);
  // whatIf, then the order state: status, margin before/change (WHAT_IF_EXT_FIELDS 142) and after,
  // commission, min, max, currency, warning text.
  f.push(0, o.status, '', '', '', '', '', '', '', '', '', '', '', '', '', '');
  f.push(0, 0 /* randomizeSize, randomizePrice (34) */);
  // Not PEG BENCH, so no benchmark fields; no conditions (102).
  f.push(0);
  f.push('' /* adjustedOrderType */, '' /* triggerPrice */, '' /* trailStopPrice */, '' /* lmtPriceOffset */, '', '', '' /* adjusted stop, stop limit, trailing amount */, 0 /* adjustableTrailingUnit */);
  f.push('', '', '' /* softDollarTier name, value, displayName (106) */, '' /* cashQty (111) */, 0 /* dontUseAutoPriceForHedge (141) */, 0 /* isOmsContainer (145) */);
  if (serverVersion >= 148) f.push(0); // discretionaryUpToLimitPrice (D_PEG_ORDERS)
  if (serverVersion >= 151) f.push(0); // usePriceMgmtAlgo (PRICE_MGMT_ALGO)
  if (serverVersion >= 158) f.push(0); // duration (DURATION)
  if (serverVersion >= 160) f.push(''); // postToAts (POST_TO_ATS)
  if (serverVersion >= 162) f.push(0); // autoCancelParent (AUTO_CANCEL_PARENT)
  return f;
}
