import type { Broker } from '../../execution/broker';
import type { BrokerEvent, Execution } from '../../model/broker-records';
import { BrokerRejectedError, errorMessage } from '../../shared/errors';
import { optionContract } from './contracts';
import { IN } from './message-ids';
import { parseExecFilterTime } from './exec-time';
import { WireLayoutError } from './field-cursor';
import { toIbDate } from './market-handlers';
import type { OptionRegistry } from './option-registry';
import { OrderBook, type IbOrderRecord } from './order-book';
import { modifyMismatch, rejected, resolveCombo, type IbError } from './order-placement';
import { bagContract, clientPrice, executionViews, ibStatus, isWorkingStatus, legCommissions, legExecId, openOrderFields, orderStatusFields } from './order-reports';
import { decodeCancelOrder, decodePlaceOrder, decodeReqExecutions, encodeCommissionReport, encodeError, encodeExecDetails, encodeExecDetailsEnd, encodeOpenOrderEnd, type ExecutionFilterFields, type ExecView, type PlaceOrderMessage } from './order-wire';
import type { WireFields } from './order-wire-types';
import { decodeReqCompletedOrders } from './account-wire';
import { encodeCompletedOrder, encodeCompletedOrdersEnd } from './completed-order-wire';
import { formatExecTime } from './exec-time';
import { requestIdOf } from './request-ids';

/** The session a request came from. */
export interface OrderClient {
  readonly clientId: number;
  reply(fields: WireFields): void;
}

/** A broker the owner can let time pass on (the paper broker's matching tick). */
export type GatewayBroker = Broker & { processAt?(nowMs: number): Promise<void> };

export interface OrderDeskOptions {
  readonly broker: GatewayBroker;
  readonly account: string;
  readonly serverVersion: number;
  readonly registry: OptionRegistry;
  /** The gateway's clock (epoch ms): completion times of orders. */
  readonly now: () => number;
  /** Delivers to every connected session of a client id: IB routes an order's events to its client id. */
  readonly toClient: (clientId: number, fields: WireFields) => void;
  /** Keeps the gateway's next valid id above every id a client has used. */
  readonly onOrderIdUsed: (orderId: number) => void;
}

const ORDER_MESSAGES: ReadonlySet<number> = new Set([IN.PLACE_ORDER, IN.CANCEL_ORDER, IN.REQ_OPEN_ORDERS, IN.REQ_ALL_OPEN_ORDERS, IN.REQ_EXECUTIONS, IN.REQ_COMPLETED_ORDERS]);

export const isOrderMessage = (id: number): boolean => ORDER_MESSAGES.has(id);

/**
 * The order side of the fake gateway over a Broker. Requests run one at a time (a cancel never
 * overtakes the placement it cancels), and the broker's events become IB's messages to the client
 * that placed the order. Orders live at the broker, not in a session: a dropped client finds them again.
 */
export class OrderDesk {
  private readonly book = new OrderBook();
  private queue: Promise<void> = Promise.resolve();
  private injected: IbError | null = null;
  private readonly unsubscribe: () => void;

  constructor(private readonly o: OrderDeskOptions) {
    this.unsubscribe = o.broker.onEvent((e) => this.onBrokerEvent(e));
  }

  close(): void {
    this.unsubscribe();
  }

  /** Dispatches one of the order messages (see isOrderMessage). */
  handle(client: OrderClient, id: number, fields: readonly string[]): void {
    if (id === IN.PLACE_ORDER) this.placeOrder(client, fields);
    else if (id === IN.CANCEL_ORDER) this.cancelOrder(client, fields);
    else if (id === IN.REQ_OPEN_ORDERS || id === IN.REQ_ALL_OPEN_ORDERS) this.openOrders(client, id === IN.REQ_ALL_OPEN_ORDERS);
    else if (id === IN.REQ_EXECUTIONS) this.executions(client, fields);
    else if (id === IN.REQ_COMPLETED_ORDERS) this.completedOrders(client, fields);
  }

  /** Fault injection: the next PLACE_ORDER is refused with this IB code and message. */
  rejectNextOrder(code: number, message: string): void {
    this.injected = { code, message };
  }

  /** Lets the broker see the time (resting orders may fill); its events reach the clients. */
  process(nowMs: number): Promise<void> {
    return this.serial(async () => {
      await this.o.broker.processAt?.(nowMs);
    });
  }

  /** Runs requests one at a time; a failure goes to `onError` (or the caller), never stops the queue. */
  private serial(run: () => Promise<void>, onError?: (e: unknown) => void): Promise<void> {
    const next = this.queue.then(run);
    this.queue = next.catch(() => undefined);
    return onError ? next.catch(onError) : next;
  }

  /** IB's answer to a request it could not read (320) or failed on (322). */
  private failed(client: OrderClient, id: number, fields: readonly string[]): (e: unknown) => void {
    return (e) => client.reply(encodeError(requestIdOf([String(id), ...fields.slice(1)]), e instanceof WireLayoutError ? 320 : 322, `${e instanceof WireLayoutError ? 'Error reading request' : 'Error processing request'}:-${errorMessage(e)}`));
  }

  private placeOrder(client: OrderClient, fields: readonly string[]): void {
    void this.serial(async () => this.place(client, decodePlaceOrder(fields, this.o.serverVersion)), this.failed(client, IN.PLACE_ORDER, fields));
  }

  private async place(client: OrderClient, m: PlaceOrderMessage): Promise<void> {
    const fail = (e: IbError): void => client.reply(encodeError(m.orderId, e.code, e.message));
    const known = this.book.get(client.clientId, m.orderId);
    if (this.injected) return this.refuseInjected(client, m, known !== undefined, this.injected);
    if (known) return this.modify(known, m, fail);
    if (this.book.isReused(client.clientId, m.orderId)) return fail({ code: 103, message: `Duplicate order id ${m.orderId}` });
    this.useId(client, m.orderId);
    const combo = await resolveCombo(m, this.o.registry);
    if ('code' in combo) return fail(combo);
    const r: IbOrderRecord = {
      orderId: m.orderId, clientId: client.clientId, brokerOrderId: null, permId: 0, symbol: m.contract.symbol, comboLegs: m.contract.comboLegs, legContracts: combo.legContracts, brokerLegs: combo.brokerLegs,
      action: combo.action, totalQuantity: m.order.totalQuantity, lmtPrice: combo.lmtPrice, tif: m.order.tif || 'DAY', orderRef: m.order.orderRef, account: m.order.account || this.o.account,
      outsideRth: m.order.outsideRth, smartComboRoutingParams: m.order.smartComboRoutingParams, status: 'PreSubmitted', filled: 0, avgFillPrice: 0, lastFillPrice: 0, executions: [],
    };
    await this.submit(client, r);
  }

  private useId(client: OrderClient, orderId: number): void {
    this.book.markUsed(client.clientId, orderId);
    this.o.onOrderIdUsed(orderId);
  }

  /** The injected fault: a refused new order uses up its id and, on a 201, ends Inactive as at IB. */
  private refuseInjected(client: OrderClient, m: PlaceOrderMessage, isModify: boolean, e: IbError): void {
    this.injected = null;
    client.reply(encodeError(m.orderId, e.code, e.message));
    if (isModify) return;
    this.useId(client, m.orderId);
    if (e.code === 201) client.reply(this.inactiveStatus(m.orderId, client.clientId, m.order.totalQuantity));
  }

  /** Hands a checked order to the broker; its events (bound by orderRef meanwhile) report it. */
  private async submit(client: OrderClient, r: IbOrderRecord): Promise<void> {
    this.book.addPlacing(r);
    let brokerOrderId: string | null = null;
    try {
      const placed = await this.o.broker.placeCombo({ order_ref: r.orderRef, symbol: r.symbol, legs: r.brokerLegs, quantity: r.totalQuantity, limit_price: clientPrice(r, r.lmtPrice), tif: 'DAY' });
      brokerOrderId = placed.broker_order_id;
    } catch (e) {
      if (!(e instanceof BrokerRejectedError)) throw e;
      // Error first, then the status: a client waiting on the order id settles on the rejection.
      const refusal = rejected(e.message);
      client.reply(encodeError(r.orderId, refusal.code, refusal.message));
      client.reply(this.inactiveStatus(r.orderId, r.clientId, r.totalQuantity));
    } finally {
      this.book.donePlacing(r, brokerOrderId);
    }
  }

  private inactiveStatus(orderId: number, clientId: number, quantity: number): WireFields {
    return orderStatusFields({ orderId, clientId, permId: 0, status: 'Inactive', filled: 0, totalQuantity: quantity, avgFillPrice: 0, lastFillPrice: 0 });
  }

  private async modify(r: IbOrderRecord, m: PlaceOrderMessage, fail: (e: IbError) => void): Promise<void> {
    if (r.status === 'Filled') return fail({ code: 104, message: "Can't modify a filled order." });
    if (!isWorkingStatus(r.status) || r.brokerOrderId === null) return fail(rejected(`order ${r.orderId} is ${r.status}; it cannot be modified`));
    const mismatch = modifyMismatch(m, r);
    if (mismatch) return fail(mismatch);
    const before = r.lmtPrice;
    // Set first: the broker's events during the modify must already show the new price.
    r.lmtPrice = m.order.lmtPrice ?? before;
    try {
      await this.o.broker.modifyPrice(r.brokerOrderId, clientPrice(r, r.lmtPrice));
    } catch (e) {
      r.lmtPrice = before;
      if (!(e instanceof BrokerRejectedError)) throw e;
      fail(rejected(e.message));
    }
  }

  private cancelOrder(client: OrderClient, fields: readonly string[]): void {
    void this.serial(async () => {
      const { orderId } = decodeCancelOrder(fields, this.o.serverVersion);
      const r = this.book.get(client.clientId, orderId);
      if (!r || r.brokerOrderId === null) return client.reply(encodeError(orderId, 10147, `OrderId ${orderId} that needs to be cancelled is not found.`));
      if (!isWorkingStatus(r.status)) return client.reply(encodeError(orderId, 10148, `OrderId ${orderId} that needs to be cancelled cannot be cancelled, state: ${r.status}.`));
      try {
        await this.o.broker.cancel(r.brokerOrderId);
      } catch (e) {
        if (!(e instanceof BrokerRejectedError)) throw e;
        return client.reply(encodeError(orderId, 10148, `OrderId ${orderId} that needs to be cancelled cannot be cancelled, state: ${r.status}.`));
      }
      this.o.toClient(r.clientId, encodeError(orderId, 202, 'Order Canceled - reason:'));
    }, this.failed(client, IN.CANCEL_ORDER, fields));
  }

  /** reqOpenOrders: this client's working orders; reqAllOpenOrders (all = true): every client's. */
  private openOrders(client: OrderClient, all: boolean): void {
    void this.serial(async () => {
      for (const w of await this.o.broker.openOrders()) {
        const r = this.book.byBrokerId(w.broker_order_id);
        if (!r || (!all && r.clientId !== client.clientId)) continue;
        client.reply(openOrderFields(r, this.o.serverVersion));
        client.reply(orderStatusFields(r));
      }
      client.reply(encodeOpenOrderEnd());
    }, this.failed(client, IN.REQ_OPEN_ORDERS, []));
  }

  private executions(client: OrderClient, fields: readonly string[]): void {
    void this.serial(async () => {
      const f = decodeReqExecutions(fields);
      const since = parseExecFilterTime(f.time);
      if (since === null) return client.reply(encodeError(f.reqId, 321, `Error validating request:-'bq' : cause - invalid execution filter time "${f.time}" (yyyymmdd hh:mm:ss [zone] or yyyymmdd-hh:mm:ss UTC)`));
      // Running totals need the order's earlier fills too, so read them all and filter here.
      const seen = new Map<IbOrderRecord, Execution[]>();
      for (const e of await this.o.broker.executions(0)) {
        const r = this.book.byBrokerId(e.broker_order_id);
        if (!r) continue;
        const prior = seen.get(r) ?? [];
        seen.set(r, [...prior, e]);
        if (e.time < since || !orderMatches(r, f, this.o.account)) continue;
        const { views, commissions } = executionViews(r, e, prior, f.reqId, r.account);
        const sent = views.filter((v) => execMatches(v, f));
        for (const v of sent) client.reply(encodeExecDetails(v));
        for (const c of commissions) if (sent.some((v) => v.execId === c.execId)) client.reply(encodeCommissionReport(c.execId, c.commission));
      }
      client.reply(encodeExecDetailsEnd(f.reqId));
    }, this.failed(client, IN.REQ_EXECUTIONS, fields));
  }

  /** reqCompletedOrders: the orders that reached a final state (all are API orders here), then the end. */
  private completedOrders(client: OrderClient, fields: readonly string[]): void {
    void this.serial(async () => {
      decodeReqCompletedOrders(fields);
      for (const r of this.book.completed()) {
        client.reply(encodeCompletedOrder({
          contract: { ...bagContract(r), comboLegs: r.comboLegs }, action: r.action, totalQuantity: r.totalQuantity, orderType: 'LMT', lmtPrice: r.lmtPrice, tif: r.tif, account: r.account,
          orderRef: r.orderRef, permId: r.permId, outsideRth: r.outsideRth, smartComboRoutingParams: r.smartComboRoutingParams, status: r.status, filledQuantity: r.filled,
          completedTime: formatExecTime(r.completedAt ?? this.o.now()), completedStatus: r.status === 'Cancelled' ? 'Cancelled by Trader' : r.status,
        }));
      }
      client.reply(encodeCompletedOrdersEnd());
    }, this.failed(client, IN.REQ_COMPLETED_ORDERS, fields));
  }

  /** The broker's word on an order, as IB says it to the client that placed the order. */
  private onBrokerEvent(e: BrokerEvent): void {
    if (e.type === 'order_status') {
      const r = this.book.forBrokerEvent(e.order.broker_order_id, e.order.order_ref);
      if (!r) return;
      r.status = ibStatus(e.order.status);
      r.filled = e.order.filled_quantity;
      r.avgFillPrice = e.order.avg_fill_price === null ? 0 : clientPrice(r, e.order.avg_fill_price);
      if (!isWorkingStatus(r.status) && r.completedAt === undefined) r.completedAt = this.o.now();
      // IB tells a cancel by status (and error 202) only; other changes also repeat the open order.
      if (r.status !== 'Cancelled') this.o.toClient(r.clientId, openOrderFields(r, this.o.serverVersion));
      this.o.toClient(r.clientId, orderStatusFields(r));
    } else if (e.type === 'execution') {
      const x = e.execution;
      const r = this.book.forBrokerEvent(x.broker_order_id, x.order_ref);
      if (!r) return;
      const { views } = executionViews(r, x, r.executions, -1, r.account);
      r.executions.push(x);
      r.lastFillPrice = clientPrice(r, x.price);
      this.book.noteExecution(x.exec_id, r);
      for (const v of views) this.o.toClient(r.clientId, encodeExecDetails(v));
    } else if (e.type === 'commission') {
      const r = this.book.byExecId(e.exec_id);
      if (!r) return;
      legCommissions(r, e.commission).forEach((c, i) => this.o.toClient(r.clientId, encodeCommissionReport(legExecId(e.exec_id, i), c)));
    }
  }
}

/** ExecutionFilter fields that select whole orders: client id, account, symbol (empty = any). */
function orderMatches(r: IbOrderRecord, f: ExecutionFilterFields, account: string): boolean {
  if (f.clientId !== 0 && f.clientId !== r.clientId) return false;
  if (f.acctCode !== '' && f.acctCode !== (r.account || account)) return false;
  return f.symbol === '' || f.symbol.toUpperCase() === r.symbol;
}

/** ExecutionFilter fields that select single reports: security type, exchange, side (BUY/SELL). */
function execMatches(v: ExecView, f: ExecutionFilterFields): boolean {
  if (f.secType !== '' && f.secType.toUpperCase() !== v.contract.secType) return false;
  if (f.exchange !== '' && f.exchange.toUpperCase() !== v.exchange && f.exchange.toUpperCase() !== v.contract.exchange) return false;
  const side = f.side.toUpperCase();
  return side === '' || (side === 'BUY' ? v.side === 'BOT' : side === 'SELL' ? v.side === 'SLD' : side === v.side);
}
