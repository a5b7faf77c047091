import { EventName, SecType, type CommissionReport, type Contract, type Execution as IbExecution, type Order, type OrderState } from '@stoqey/ib';
import type { Broker } from '../../execution/broker';
import type { AccountSummary, BrokerEvent, BrokerHealth, BrokerOrder, BrokerOrderStatus, BrokerPosition, ComboOrderRequest, Execution, PlacedOrder } from '../../model/broker-records';
import type { ComboLeg } from '../../model/leg';
import type { Clock } from '../../shared/clock';
import { BrokerRejectedError, NotConnectedError, type ThetadeskError } from '../../shared/errors';
import { guardAccount, type GuardedAccount, type LivePermission } from './ib-account-guard';
import type { IbConnectionSettings } from './ib-config';
import { IbOptionContracts } from './ib-option-contracts';
import { brokerStatus, comboContract, comboOrder, ibUtcFilterTime, isoExpiry, isWorking, parseIbTime, signedComboPrice } from './ib-order-mapping';
import { IbReconnector, type ReconnectPolicy } from './ib-reconnect';
import { IbSession } from './ib-session';
import { IbPacer } from './pacer';

export interface IbBrokerOptions {
  readonly settings: IbConnectionSettings;
  readonly clock: Clock;
  /** The account orders go to when the login manages several (never logged). */
  readonly account?: string;
  /**
   * Who may trade a live (non-paper) account: refused at connect unless both the config and the
   * command allow it (default: neither). 'read_only': any account connects, orders to a live one
   * are refused (thetadesk positions).
   */
  readonly live?: LivePermission | 'read_only';
  /** A refusal the reconnect loop cannot fix (the client id taken meanwhile): said once, loudly. */
  readonly onFatal?: (message: string) => void;
  readonly reconnect?: Partial<ReconnectPolicy>;
  readonly requestTimeoutMs?: number;
  readonly connectTimeoutMs?: number;
  /** Wall-time sleep for pacing and reconnect backoff (IB counts real seconds). */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly log?: (line: string) => void;
}

interface KnownOrder {
  readonly order_id: number;
  contract: Contract;
  order: Order;
  legs: readonly ComboLeg[];
  status: BrokerOrderStatus;
  filled: number;
  avg_fill_price: number | null;
  updated_at: number;
}

const SUMMARY_TAGS = 'NetLiquidation,TotalCashValue,BuyingPower,RealizedPnL,UnrealizedPnL';
/** How long executions() waits for commission reports IB sends after the executions themselves. */
const COMMISSION_GRACE_MS = 1000;

/**
 * The Broker port over TWS / IB Gateway: one BAG combo order per spread, the intent id in
 * orderRef, order state only from IB's own messages. The order manager polls (openOrders,
 * executions) rather than trusting events, so a lost event costs a poll, never an order; events
 * are still forwarded (fills trigger the `on: [fill]` tasks). On a lost socket it reconnects with
 * capped backoff and says so (`connection_restored`), and the engine reconciles before any new order.
 */
export class IbBroker implements Broker {
  readonly name = 'ib';
  /**
   * A vertical's roll as one BAG (2 closing + 2 opening legs, two expiries of one underlying, each
   * contract once). Larger rolls (an iron condor's 8 legs) go as linked orders: kept at what the
   * fake gateway and the paper broker are tested with.
   */
  readonly max_combo_legs = 4;
  private readonly session: IbSession;
  private readonly pacer: IbPacer;
  private readonly contracts: IbOptionContracts;
  private readonly reconnector: IbReconnector;
  private readonly listeners = new Set<(e: BrokerEvent) => void>();
  private readonly orders = new Map<number, KnownOrder>();
  /** Commission per reported execution id (combo or leg). */
  private readonly commissions = new Map<string, number>();
  /** Leg execution id → the combo execution it belongs to, and back. */
  private readonly legToCombo = new Map<string, string>();
  private readonly legsOfCombo = new Map<string, Set<string>>();
  /** Order id → its latest combo execution id (leg executions follow their combo's). */
  private readonly lastComboExec = new Map<number, string>();
  private wired = false;
  private closing = false;
  /** True while a connection that once worked is up: only its loss starts the reconnect loop. */
  private established = false;
  private serial: Promise<unknown> = Promise.resolve();
  private guarded: GuardedAccount | null = null;

  constructor(private readonly opts: IbBrokerOptions) {
    this.session = new IbSession(opts.settings, { requestTimeoutMs: opts.requestTimeoutMs, connectTimeoutMs: opts.connectTimeoutMs, onNotice: (code, msg) => this.onNotice(code, msg) });
    const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    this.pacer = new IbPacer({ clock: { now: () => Date.now() }, sleep });
    this.contracts = new IbOptionContracts(this.session, this.pacer);
    this.reconnector = new IbReconnector({
      policy: opts.reconnect,
      sleep,
      connect: () => this.open(),
      log: (l) => opts.log?.(l),
      onGiveUp: (e) => {
        const msg = e instanceof Error ? e.message : String(e);
        this.emit({ type: 'connection_lost', detail: `reconnect refused, not retrying: ${msg}` });
        opts.onFatal?.(msg);
      },
      onRestored: () => {
        this.established = true;
        this.emit({ type: 'connection_restored', data_lost: true });
      },
    });
  }

  async connect(): Promise<void> {
    this.closing = false;
    this.wire();
    if (!this.session.connected) await this.open();
    this.established = true;
  }

  /** Connects and checks the account: a live one is refused unless allowed (see `live`). */
  private async open(): Promise<void> {
    await this.session.connect();
    const live = this.opts.live ?? { config: false, flag: false };
    try {
      this.guarded = guardAccount(this.session.accounts, this.opts.account, live === 'read_only' ? { config: true, flag: true } : live);
    } catch (e) {
      this.closing = true;
      this.session.disconnect();
      throw e;
    }
  }

  /** The account connected to (paper or live, redacted label); null before a connection. */
  get account(): GuardedAccount | null {
    return this.guarded;
  }

  /** IB's server version (after connect). */
  get serverVersion(): number {
    return this.session.serverVersion;
  }

  /** 'read_only' connections never send orders to a live account. */
  private assertMayTrade(what: string): void {
    if (this.opts.live === 'read_only' && this.guarded?.mode === 'live') throw new BrokerRejectedError('E_LIVE_READ_ONLY', `${what}: ${this.guarded.label} is connected read-only; no order is sent`);
  }

  async disconnect(): Promise<void> {
    this.closing = true;
    this.reconnector.stop();
    this.session.disconnect();
  }

  async health(): Promise<BrokerHealth> {
    const where = `${this.opts.settings.host}:${this.opts.settings.port} client ${this.opts.settings.clientId}`;
    return { connected: this.session.connected, detail: this.session.connected ? `IB connected (${where})` : this.reconnector.active ? `IB reconnecting (${where})` : `IB not connected (${where})` };
  }

  onEvent(listener: (event: BrokerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: BrokerEvent): void {
    for (const l of this.listeners) l(e);
  }

  /** Requests whose replies carry no request id (open orders, positions) must not overlap. */
  private serialized<T>(run: () => Promise<T>): Promise<T> {
    const next = this.serial.then(run, run);
    this.serial = next.catch(() => undefined);
    return next;
  }

  private wire(): void {
    if (this.wired) return;
    this.wired = true;
    const api = this.session.api;
    api.on(EventName.openOrder, (orderId: number, contract: Contract, order: Order, state: OrderState) => this.onOpenOrder(orderId, contract, order, state));
    api.on(EventName.orderStatus, (orderId: number, status: string, filled: number, _remaining: number, avgFillPrice: number) => this.onOrderStatus(orderId, status, filled, avgFillPrice));
    api.on(EventName.execDetails, (reqId: number, contract: Contract, exec: IbExecution) => {
      // reqId -1: a live fill, not an answer to reqExecutions.
      if (reqId !== -1) return;
      const e = this.toExecution(contract, exec);
      if (e) this.emit({ type: 'execution', execution: e });
    });
    api.on(EventName.commissionReport, (r: CommissionReport) => this.onCommission(r));
    api.on(EventName.disconnected, () => {
      // A first connect that fails is the caller's error to report, not a loss to recover from.
      if (this.closing || !this.established) return;
      this.established = false;
      this.emit({ type: 'connection_lost', detail: 'socket to TWS / IB Gateway closed' });
      this.reconnector.start();
    });
  }

  private onNotice(code: number, message: string): void {
    if (code === 1100) this.emit({ type: 'connection_lost', detail: `IB 1100: ${message}` });
    else if (code === 1101) this.emit({ type: 'connection_restored', data_lost: true });
    else if (code === 1102) this.emit({ type: 'connection_restored', data_lost: false });
    else this.opts.log?.(`IB ${code}: ${message}`);
  }

  private onOpenOrder(orderId: number, contract: Contract, order: Order, state: OrderState): void {
    const known = this.orders.get(orderId);
    const quantity = Number(order.totalQuantity ?? known?.order.totalQuantity ?? 0);
    const status = brokerStatus(String(state.status), known?.filled ?? 0, quantity);
    if (known) {
      known.contract = contract;
      known.order = order;
      known.status = status;
      known.updated_at = this.opts.clock.now();
    } else {
      this.orders.set(orderId, { order_id: orderId, contract, order, legs: [], status, filled: 0, avg_fill_price: null, updated_at: this.opts.clock.now() });
    }
  }

  private onOrderStatus(orderId: number, ibStatus: string, filled: number, avgFillPrice: number): void {
    const known = this.orders.get(orderId);
    if (!known) return;
    known.filled = Number(filled) || 0;
    known.avg_fill_price = known.filled > 0 && Number.isFinite(avgFillPrice) ? signedComboPrice(known.order.action, avgFillPrice) : null;
    known.status = brokerStatus(ibStatus, known.filled, Number(known.order.totalQuantity ?? 0));
    known.updated_at = this.opts.clock.now();
    this.emit({ type: 'order_status', order: this.toBrokerOrder(known) });
  }

  private onCommission(r: CommissionReport): void {
    // IB writes Double.MAX_VALUE where a figure is not known yet.
    if (!r.execId || r.commission === undefined || !Number.isFinite(r.commission) || r.commission > 1e9) return;
    // Set, not added: a replayed report must not count twice.
    this.commissions.set(r.execId, r.commission);
    const combo = this.legToCombo.get(r.execId) ?? r.execId;
    this.emit({ type: 'commission', exec_id: combo, commission: this.commissionOf(combo) });
  }

  /** A combo execution's commission: its own report plus its legs' (IB may report either way). */
  private commissionOf(comboExecId: string): number {
    let total = this.commissions.get(comboExecId) ?? 0;
    for (const leg of this.legsOfCombo.get(comboExecId) ?? []) total += this.commissions.get(leg) ?? 0;
    return total;
  }

  private hasCommission(comboExecId: string): boolean {
    return this.commissions.has(comboExecId) || [...(this.legsOfCombo.get(comboExecId) ?? [])].some((l) => this.commissions.has(l));
  }

  private toBrokerOrder(k: KnownOrder): BrokerOrder {
    return {
      broker_order_id: String(k.order_id),
      order_ref: k.order.orderRef ?? '',
      symbol: k.contract.symbol ?? '',
      legs: k.legs,
      quantity: Number(k.order.totalQuantity ?? 0),
      limit_price: signedComboPrice(k.order.action, Number(k.order.lmtPrice ?? Number.NaN)),
      status: k.status,
      filled_quantity: k.filled,
      avg_fill_price: k.avg_fill_price,
      updated_at: k.updated_at,
    };
  }

  /** A combo (BAG) execution as the port's Execution; leg executions are folded into their combo's. */
  private toExecution(contract: Contract, x: IbExecution): Execution | null {
    if (!x.execId || x.orderId === undefined) return null;
    if (contract.secType !== SecType.BAG) {
      const combo = this.lastComboExec.get(x.orderId);
      if (combo) {
        this.legToCombo.set(x.execId, combo);
        const legs = this.legsOfCombo.get(combo) ?? new Set<string>();
        legs.add(x.execId);
        this.legsOfCombo.set(combo, legs);
      }
      return null;
    }
    this.lastComboExec.set(x.orderId, x.execId);
    const t = parseIbTime(x.time);
    return {
      exec_id: x.execId,
      broker_order_id: String(x.orderId),
      order_ref: x.orderRef ?? this.orders.get(x.orderId)?.order.orderRef ?? '',
      symbol: contract.symbol ?? '',
      quantity: Number(x.shares ?? 0),
      price: signedComboPrice(x.side, Number(x.price ?? Number.NaN)),
      leg_prices: [],
      time: Number.isFinite(t) ? t : this.opts.clock.now(),
      commission: this.commissionOf(x.execId),
    };
  }

  private orderId(): number {
    const id = this.session.nextOrderId;
    if (id === null || !this.session.connected) throw new NotConnectedError('IB_NOT_CONNECTED', 'not connected to TWS / IB Gateway: no order id to place an order with');
    this.session.nextOrderId = id + 1;
    return id;
  }

  async placeCombo(req: ComboOrderRequest): Promise<PlacedOrder> {
    this.assertMayTrade(`order ${req.order_ref}`);
    if (req.legs.length === 0 || !Number.isInteger(req.quantity) || req.quantity < 1) {
      throw new BrokerRejectedError('IB_INVALID_ORDER', `order ${req.order_ref}: a combo needs legs and a whole positive quantity`);
    }
    const conIds: number[] = [];
    for (const leg of req.legs) conIds.push(await this.contracts.conIdOf(leg));
    const contract = comboContract(req.symbol, req.legs, conIds);
    const order = comboOrder(req, this.opts.account);
    const id = this.orderId();
    const known: KnownOrder = { order_id: id, contract, order, legs: req.legs.map((l, i) => ({ ...l, con_id: conIds[i] ?? null })), status: 'pending_submit', filled: 0, avg_fill_price: null, updated_at: this.opts.clock.now() };
    this.orders.set(id, known);
    const status = await this.send(id, `order ${req.order_ref}`, () => this.session.api.placeOrder(id, contract, order));
    return { broker_order_id: String(id), status };
  }

  /** Sends (or re-sends) an order and resolves at IB's first word on it; IB's errors for the id reject. */
  private async send(id: number, what: string, start: () => void): Promise<BrokerOrderStatus> {
    await this.pacer.message();
    return this.session.request<BrokerOrderStatus>(id, what, (done) => [
      [EventName.orderStatus, ((oid: number) => oid === id && done(this.orders.get(id)?.status ?? 'submitted')) as never],
      [EventName.openOrder, ((oid: number) => oid === id && done(this.orders.get(id)?.status ?? 'submitted')) as never],
    ], start);
  }

  async modifyPrice(brokerOrderId: string, limitPrice: number): Promise<void> {
    this.assertMayTrade(`modify of order ${brokerOrderId}`);
    const id = Number(brokerOrderId);
    const known = this.orders.get(id);
    if (!known) throw new BrokerRejectedError('IB_UNKNOWN_ORDER', `order ${brokerOrderId} is not known to this connection; read open orders first`);
    if (!isWorking(known.status)) throw new BrokerRejectedError('IB_ORDER_DONE', `order ${brokerOrderId} is ${known.status}; nothing to modify`);
    // IB modifies by re-sending the same order id; a BUY combo carries the signed price as is.
    const order: Order = { ...known.order, lmtPrice: signedComboPrice(known.order.action, limitPrice) };
    await this.send(id, `modify of order ${brokerOrderId}`, () => this.session.api.placeOrder(id, known.contract, order));
    known.order = order;
  }

  async cancel(brokerOrderId: string): Promise<void> {
    const id = Number(brokerOrderId);
    await this.pacer.message();
    await this.session.request<void>(id, `cancel of order ${brokerOrderId}`, (done, fail) => [
      [EventName.orderStatus, ((oid: number, status: string) => oid === id && (status === 'Cancelled' || status === 'ApiCancelled') && done()) as never],
      [EventName.error, ((_e: Error, code: number, reqId: number) => {
        if (reqId !== id) return;
        if (code === 202) done();
        else if (code === 10147 || code === 10148) fail(new BrokerRejectedError(`IB_${code}`, `order ${brokerOrderId} cannot be cancelled (IB ${code}): already filled, cancelled or unknown; its executions settle it`) as ThetadeskError);
      }) as never],
    ], () => this.session.api.cancelOrder(id));
  }

  openOrders(): Promise<readonly BrokerOrder[]> {
    return this.serialized(async () => {
      await this.pacer.message();
      const seen = await this.session.request<number[]>(this.session.newReqId(), 'open orders', (done) => {
        const ids: number[] = [];
        return [
          [EventName.openOrder, ((oid: number) => ids.push(oid)) as never],
          [EventName.openOrderEnd, (() => done(ids)) as never],
        ];
      }, () => this.session.api.reqOpenOrders());
      const out: BrokerOrder[] = [];
      for (const id of new Set(seen)) {
        const k = this.orders.get(id);
        if (!k || !isWorking(k.status)) continue;
        if (k.legs.length === 0) k.legs = await this.legsOf(k.contract);
        out.push(this.toBrokerOrder(k));
      }
      return out;
    });
  }

  /** Legs of an order read back from IB (after a restart only conIds are known). */
  private async legsOf(contract: Contract): Promise<ComboLeg[]> {
    const legs: ComboLeg[] = [];
    for (const l of contract.comboLegs ?? []) {
      const o = l.conId === undefined ? null : await this.contracts.identityOf(l.conId);
      if (!o) continue;
      legs.push({ symbol: o.symbol, expiry: o.expiry, right: o.right, strike: o.strike, ratio: l.ratio ?? 1, action: l.action === 'SELL' ? 'SELL' : 'BUY', con_id: l.conId ?? null });
    }
    return legs;
  }

  executions(sinceMs: number): Promise<readonly Execution[]> {
    return this.serialized(async () => {
      await this.pacer.message();
      const reqId = this.session.newReqId();
      const rows = await this.session.request<Array<{ contract: Contract; exec: IbExecution }>>(reqId, 'executions', (done) => {
        const got: Array<{ contract: Contract; exec: IbExecution }> = [];
        return [
          [EventName.execDetails, ((r: number, contract: Contract, exec: IbExecution) => r === reqId && got.push({ contract, exec })) as never],
          [EventName.execDetailsEnd, ((r: number) => r === reqId && done(got)) as never],
        ];
      }, () => this.session.api.reqExecutions(reqId, { time: ibUtcFilterTime(sinceMs) }));
      // In arrival order: a leg execution is filed under the combo execution before it.
      const combos = rows.map((r) => this.toExecution(r.contract, r.exec)).filter((e): e is Execution => e !== null && e.time >= sinceMs);
      const deadline = Date.now() + COMMISSION_GRACE_MS;
      while (combos.some((e) => !this.hasCommission(e.exec_id)) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 20));
      return combos.map((e) => ({ ...e, commission: this.commissionOf(e.exec_id) }));
    });
  }

  positions(): Promise<readonly BrokerPosition[]> {
    return this.serialized(async () => {
      await this.pacer.message();
      const rows = await this.session.request<Array<{ contract: Contract; pos: number; avgCost: number }>>(this.session.newReqId(), 'positions', (done) => {
        const got: Array<{ contract: Contract; pos: number; avgCost: number }> = [];
        return [
          [EventName.position, ((_a: string, contract: Contract, pos: number, avgCost?: number) => got.push({ contract, pos: Number(pos), avgCost: Number(avgCost ?? Number.NaN) })) as never],
          [EventName.positionEnd, (() => done(got)) as never],
        ];
      }, () => this.session.api.reqPositions());
      this.session.api.cancelPositions();
      return rows
        .filter((r) => r.contract.secType === SecType.OPT && r.pos !== 0 && r.contract.lastTradeDateOrContractMonth && r.contract.strike !== undefined)
        .map((r) => ({
          symbol: r.contract.symbol ?? '',
          expiry: isoExpiry(r.contract.lastTradeDateOrContractMonth ?? ''),
          right: r.contract.right === 'P' ? ('P' as const) : ('C' as const),
          strike: Number(r.contract.strike),
          con_id: r.contract.conId ?? null,
          quantity: r.pos,
          // IB reports an option's average cost per contract (× multiplier); the port wants per share.
          avg_cost: Math.abs(r.avgCost) / Number(r.contract.multiplier ?? 100),
        }));
    });
  }

  async accountSummary(): Promise<AccountSummary> {
    await this.pacer.message();
    const reqId = this.session.newReqId();
    const values = await this.session.request<Map<string, number>>(reqId, 'account summary', (done) => {
      const got = new Map<string, number>();
      let account: string | null = this.opts.account ?? null;
      return [
        [EventName.accountSummary, ((r: number, acct: string, tag: string, value: string) => {
          if (r !== reqId) return;
          account ??= acct;
          if (acct === account) got.set(tag, Number(value));
        }) as never],
        [EventName.accountSummaryEnd, ((r: number) => r === reqId && done(got)) as never],
      ];
    }, () => this.session.api.reqAccountSummary(reqId, 'All', SUMMARY_TAGS));
    this.session.api.cancelAccountSummary(reqId);
    // A missing NLV or buying power stays NaN: the risk manager refuses entries on it (fail closed).
    return {
      net_liquidation: values.get('NetLiquidation') ?? Number.NaN,
      buying_power: values.get('BuyingPower') ?? Number.NaN,
      cash: values.get('TotalCashValue') ?? Number.NaN,
      realized_pnl: values.get('RealizedPnL') ?? 0,
      unrealized_pnl: values.get('UnrealizedPnL') ?? 0,
    };
  }
}
