import { EventName, OrderAction, OrderType, SecType, TimeInForce, type Contract, type Order } from '@stoqey/ib';
// The client's own encoder and decoder (internal to @stoqey/ib): the layouts are checked against them.
import { Decoder } from '@stoqey/ib/dist/core/io/decoder';
import { Encoder } from '@stoqey/ib/dist/core/io/encoder';
import { WireLayoutError } from '../../../engine/testkit/ib-gateway/field-cursor';
import {
  decodeCancelOrder, decodePlaceOrder, decodeReqAccountSummary, decodeReqExecutions, encodeAccountSummary, encodeAccountSummaryEnd, encodeCommissionReport, encodeError,
  encodeExecDetails, encodeExecDetailsEnd, encodeOpenOrder, encodeOpenOrderEnd, encodeOrderStatus, encodePosition, encodePositionEnd, type ExecView, type OpenOrderView,
} from '../../../engine/testkit/ib-gateway/order-wire';
import type { WireFields } from '../../../engine/testkit/ib-gateway/order-wire-types';

/** A PLACE_ORDER as the real client wrote it on the socket (server version 157), captured from gateway.received. */
const CAPTURED_PLACE_ORDER = [
  '3', '1001', '', 'SPY', 'BAG', '', '', '', '', 'SMART', '', 'USD', '', '', '', '', 'BUY', '2', 'LMT', '-1.25',
  '', 'DAY', '', '', '', '', 'intent-1', '1', '', '', '', '', '', '', '', '2', '1234567891', '1', 'SELL', 'SMART',
  '', '', '', '', '1987654321', '1', 'BUY', 'SMART', '', '', '', '', '0', '0', '', '', '', '', '', '',
  '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '',
  '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '',
  '', '0', '', '', '', '', '', '', '', '0', '', '', '', '', '', '', '', '', '', '',
  '', '', '', '', '', '', '', '', '',
];

const legs = [
  { conId: 1234567891, ratio: 1, action: OrderAction.SELL, exchange: 'SMART' },
  { conId: 1987654321, ratio: 1, action: OrderAction.BUY, exchange: 'SMART' },
];
const bag: Contract = { symbol: 'SPY', secType: SecType.BAG, currency: 'USD', exchange: 'SMART', comboLegs: legs };
const combo: Order = { action: OrderAction.BUY, orderType: OrderType.LMT, totalQuantity: 2, lmtPrice: -1.25, tif: TimeInForce.DAY, orderRef: 'intent-1', transmit: true };

/** What the client puts on the wire for placeOrder: its encoder's tokens, flattened, booleans as 1/0. */
function clientPlaceOrder(serverVersion: number, contract: Contract, order: Order): string[] {
  let out: string[] = [];
  const errors: string[] = [];
  const encoder = new Encoder({
    serverVersion,
    sendMsg: (...tokens: unknown[]) => {
      out = (tokens.flat(Infinity) as unknown[]).map((t) => (t === true ? '1' : t === false ? '0' : t === undefined || t === null ? '' : String(t)));
    },
    emitError: (msg: string) => errors.push(msg),
  });
  encoder.placeOrder(1001, contract, order);
  if (errors.length > 0) throw new Error(errors.join('; '));
  return out;
}

interface Decoded {
  readonly events: Array<{ name: string; args: unknown[] }>;
  readonly errors: string[];
}

/** Runs our message through the client's own decoder: leftover or missing fields show up as errors. */
function clientDecode(fields: WireFields, serverVersion = 157): Decoded {
  const events: Decoded['events'] = [];
  const errors: string[] = [];
  const decoder = new Decoder({
    serverVersion,
    emitEvent: (name: EventName, ...args: unknown[]) => events.push({ name, args }),
    emitError: (msg: string, code: number) => errors.push(`${code}: ${msg}`),
    emitInfo: (msg: string, code: number) => events.push({ name: 'info', args: [msg, code] }),
  });
  decoder.enqueueMessage(fields.map(String));
  decoder.process();
  return { events, errors };
}

describe('order wire: PLACE_ORDER as the real client writes it', () => {
  it('should decode the captured combo order and consume every field', () => {
    const m = decodePlaceOrder(CAPTURED_PLACE_ORDER, 157);
    expect(m.orderId).toBe(1001);
    expect(m.contract).toMatchObject({ symbol: 'SPY', secType: 'BAG', exchange: 'SMART', currency: 'USD', comboLegs: legs });
    expect(m.order).toMatchObject({ action: 'BUY', totalQuantity: 2, orderType: 'LMT', lmtPrice: -1.25, tif: 'DAY', orderRef: 'intent-1', transmit: true, account: '', legPrices: [], conditionCount: 0 });
  });

  it('should match what the client encoder writes today (the fixture is not stale)', () => {
    expect(clientPlaceOrder(157, bag, combo)).toEqual(CAPTURED_PLACE_ORDER);
  });

  // Every version-conditional group of the layout, one order each, at both ends of the supported range.
  const variants: Array<[string, Contract, Order]> = [
    ['per-leg prices and SMART routing params', bag, { ...combo, lmtPrice: undefined, orderComboLegs: [{ price: 1.1 }, { price: 0.4 }], smartComboRoutingParams: [{ tag: 'NonGuaranteed', value: '1' }] }],
    ['an algo with params', bag, { ...combo, algoStrategy: 'Adaptive', algoParams: [{ tag: 'adaptivePriority', value: 'Normal' }] }],
    ['a hedge', bag, { ...combo, hedgeType: 'D', hedgeParam: '0.5' }],
    ['scale fields', bag, { ...combo, scaleInitLevelSize: 1, scaleSubsLevelSize: 1, scalePriceIncrement: 0.05 }],
    ['a delta-neutral order type', bag, { ...combo, deltaNeutralOrderType: 'LMT', deltaNeutralAuxPrice: 1 }],
    ['a delta-neutral contract', { ...bag, deltaNeutralContract: { conId: 756733, delta: 0.5, price: 600 } }, combo],
    ['conditions', bag, { ...combo, conditions: [{ type: 1, conjunctionConnection: 'and', isMore: true, strValue: '600', conId: 756733, exchange: 'SMART', triggerMethod: 0 }, { type: 3, conjunctionConnection: 'or', isMore: true, strValue: '20260105 15:00:00' }] as never, conditionsIgnoreRth: true, conditionsCancelOrder: false }],
    ['a PEG BENCH order type', bag, { ...combo, orderType: OrderType.PEG_BENCH, referenceContractId: 756733, isPeggedChangeAmountDecrease: false, peggedChangeAmount: 1, referenceChangeAmount: 1, referenceExchangeId: 'SMART' }],
    ['a single option (no combo groups)', { symbol: 'SPY', secType: SecType.OPT, lastTradeDateOrContractMonth: '20260220', strike: 580, right: 'C' as never, exchange: 'SMART', currency: 'USD', multiplier: 100 }, { ...combo, action: OrderAction.SELL, lmtPrice: 1.2 }],
  ];
  it.each(variants.flatMap(([name, c, o]) => [145, 157, 163].map((sv) => [name, sv, c, o] as const)))('should consume %s at server version %d exactly', (_name, sv, contract, order) => {
    const fields = clientPlaceOrder(sv, contract, order);
    const m = decodePlaceOrder(fields, sv);
    expect(m.order.orderRef).toBe('intent-1');
    expect(m.contract.symbol).toBe('SPY');
  });

  it('should read per-leg prices, routing params and a single option contract', () => {
    const [, c1, o1] = variants[0]!;
    const perLeg = decodePlaceOrder(clientPlaceOrder(157, c1, o1), 157);
    expect(perLeg.order.legPrices).toEqual([1.1, 0.4]);
    expect(perLeg.order.lmtPrice).toBeNull();
    expect(perLeg.order.smartComboRoutingParams).toEqual([{ tag: 'NonGuaranteed', value: '1' }]);
    const [, c2, o2] = variants[variants.length - 1]!;
    const single = decodePlaceOrder(clientPlaceOrder(157, c2, o2), 157);
    expect(single.contract).toMatchObject({ secType: 'OPT', expiry: '20260220', strike: 580, right: 'C', comboLegs: [] });
    expect(single.order).toMatchObject({ action: 'SELL', lmtPrice: 1.2 });
  });

  it('should fail loudly on a message one field short or one field long', () => {
    expect(() => decodePlaceOrder(CAPTURED_PLACE_ORDER.slice(0, -1), 157)).toThrow(WireLayoutError);
    expect(() => decodePlaceOrder([...CAPTURED_PLACE_ORDER, ''], 157)).toThrow(/1 field\(s\) left unread/);
    // The same message read with another version's layout (one field more from 158) must not pass.
    expect(() => decodePlaceOrder(CAPTURED_PLACE_ORDER, 158)).toThrow(WireLayoutError);
  });

  it('should refuse server versions it has no layout for', () => {
    expect(() => decodePlaceOrder(CAPTURED_PLACE_ORDER, 144)).toThrow(RangeError);
    expect(() => decodePlaceOrder(CAPTURED_PLACE_ORDER, 164)).toThrow(RangeError);
  });
});

describe('order wire: the other client requests', () => {
  it('should decode cancelOrder, reqExecutions and reqAccountSummary as the client writes them', () => {
    const capture = (run: (e: Encoder) => void): string[] => {
      let out: string[] = [];
      run(new Encoder({ serverVersion: 157, sendMsg: (...t: unknown[]) => (out = (t.flat(Infinity) as unknown[]).map((x) => (x === undefined ? '' : String(x)))), emitError: () => undefined }));
      return out;
    };
    expect(decodeCancelOrder(capture((e) => e.cancelOrder(1002, { manualOrderCancelTime: undefined, extOperator: '', manualOrderIndicator: undefined })), 157)).toEqual({ orderId: 1002 });
    expect(decodeReqExecutions(capture((e) => e.reqExecutions(77, { time: '20260105-14:00:00', symbol: 'SPY' })))).toEqual({ reqId: 77, clientId: 0, acctCode: '', time: '20260105-14:00:00', symbol: 'SPY', secType: '', exchange: '', side: '' });
    expect(decodeReqAccountSummary(capture((e) => e.reqAccountSummary(5, 'All', 'NetLiquidation,BuyingPower')))).toEqual({ reqId: 5, group: 'All', tags: ['NetLiquidation', 'BuyingPower'] });
  });
});

describe('order wire: what the gateway sends, read by the real client decoder', () => {
  const open: OpenOrderView = {
    orderId: 1001, contract: { conId: 28812380, symbol: 'SPY', secType: 'BAG', expiry: '', strike: 0, right: '', multiplier: '', exchange: 'SMART', currency: 'USD', localSymbol: '', tradingClass: '', comboLegs: legs },
    action: 'BUY', totalQuantity: 2, orderType: 'LMT', lmtPrice: -1.25, tif: 'DAY', account: 'DU1234567', orderRef: 'intent-1', clientId: 7, permId: 1500000001, outsideRth: false,
    smartComboRoutingParams: [{ tag: 'NonGuaranteed', value: '0' }], status: 'Submitted',
  };

  it.each([145, 157, 163])('should encode openOrder with the combo legs, the order and its state (server version %d)', (sv) => {
    const { events, errors } = clientDecode(encodeOpenOrder(open, sv), sv);
    expect(errors).toEqual([]);
    const [orderId, contract, order, state] = events[0]?.args ?? [];
    expect(events[0]?.name).toBe(EventName.openOrder);
    expect(orderId).toBe(1001);
    expect(contract).toMatchObject({ symbol: 'SPY', secType: 'BAG', conId: 28812380, comboLegsDescription: '1234567891|-1,1987654321|1', comboLegs: [{ conId: 1234567891, ratio: 1, action: 'SELL', exchange: 'SMART' }, { conId: 1987654321, ratio: 1, action: 'BUY', exchange: 'SMART' }] });
    expect(order).toMatchObject({ action: 'BUY', totalQuantity: 2, orderType: 'LMT', lmtPrice: -1.25, tif: 'DAY', account: 'DU1234567', orderRef: 'intent-1', clientId: 7, permId: 1500000001, smartComboRoutingParams: [{ tag: 'NonGuaranteed', value: '0' }] });
    expect(state).toMatchObject({ status: 'Submitted' });
  });

  const exec: ExecView = {
    reqId: -1, orderId: 1001, contract: { conId: 28812380, symbol: 'SPY', secType: 'BAG', expiry: '', strike: 0, right: '', multiplier: '', exchange: 'SMART', currency: 'USD', localSymbol: '', tradingClass: '' },
    execId: 'paper-1', time: '20260105 10:00:00 US/Eastern', acctNumber: 'DU1234567', exchange: 'SMART', side: 'BOT', shares: 2, price: -1.25, permId: 1500000001, clientId: 7, cumQty: 2, avgPrice: -1.25, orderRef: 'intent-1',
  };

  it.each<[string, WireFields, EventName, number, unknown[]]>([
    ['orderStatus', encodeOrderStatus({ orderId: 1001, status: 'Filled', filled: 2, remaining: 0, avgFillPrice: -1.25, permId: 1500000001, lastFillPrice: -1.25, clientId: 7 }), EventName.orderStatus, 12, [1001, 'Filled', 2, 0, -1.25, 1500000001, 0, -1.25, 7, '', 0]],
    ['execDetailsEnd', encodeExecDetailsEnd(9), EventName.execDetailsEnd, 3, [9]],
    ['commissionReport', encodeCommissionReport('paper-1.1', 1.3), EventName.commissionReport, 8, [{ execId: 'paper-1.1', commission: 1.3, currency: 'USD', realizedPNL: undefined, yield: undefined, yieldRedemptionDate: 0 }]],
    ['openOrderEnd', encodeOpenOrderEnd(), EventName.openOrderEnd, 2, []],
    ['positionEnd', encodePositionEnd(), EventName.positionEnd, 2, []],
    ['accountSummary', encodeAccountSummary(5, 'DU1234567', 'NetLiquidation', '100000.00'), EventName.accountSummary, 7, [5, 'DU1234567', 'NetLiquidation', '100000.00', 'USD']],
    ['accountSummaryEnd', encodeAccountSummaryEnd(5), EventName.accountSummaryEnd, 3, [5]],
  ])('should encode %s in its exact field count', (_name, fields, event, count, args) => {
    expect(fields).toHaveLength(count);
    const { events, errors } = clientDecode(fields);
    expect(errors).toEqual([]);
    expect(events[0]).toEqual({ name: event, args });
  });

  it('should encode execDetails with the execution the client reads (orderRef, execId, side, cumQty)', () => {
    const fields = encodeExecDetails(exec);
    expect(fields).toHaveLength(31);
    const { events, errors } = clientDecode(fields);
    expect(errors).toEqual([]);
    const [reqId, contract, execution] = events[0]?.args ?? [];
    expect(reqId).toBe(-1);
    expect(contract).toMatchObject({ conId: 28812380, symbol: 'SPY', secType: 'BAG', exchange: 'SMART' });
    expect(execution).toMatchObject({ orderId: 1001, execId: 'paper-1', time: '20260105 10:00:00 US/Eastern', acctNumber: 'DU1234567', side: 'BOT', shares: 2, price: -1.25, permId: 1500000001, clientId: 7, cumQty: 2, avgPrice: -1.25, orderRef: 'intent-1' });
  });

  it('should encode a position with the option contract and the cost per contract', () => {
    const fields = encodePosition({ account: 'DU1234567', contract: { conId: 1234567891, symbol: 'SPY', secType: 'OPT', expiry: '20260220', strike: 580, right: 'C', multiplier: 100, exchange: '', currency: 'USD', localSymbol: 'SPY   260220C00580000', tradingClass: 'SPY' }, position: -2, avgCost: 231.5 });
    expect(fields).toHaveLength(16);
    const { events, errors } = clientDecode(fields);
    expect(errors).toEqual([]);
    expect(events[0]?.args).toEqual(['DU1234567', expect.objectContaining({ conId: 1234567891, secType: 'OPT', lastTradeDateOrContractMonth: '20260220', strike: 580, right: 'C', multiplier: 100 }), -2, 231.5]);
  });

  it('should encode an order error bound to the order id', () => {
    const { events, errors } = clientDecode(encodeError(1001, 202, 'Order Canceled - reason:'));
    expect(events).toEqual([]);
    expect(errors).toEqual(['202: Order Canceled - reason:']);
  });
});
