import { OUT } from './message-ids';
import { comboLegsDescription, type OpenOrderContract } from './open-order-wire';
import type { WireFields, WireTagValue } from './order-wire-types';

export interface CompletedOrderView {
  readonly contract: OpenOrderContract;
  readonly action: string;
  readonly totalQuantity: number;
  readonly orderType: string;
  readonly lmtPrice: number | null;
  readonly tif: string;
  readonly account: string;
  readonly orderRef: string;
  readonly permId: number;
  readonly outsideRth: boolean;
  readonly smartComboRoutingParams: readonly WireTagValue[];
  /** Filled, Cancelled, Inactive. */
  readonly status: string;
  readonly filledQuantity: number;
  /** "yyyymmdd hh:mm:ss Zone". */
  readonly completedTime: string;
  readonly completedStatus: string;
}

const opt = (v: number | null): string | number => (v === null ? '' : v);

/**
 * COMPLETED_ORDER (101) for server versions 150..163, as IB's reference decoders read it: no
 * message version (the client decodes with an "unset" version, so every versioned field is
 * present), no order id and no client id. The FA block has four fields below FA_PROFILE_DESUPPORT
 * (177), faProfile included. (@stoqey/ib 1.6.10 reads three there, against its own server-version
 * rule for openOrder: it would misread this message; the engine does not request completed orders.)
 */
export function encodeCompletedOrder(o: CompletedOrderView): WireFields {
  const c = o.contract;
  const f: WireFields = [OUT.COMPLETED_ORDER];
  f.push(c.conId, c.symbol, c.secType, c.expiry, c.strike, c.right, c.multiplier, c.exchange, c.currency, c.localSymbol, c.tradingClass);
  f.push(o.action, o.totalQuantity, o.orderType, opt(o.lmtPrice), '' /* auxPrice */, o.tif, '' /* ocaGroup */, o.account, '' /* openClose */, 0 /* origin */, o.orderRef);
  f.push(o.permId, o.outsideRth ? 1 : 0, 0 /* hidden */, 0 /* discretionaryAmt */, '' /* goodAfterTime */);
  f.push('', '', '', '' /* faGroup, faMethod, faPercentage, faProfile */, '' /* modelCode */);
  f.push('' /* goodTillDate */, '' /* rule80A */, '' /* percentOffset */, '' /* settlingFirm */);
  f.push(0, '', -1 /* shortSaleSlot, designatedLocation, exemptCode */);
  f.push('', '', '' /* startingPrice, stockRefPrice, delta */, '', '' /* stockRangeLower, stockRangeUpper */, '' /* displaySize */);
  f.push(0, 0, '' /* sweepToFill, allOrNone, minQty */, 0 /* ocaType */, 0 /* triggerMethod */);
  // Volatility: volatility, volatilityType, deltaNeutralOrderType '' (no delta-neutral fields), deltaNeutralAuxPrice, continuousUpdate, referencePriceType.
  f.push('', 0, '', '', 0, 0);
  f.push('', '' /* trailStopPrice, trailingPercent */);
  f.push(comboLegsDescription(c.comboLegs), c.comboLegs.length);
  for (const l of c.comboLegs) f.push(l.conId, l.ratio, l.action, l.exchange, 0, 0, '', -1);
  f.push(0 /* order combo legs (per-leg prices) */);
  f.push(o.smartComboRoutingParams.length, ...o.smartComboRoutingParams.flatMap((p) => [p.tag, p.value]));
  f.push('', '', '' /* scale: initLevelSize, subsLevelSize, priceIncrement '' */, '' /* hedgeType */);
  f.push('', '' /* clearingAccount, clearingIntent */, 0 /* notHeld */, 0 /* no delta-neutral contract */, '' /* algoStrategy */, 0 /* solicited */);
  f.push(o.status);
  f.push(0, 0 /* randomizeSize, randomizePrice */, 0 /* conditions */);
  f.push('', '' /* trailStopPrice, lmtPriceOffset */, '' /* cashQty */, 0 /* dontUseAutoPriceForHedge */, 0 /* isOmsContainer */);
  f.push('' /* autoCancelDate */, o.filledQuantity, 0 /* refFuturesConId */, 0 /* autoCancelParent */, '' /* shareholder */, 0 /* imbalanceOnly */, 0 /* routeMarketableToBbo */, 0 /* parentPermId */);
  f.push(o.completedTime, o.completedStatus);
  return f;
}

/** COMPLETED_ORDERS_END (102): no fields. */
export const encodeCompletedOrdersEnd = (): WireFields => [OUT.COMPLETED_ORDERS_END];
