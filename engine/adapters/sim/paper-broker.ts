import type { Broker } from '../../execution/broker';
import type { AccountSummary, BrokerEvent, BrokerHealth, BrokerOrder, BrokerPosition, ComboOrderRequest, Execution, PlacedOrder } from '../../model/broker-records';
import type { ComboLeg } from '../../model/leg';
import type { MarketData, OptionQuote } from '../../market/market-data';
import type { Clock } from '../../shared/clock';
import { BrokerRejectedError } from '../../shared/errors';
import { exchangeDate, exchangeInstant } from '../../shared/exchange-time';
import { uniform } from './market/prng';
import { comboPrices, intrinsic, legFillPrices, maxLossPerShare, maxPayoffPerShare } from './paper/combo-math';
import { PaperState, positionKey, type PaperOrder } from './paper/paper-state';

export interface PaperBrokerOptions {
  readonly market: MarketData;
  readonly clock: Clock;
  readonly seed: number;
  /** The paper account's own SQLite file (':memory:' for throwaway tests). */
  readonly stateFile: string;
  readonly startingCash?: number;
  /** Dollars per contract per leg. */
  readonly commissionPerContract?: number;
  /** Where in [mid, natural] fills are drawn: 0 = mid, 1 = natural (uniform between the two bounds). */
  readonly fillBand?: { readonly from: number; readonly to: number };
}

const MULTIPLIER = 100;
const EPS = 1e-9;

/**
 * A paper broker on the simulated market. Orders match only when asked (placeCombo, modifyPrice,
 * processAt): no timers, so the demo's virtual clock and the tests drive it. An order fills when its
 * limit is at or better than a price drawn between mid and natural, keyed by (seed, order ref, minute) so
 * a run replays exactly; it fills at its limit, or at the natural when the limit is better than the
 * natural (a marketable limit trades at the market or better, as at IB), never worse than either.
 */
export class PaperBroker implements Broker {
  readonly name = 'paper';
  /** A vertical's roll (2 closing + 2 opening legs) as one order, as IB takes it. */
  readonly max_combo_legs = 4;
  private readonly state: PaperState;
  private readonly listeners = new Set<(e: BrokerEvent) => void>();
  private connected = false;
  private readonly commission: number;
  private readonly band: { from: number; to: number };

  constructor(private readonly opts: PaperBrokerOptions) {
    this.state = new PaperState(opts.stateFile, opts.startingCash ?? 100_000);
    this.commission = opts.commissionPerContract ?? 0.65;
    this.band = { ...(opts.fillBand ?? { from: 0.2, to: 1 }) };
  }

  async connect(): Promise<void> {
    this.connected = true;
  }

  async disconnect(): Promise<void> {
    this.connected = false;
  }

  close(): void {
    this.state.close();
  }

  async health(): Promise<BrokerHealth> {
    return { connected: this.connected, detail: 'paper broker (simulated market)' };
  }

  onEvent(listener: (event: BrokerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: BrokerEvent): void {
    for (const l of this.listeners) l(e);
  }

  private async legQuotes(legs: readonly ComboLeg[]): Promise<(OptionQuote | undefined)[]> {
    const quotes = await this.opts.market.quotes(legs.map((l) => ({ symbol: l.symbol, expiry: l.expiry, right: l.right, strike: l.strike })));
    return legs.map((_, i) => quotes[i]);
  }

  async placeCombo(order: ComboOrderRequest): Promise<PlacedOrder> {
    if (order.legs.length === 0 || !(order.quantity >= 1) || !Number.isInteger(order.quantity)) {
      throw new BrokerRejectedError('PAPER_INVALID', `order ${order.order_ref}: a combo needs legs and a whole positive quantity`);
    }
    const quotes = await this.legQuotes(order.legs);
    // A listed contract quoted on one side only is accepted (the order rests until it can trade),
    // as a real broker does; a contract with no market at all is not.
    if (quotes.some((q) => !q || (q.bid === null && q.ask === null))) throw new BrokerRejectedError('PAPER_UNKNOWN_CONTRACT', `order ${order.order_ref}: no quote for a leg (unknown contract or no market); not accepted`);
    const prices = comboPrices(order.legs, quotes);
    if (prices && order.limit_price < 0 && prices.mid > 0) {
      throw new BrokerRejectedError('PAPER_DEBIT_AS_CREDIT', `order ${order.order_ref}: asks a credit of ${(-order.limit_price).toFixed(2)} for a combo whose mid is a debit of ${prices.mid.toFixed(2)}`);
    }
    const now = this.opts.clock.now();
    const acct = this.state.account();
    const required = this.requiredBuyingPower(order.legs, order.limit_price, order.quantity);
    if (required > this.buyingPower(acct.cash) + EPS) {
      throw new BrokerRejectedError('PAPER_BUYING_POWER', `order ${order.order_ref}: needs ${required.toFixed(2)} of buying power, the account has ${this.buyingPower(acct.cash).toFixed(2)}`);
    }
    const id = String(acct.next_order_id);
    this.state.setAccount({ ...acct, next_order_id: acct.next_order_id + 1 });
    const placed: PaperOrder = { broker_order_id: id, order_ref: order.order_ref, symbol: order.symbol, legs: order.legs, quantity: order.quantity, limit_price: order.limit_price, status: 'submitted', filled_quantity: 0, avg_fill_price: null, updated_at: now, placed_at: now };
    this.state.insertOrder(placed);
    this.emit({ type: 'order_status', order: placed });
    await this.match(placed, now);
    return { broker_order_id: id, status: this.state.order(id)?.status ?? 'submitted' };
  }

  /** Max loss of the new combo (after its premium) in dollars, the defined-risk margin. */
  private requiredBuyingPower(legs: readonly ComboLeg[], price: number, quantity: number): number {
    return maxLossPerShare(legs, price) * MULTIPLIER * quantity;
  }

  /** Cash less the worst expiry outcome of everything held (defined-risk margin). */
  private buyingPower(cash: number): number {
    const pos = this.state.positions();
    if (pos.length === 0) return cash;
    const legs: ComboLeg[] = pos.map((p) => ({ symbol: p.symbol, expiry: p.expiry, right: p.right, strike: p.strike, ratio: Math.abs(p.quantity), action: p.quantity > 0 ? 'BUY' : 'SELL', con_id: p.con_id }));
    return cash - maxLossPerShare(legs, 0) * MULTIPLIER;
  }

  async modifyPrice(brokerOrderId: string, limitPrice: number): Promise<void> {
    const o = this.state.order(brokerOrderId);
    if (!o) throw new BrokerRejectedError('PAPER_UNKNOWN_ORDER', `no order ${brokerOrderId}`);
    if (o.status !== 'submitted' && o.status !== 'partially_filled') throw new BrokerRejectedError('PAPER_NOT_WORKING', `order ${brokerOrderId} is ${o.status}; it cannot be modified`);
    const now = this.opts.clock.now();
    const next = { ...o, limit_price: limitPrice, updated_at: now };
    this.state.updateOrder(next);
    this.emit({ type: 'order_status', order: next });
    await this.match(next, now);
  }

  async cancel(brokerOrderId: string): Promise<void> {
    const o = this.state.order(brokerOrderId);
    if (!o) throw new BrokerRejectedError('PAPER_UNKNOWN_ORDER', `no order ${brokerOrderId}`);
    if (o.status !== 'submitted' && o.status !== 'partially_filled') throw new BrokerRejectedError('PAPER_CANNOT_CANCEL', `order ${brokerOrderId} is already ${o.status}`);
    const next = { ...o, status: 'cancelled' as const, updated_at: this.opts.clock.now() };
    this.state.updateOrder(next);
    this.emit({ type: 'order_status', order: next });
  }

  /** Matches every working order at the clock's time and settles what expired: the driver's tick. */
  async processAt(nowMs: number = this.opts.clock.now()): Promise<void> {
    for (const o of this.state.workingOrders()) await this.match(o, nowMs);
    await this.settleExpired(nowMs);
  }

  private async match(o: PaperOrder, now: number): Promise<void> {
    const quotes = await this.legQuotes(o.legs);
    const prices = comboPrices(o.legs, quotes);
    if (!prices) return;
    const minute = Math.floor(now / 60_000);
    // Keyed by the order's intent (orderRef, a hash of what is traded), not by its place in the
    // account's order sequence: a backtest that changed one exit must not reshuffle every later
    // fill (thetadesk backtest --compare would show them as decisions that differed).
    const key = o.order_ref || o.broker_order_id;
    const u = this.band.from + (this.band.to - this.band.from) * uniform(this.opts.seed, 'fill', key, minute);
    // Nobody pays more for a combo than it can ever be worth: a deep in-the-money vertical whose
    // legs' natural adds up past its width still trades at the width (the seller's risk is nil
    // there). Without this bound a close capped at the width never filled, and the spread rode
    // into expiry (a 2025 backtest, seed 3).
    const bound = maxPayoffPerShare(o.legs);
    const fillAt = Math.min(prices.mid + (prices.natural - prices.mid) * u, bound);
    if (o.limit_price + EPS < fillAt) return;
    const remaining = o.quantity - o.filled_quantity;
    // Above one contract the book may take only part of the order this minute.
    const qty = remaining <= 1 ? remaining : 1 + Math.floor(uniform(this.opts.seed, 'qty', key, minute) * remaining);
    const price = Math.min(o.limit_price, Number(Math.min(prices.natural, bound).toFixed(4)));
    this.fill(o, Math.min(qty, remaining), price, legFillPrices(o.legs, quotes, price), now);
  }

  /** `price`: the signed combo price of this fill (the limit, or the natural when that is better). */
  private fill(o: PaperOrder, qty: number, price: number, legPrices: number[], now: number): void {
    const contracts = o.legs.reduce((s, l) => s + l.ratio, 0) * qty;
    const commission = Number((contracts * this.commission).toFixed(2));
    const exec = this.state.tx(() => {
      const acct = this.state.account();
      let realized = 0;
      for (const [i, l] of o.legs.entries()) realized += this.applyLeg(l, (l.action === 'BUY' ? 1 : -1) * l.ratio * qty, legPrices[i] ?? 0);
      const e: Execution = { exec_id: `paper-${acct.next_exec_id}`, broker_order_id: o.broker_order_id, order_ref: o.order_ref, symbol: o.symbol, quantity: qty, price, leg_prices: legPrices, time: now, commission };
      this.state.insertExecution(e);
      this.state.setAccount({ ...acct, cash: acct.cash - price * MULTIPLIER * qty - commission, realized_pnl: acct.realized_pnl + realized - commission, next_exec_id: acct.next_exec_id + 1 });
      const filled = o.filled_quantity + qty;
      const avg = ((o.avg_fill_price ?? 0) * o.filled_quantity + price * qty) / filled;
      const next: PaperOrder = { ...o, filled_quantity: filled, avg_fill_price: Number(avg.toFixed(6)), status: filled >= o.quantity ? 'filled' : 'partially_filled', updated_at: now };
      this.state.updateOrder(next);
      return { e, next };
    });
    this.emit({ type: 'execution', execution: exec.e });
    this.emit({ type: 'commission', exec_id: exec.e.exec_id, commission });
    this.emit({ type: 'order_status', order: exec.next });
  }

  /** Applies a signed leg quantity at a per-share price; returns the realized P&L in dollars. */
  private applyLeg(l: ComboLeg, delta: number, price: number): number {
    const key = positionKey(l);
    const cur = this.state.positions().find((p) => positionKey(p) === key);
    const q0 = cur?.quantity ?? 0;
    const cost0 = cur?.avg_cost ?? 0;
    const q1 = q0 + delta;
    let realized = 0;
    let avg = cost0;
    if (q0 === 0 || Math.sign(q0) === Math.sign(delta)) {
      avg = (cost0 * Math.abs(q0) + price * Math.abs(delta)) / Math.abs(q1);
    } else {
      const closed = Math.min(Math.abs(delta), Math.abs(q0));
      realized = (price - cost0) * closed * MULTIPLIER * Math.sign(q0);
      if (Math.abs(delta) > Math.abs(q0)) avg = price;
    }
    const pos: BrokerPosition = { symbol: l.symbol, expiry: l.expiry, right: l.right, strike: l.strike, con_id: l.con_id, quantity: q1, avg_cost: q1 === 0 ? 0 : Number(avg.toFixed(6)) };
    this.state.setPosition(pos);
    this.emit({ type: 'position', position: pos });
    return realized;
  }

  /** Cash-settles options at intrinsic once their expiry's close (16:00 ET) has passed. */
  private async settleExpired(now: number): Promise<void> {
    const expired = this.state.positions().filter((p) => now >= exchangeInstant(p.expiry, '16:00') || exchangeDate(now) > p.expiry);
    for (const p of expired) {
      const spot = await this.opts.market.spot(p.symbol);
      const value = intrinsic(p.right, p.strike, spot);
      this.state.tx(() => {
        const acct = this.state.account();
        const realized = (value - p.avg_cost) * p.quantity * MULTIPLIER;
        this.state.setAccount({ ...acct, cash: acct.cash + value * p.quantity * MULTIPLIER, realized_pnl: acct.realized_pnl + realized });
        this.state.setPosition({ ...p, quantity: 0 });
      });
      this.emit({ type: 'position', position: { ...p, quantity: 0 } });
    }
  }

  async accountSummary(): Promise<AccountSummary> {
    const acct = this.state.account();
    let marks = 0;
    let unrealized = 0;
    for (const p of this.state.positions()) {
      const [q] = await this.opts.market.quotes([{ symbol: p.symbol, expiry: p.expiry, right: p.right, strike: p.strike }]);
      const mid = q?.mid ?? p.avg_cost;
      marks += mid * p.quantity * MULTIPLIER;
      unrealized += (mid - p.avg_cost) * p.quantity * MULTIPLIER;
    }
    return { net_liquidation: acct.cash + marks, buying_power: this.buyingPower(acct.cash), cash: acct.cash, realized_pnl: acct.realized_pnl, unrealized_pnl: unrealized };
  }

  async positions(): Promise<readonly BrokerPosition[]> {
    return this.state.positions();
  }

  async openOrders(): Promise<readonly BrokerOrder[]> {
    return this.state.workingOrders();
  }

  /** Every order the account has seen, newest state (for `thetadesk orders`). */
  allOrders(): readonly BrokerOrder[] {
    return this.state.allOrders();
  }

  async executions(sinceMs: number): Promise<readonly Execution[]> {
    return this.state.executionsSince(sinceMs);
  }
}

