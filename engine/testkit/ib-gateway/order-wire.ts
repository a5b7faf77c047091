import { FieldCursor, WireLayoutError } from './field-cursor';
import { IN } from './message-ids';
import type { WireComboLeg, WireTagValue } from './order-wire-types';

/**
 * The order side of the TWS wire protocol, as the gateway reads it: PLACE_ORDER, CANCEL_ORDER and
 * REQ_EXECUTIONS. Layouts are written for server versions 145..163: from ORDER_CONTAINER (145, the
 * PLACE_ORDER version field is gone) up to FRACTIONAL_SIZE_SUPPORT (163); the conditions inside
 * that range are commented where they apply. The encoders live beside this file and are re-exported.
 */
export * from './order-wire-types';
export * from './open-order-wire';
export * from './report-wire';

export const ORDER_WIRE_VERSIONS = { min: 145, max: 163 } as const;

/** Server versions at which PLACE_ORDER grows a field, inside the supported range. */
const SV = { D_PEG_ORDERS: 148, PRICE_MGMT_ALGO: 151, DURATION: 158, POST_TO_ATS: 160, AUTO_CANCEL_PARENT: 162 } as const;

export interface PlacedContract {
  readonly conId: number;
  readonly symbol: string;
  readonly secType: string;
  /** lastTradeDateOrContractMonth as sent (YYYYMMDD for options, '' for a BAG). */
  readonly expiry: string;
  readonly strike: number | null;
  readonly right: string;
  readonly multiplier: string;
  readonly exchange: string;
  readonly currency: string;
  readonly comboLegs: readonly WireComboLeg[];
}

export interface PlacedOrderFields {
  readonly action: string;
  readonly totalQuantity: number;
  readonly orderType: string;
  /** null when the client left it unset (e.g. a combo priced leg by leg). */
  readonly lmtPrice: number | null;
  readonly auxPrice: number | null;
  readonly tif: string;
  readonly ocaGroup: string;
  readonly account: string;
  readonly orderRef: string;
  readonly transmit: boolean;
  readonly parentId: number;
  readonly outsideRth: boolean;
  /** Per-leg prices of a BAG (orderComboLegs), null where a leg has none. */
  readonly legPrices: readonly (number | null)[];
  readonly smartComboRoutingParams: readonly WireTagValue[];
  readonly algoStrategy: string;
  readonly whatIf: boolean;
  readonly conditionCount: number;
}

export interface PlaceOrderMessage {
  readonly orderId: number;
  readonly contract: PlacedContract;
  readonly order: PlacedOrderFields;
}

function assertVersion(serverVersion: number): void {
  if (serverVersion < ORDER_WIRE_VERSIONS.min || serverVersion > ORDER_WIRE_VERSIONS.max) {
    throw new RangeError(`order wire layouts are written for server versions ${ORDER_WIRE_VERSIONS.min}..${ORDER_WIRE_VERSIONS.max}, not ${serverVersion}`);
  }
}

const tagValues = (c: FieldCursor, n: number): WireTagValue[] => Array.from({ length: n }, () => ({ tag: c.str(), value: c.str() }));

/** Fields after (type, conjunction) of each order condition type (IB's OrderConditionType ids). */
const CONDITION_FIELDS: Readonly<Record<number, number>> = {
  1: 5, // price: isMore, value, conId, exchange, triggerMethod
  3: 2, // time: isMore, value
  4: 2, // margin: isMore, value
  5: 3, // execution: secType, exchange, symbol
  6: 4, // volume: isMore, value, conId, exchange
  7: 4, // percent change: isMore, value, conId, exchange
};

/**
 * PLACE_ORDER (3) as the client writes it. Every field is read (most are skipped) and the whole
 * message must be consumed: a mismatch throws WireLayoutError rather than placing a misread order.
 */
export function decodePlaceOrder(fields: readonly string[], serverVersion: number): PlaceOrderMessage {
  assertVersion(serverVersion);
  const c = new FieldCursor(fields, 'PLACE_ORDER');
  if (c.int() !== IN.PLACE_ORDER) throw new WireLayoutError(`PLACE_ORDER: message id ${fields[0] ?? '?'} is not ${IN.PLACE_ORDER}`);
  const orderId = c.int(); // no version field from ORDER_CONTAINER (145) on
  // Contract: conId (PLACE_ORDER_CONID 46), …, tradingClass (68), secIdType + secId (45).
  const conId = c.int();
  const symbol = c.str();
  const secType = c.str();
  const expiry = c.str();
  const strike = c.num();
  const right = c.str();
  const multiplier = c.str();
  const exchange = c.str();
  c.skip(1); // primaryExch
  const currency = c.str();
  c.skip(4); // localSymbol, tradingClass, secIdType, secId
  const action = c.str();
  const totalQuantity = c.num() ?? 0;
  const orderType = c.str();
  const lmtPrice = c.num();
  const auxPrice = c.num();
  const tif = c.str();
  const ocaGroup = c.str();
  const account = c.str();
  c.skip(2); // openClose, origin
  const orderRef = c.str();
  const transmit = c.bool();
  const parentId = c.int();
  c.skip(4); // blockOrder, sweepToFill, displaySize, triggerMethod
  const outsideRth = c.bool();
  c.skip(1); // hidden
  const isBag = secType.toUpperCase() === 'BAG';
  const comboLegs: WireComboLeg[] = [];
  const legPrices: (number | null)[] = [];
  let smartComboRoutingParams: WireTagValue[] = [];
  if (isBag) {
    for (let n = c.count(); n > 0; n -= 1) {
      comboLegs.push({ conId: c.int(), ratio: c.int(), action: c.str(), exchange: c.str() });
      c.skip(4); // openClose, shortSaleSlot, designatedLocation (SSHORT_COMBO_LEGS 35), exemptCode (SSHORTX_OLD 51)
    }
    for (let n = c.count(); n > 0; n -= 1) legPrices.push(c.num()); // ORDER_COMBO_LEGS_PRICE (61)
    smartComboRoutingParams = tagValues(c, c.count()); // SMART_COMBO_ROUTING_PARAMS (57)
  }
  // sharesAllocation, discretionaryAmt, goodAfterTime, goodTillDate, faGroup, faMethod, faPercentage,
  // faProfile (until FA_PROFILE_DESUPPORT 177), modelCode (103), shortSaleSlot, designatedLocation,
  // exemptCode, ocaType, rule80A, settlingFirm, allOrNone, minQty, percentOffset, eTradeOnly,
  // firmQuoteOnly, nbboPriceCap, auctionStrategy, startingPrice, stockRefPrice, delta,
  // stockRangeLower, stockRangeUpper, overridePercentageConstraints, volatility, volatilityType.
  c.skip(30);
  // The client adds the delta-neutral details only when it has a delta-neutral order type.
  if (c.str() !== '') c.skip(1 + 8); // auxPrice, then conId … designatedLocation
  else c.skip(1); // deltaNeutralAuxPrice
  // continuousUpdate, referencePriceType, trailStopPrice, trailingPercent, scaleInitLevelSize, scaleSubsLevelSize.
  c.skip(6);
  // Scale details follow whenever the client has a scalePriceIncrement at all (@stoqey/ib sends them
  // for any defined value, IB's own clients only for a positive one: an empty field means none).
  if (c.str() !== '') c.skip(7);
  c.skip(3); // scaleTable, activeStartTime, activeStopTime
  if (c.str() !== '') c.skip(1); // hedgeType, then hedgeParam when set
  c.skip(4); // optOutSmartRouting, clearingAccount, clearingIntent, notHeld
  if (c.bool()) c.skip(3); // deltaNeutralContract: conId, delta, price
  const algoStrategy = c.str();
  if (algoStrategy !== '') tagValues(c, c.count());
  c.skip(1); // algoId
  const whatIf = c.bool();
  c.skip(4); // orderMiscOptions, solicited, randomizeSize, randomizePrice
  if (orderType === 'PEG BENCH' || orderType === 'PEGBENCH') c.skip(5); // PEGGED_TO_BENCHMARK (102)
  const conditionCount = c.count();
  for (let n = conditionCount; n > 0; n -= 1) {
    const type = c.int();
    const rest = CONDITION_FIELDS[type];
    if (rest === undefined) throw new WireLayoutError(`PLACE_ORDER: unknown order condition type ${type}`);
    c.skip(1 + rest); // conjunction, then the type's own fields
  }
  if (conditionCount > 0) c.skip(2); // conditionsIgnoreRth, conditionsCancelOrder
  // adjustedOrderType … adjustableTrailingUnit (7), extOperator (105), softDollarTier name + value (106),
  // cashQty (111), mifid2 decision maker + algo (138), execution trader + algo (139),
  // dontUseAutoPriceForHedge (141), isOmsContainer (145).
  c.skip(7 + 1 + 2 + 1 + 2 + 2 + 1 + 1);
  if (serverVersion >= SV.D_PEG_ORDERS) c.skip(1); // discretionaryUpToLimitPrice
  if (serverVersion >= SV.PRICE_MGMT_ALGO) c.skip(1); // usePriceMgmtAlgo
  if (serverVersion >= SV.DURATION) c.skip(1);
  if (serverVersion >= SV.POST_TO_ATS) c.skip(1);
  if (serverVersion >= SV.AUTO_CANCEL_PARENT) c.skip(1);
  c.end();
  return {
    orderId,
    contract: { conId, symbol, secType, expiry, strike, right, multiplier, exchange, currency, comboLegs },
    order: { action, totalQuantity, orderType, lmtPrice, auxPrice, tif, ocaGroup, account, orderRef, transmit, parentId, outsideRth, legPrices, smartComboRoutingParams, algoStrategy, whatIf, conditionCount },
  };
}

/** CANCEL_ORDER (4): id, version 1, orderId (manualOrderCancelTime from MANUAL_ORDER_TIME 169, out of range). */
export function decodeCancelOrder(fields: readonly string[], serverVersion: number): { orderId: number } {
  assertVersion(serverVersion);
  const c = new FieldCursor(fields, 'CANCEL_ORDER');
  c.skip(2);
  const orderId = c.int();
  c.end();
  return { orderId };
}

export interface ExecutionFilterFields {
  readonly reqId: number;
  /** 0 = any client. */
  readonly clientId: number;
  readonly acctCode: string;
  readonly time: string;
  readonly symbol: string;
  readonly secType: string;
  readonly exchange: string;
  readonly side: string;
}

/** REQ_EXECUTIONS (7): id, version 3, reqId (EXECUTION_DATA_CHAIN 42), then the ExecutionFilter. */
export function decodeReqExecutions(fields: readonly string[]): ExecutionFilterFields {
  const c = new FieldCursor(fields, 'REQ_EXECUTIONS');
  c.skip(2);
  const out = { reqId: c.int(), clientId: c.int(), acctCode: c.str(), time: c.str(), symbol: c.str(), secType: c.str(), exchange: c.str(), side: c.str() };
  c.end();
  return out;
}

/** REQ_ACCOUNT_SUMMARY (62): id, version 1, reqId, group, tags (comma separated). */
export function decodeReqAccountSummary(fields: readonly string[]): { reqId: number; group: string; tags: string[] } {
  const c = new FieldCursor(fields, 'REQ_ACCOUNT_SUMMARY');
  c.skip(2);
  const out = { reqId: c.int(), group: c.str(), tags: c.str().split(',').map((t) => t.trim()).filter((t) => t !== '') };
  c.end();
  return out;
}
