import type { OrdersConfig } from '../config/types';
import type { MarketData } from '../market/market-data';
import type { Clock } from '../shared/clock';
import { errorMessage, isThetadeskError } from '../shared/errors';
import type { Db } from '../store/journal';
import { ExecutionsRepo } from '../store/executions-repo';
import { IntentsRepo, type IntentRecord } from '../store/intents-repo';
import { PositionsRepo } from '../store/positions-repo';
import type { Broker } from './broker';
import type { BrokerOrder, Execution } from '../model/broker-records';
import type { IntentStatus } from '../model/intent-lifecycle';
import type { OrderIntent } from '../model/order-intent';
import { capFor, planWalk, policyFor } from './price-walk';
import { comboQuote } from './combo-quote';

export interface OrderManagerDeps {
  readonly db: Db;
  readonly broker: Broker;
  readonly market: MarketData;
  readonly orders: OrdersConfig;
  readonly clock: Clock;
  /** Waits `ms` of the clock's time (real sleep live; virtual time in the demo and tests). */
  readonly sleep: (ms: number) => Promise<void>;
}

export interface IntentOutcome {
  readonly intent_id: string;
  readonly status: IntentStatus;
  readonly filled_quantity: number;
  /** Signed average combo price per share, null when nothing filled. */
  readonly avg_price: number | null;
  readonly detail: string | null;
  /** True when a broker order already carrying this intent was found and adopted (no new send). */
  readonly adopted: boolean;
}

export interface ReconcileReport {
  readonly resolved: Array<{ intent_id: string; status: IntentStatus }>;
  /** Intents whose broker order is still working: execute() them again to resume the walk. */
  readonly working: string[];
  /** Broker orders with no intent in this journal: reported and left alone. */
  readonly orphans: Array<{ broker_order_id: string; order_ref: string }>;
}

const FINAL: ReadonlySet<IntentStatus> = new Set(['filled', 'unfilled', 'cancelled', 'rejected']);
const LOOKBACK_MS = 7 * 86_400_000;

/**
 * One combo order per intent, exactly once: the intent is journaled before anything is sent, the
 * broker is asked for an order carrying the intent id before any send, and intent state changes
 * only on the broker's evidence (its open orders and executions).
 */
export class OrderManager {
  private readonly intents: IntentsRepo;
  private readonly executions: ExecutionsRepo;
  private readonly positions: PositionsRepo;

  constructor(private readonly d: OrderManagerDeps) {
    this.intents = new IntentsRepo(d.db);
    this.executions = new ExecutionsRepo(d.db);
    this.positions = new PositionsRepo(d.db);
  }

  async execute(intent: OrderIntent): Promise<IntentOutcome> {
    const now = this.d.clock.now();
    this.intents.create(intent, now);
    const rec = this.intents.get(intent.id);
    if (!rec) throw new Error(`intent ${intent.id} vanished from the journal`);
    if (FINAL.has(rec.status)) return this.outcomeOf(rec, false);
    const existing = await this.brokerOrderFor(rec.id);
    const filledBefore = await this.syncExecutions(rec);
    if (filledBefore >= rec.quantity) return this.finish(rec, 'filled', null, existing !== null);
    if (existing && existing.status !== 'submitted' && existing.status !== 'partially_filled' && existing.status !== 'pending_submit') {
      return this.finish(rec, filledBefore > 0 ? 'partially_filled' : 'cancelled', `broker order ${existing.broker_order_id} is ${existing.status}`, true);
    }
    const plan = await this.plan(rec);
    if (!plan.ok) return this.finish(rec, 'rejected', `not sent: ${plan.reason}`, existing !== null);
    return this.walk(rec, plan.steps, plan.cancel_after_ms, existing, rec.quantity - filledBefore);
  }

  private async plan(rec: IntentRecord): Promise<ReturnType<typeof planWalk>> {
    const q = await comboQuote(this.d.market, rec.legs);
    if (!q) return { ok: false, reason: 'no two-sided quote for every leg' };
    return planWalk({ mid: q.mid, natural: q.natural, cap: capFor(rec.kind, rec.width, this.d.orders), tick: this.d.orders.tick_size, policy: policyFor(rec.urgency, this.d.orders) });
  }

  /** `remaining`: what a new order may ask for (an intent resumed after a partial fill never over-fills). */
  private async walk(rec: IntentRecord, steps: ReadonlyArray<{ after_ms: number; price: number }>, cancelAfterMs: number, existing: BrokerOrder | null, remaining: number): Promise<IntentOutcome> {
    const started = this.d.clock.now();
    let orderId = existing?.broker_order_id ?? null;
    const first = steps[0];
    if (!first) return this.finish(rec, 'rejected', 'not sent: empty price plan', false);
    if (!orderId) {
      try {
        const placed = await this.d.broker.placeCombo({ order_ref: rec.id, symbol: rec.symbol, legs: rec.legs, quantity: remaining, limit_price: first.price, tif: 'DAY' });
        orderId = placed.broker_order_id;
        this.intents.recordOrder(rec.id, orderId, this.d.broker.name, first.price, placed.status, this.d.clock.now());
        this.intents.event(rec.id, orderId, 'sent', { price: first.price }, this.d.clock.now());
      } catch (e) {
        if (isThetadeskError(e) && e.kind === 'rejected') return this.finish(rec, 'rejected', errorMessage(e), false);
        throw e;
      }
    } else {
      this.intents.recordOrder(rec.id, orderId, this.d.broker.name, existing?.limit_price ?? first.price, existing?.status ?? 'submitted', this.d.clock.now());
      this.intents.event(rec.id, orderId, 'adopted', { price: existing?.limit_price }, this.d.clock.now());
    }
    this.intents.setStatus(rec.id, 'working', null, this.d.clock.now());
    for (const step of steps.slice(1)) {
      if (await this.settled(rec, orderId)) break;
      await this.d.sleep(Math.max(0, started + step.after_ms - this.d.clock.now()));
      if (await this.settled(rec, orderId)) break;
      try {
        await this.d.broker.modifyPrice(orderId, step.price);
        this.intents.recordOrder(rec.id, orderId, this.d.broker.name, step.price, 'submitted', this.d.clock.now());
        this.intents.event(rec.id, orderId, 'walked', { price: step.price }, this.d.clock.now());
      } catch (e) {
        // A modify racing a fill is refused by the broker: the executions below settle it.
        if (!(isThetadeskError(e) && e.kind === 'rejected')) throw e;
      }
    }
    if (!(await this.settled(rec, orderId))) {
      await this.d.sleep(Math.max(0, started + cancelAfterMs - this.d.clock.now()));
      if (!(await this.settled(rec, orderId))) {
        try {
          await this.d.broker.cancel(orderId);
          this.intents.event(rec.id, orderId, 'cancel_requested', {}, this.d.clock.now());
        } catch (e) {
          if (!(isThetadeskError(e) && e.kind === 'rejected')) throw e;
        }
      }
    }
    const filled = await this.syncExecutions(rec);
    const status: IntentStatus = filled >= rec.quantity ? 'filled' : filled > 0 ? 'partially_filled' : 'unfilled';
    return this.finish(rec, status, status === 'filled' ? null : `timed out after ${cancelAfterMs} ms with ${filled}/${rec.quantity} filled`, existing !== null);
  }

  /** True when the broker reports the order done (filled, cancelled, rejected). */
  private async settled(rec: IntentRecord, orderId: string): Promise<boolean> {
    const open = await this.d.broker.openOrders();
    const mine = open.find((o) => o.broker_order_id === orderId);
    if (mine) return false;
    await this.syncExecutions(rec);
    return true;
  }

  private async brokerOrderFor(intentId: string): Promise<BrokerOrder | null> {
    const open = await this.d.broker.openOrders();
    return open.find((o) => o.order_ref === intentId) ?? null;
  }

  /** Journals the broker's executions of this intent (replays ignored); returns the filled quantity. */
  private async syncExecutions(rec: IntentRecord): Promise<number> {
    const execs = (await this.d.broker.executions(rec.created_at - LOOKBACK_MS)).filter((e: Execution) => e.order_ref === rec.id);
    for (const e of execs) {
      if (this.executions.record(e, rec.id)) this.intents.event(rec.id, e.broker_order_id, 'execution', { exec_id: e.exec_id, quantity: e.quantity, price: e.price }, this.d.clock.now());
    }
    return this.executions.forIntent(rec.id).reduce((s, e) => s + e.quantity, 0);
  }

  private finish(rec: IntentRecord, status: IntentStatus, detail: string | null, adopted: boolean): IntentOutcome {
    const now = this.d.clock.now();
    const fills = this.executions.forIntent(rec.id);
    const qty = fills.reduce((s, e) => s + e.quantity, 0);
    const avg = qty > 0 ? fills.reduce((s, e) => s + e.price * e.quantity, 0) / qty : null;
    const commission = fills.reduce((s, e) => s + e.commission, 0);
    this.d.db.transaction(() => {
      this.intents.setStatus(rec.id, status, detail, now);
      // Called once the broker no longer lists the order as working: its final state follows.
      const orderStatus = status === 'filled' ? 'filled' : status === 'partially_filled' ? 'partially_filled' : status === 'rejected' ? 'rejected' : 'cancelled';
      for (const o of this.intents.ordersOf(rec.id)) this.intents.updateOrder(o.broker_order_id, orderStatus, qty, avg, now);
      if (qty > 0 && avg !== null) this.applyToPosition(rec, qty, avg, commission, now);
    })();
    return { intent_id: rec.id, status, filled_quantity: qty, avg_price: avg, detail, adopted };
  }

  /**
   * Idempotent: an intent finished twice (a partly filled order resumed later) applies only the
   * fills not yet applied. Opens carry totals (quantity and average credit of every fill so far).
   */
  private applyToPosition(rec: IntentRecord, qty: number, avg: number, commission: number, now: number): void {
    if (rec.kind === 'open') {
      const legs = rec.legs.map((l) => ({ right: l.right, strike: l.strike, expiry: l.expiry, action: l.action, ratio: l.ratio, con_id: l.con_id }));
      if (!this.positions.open({ id: rec.position_id, opened_by_intent: rec.id, symbol: rec.symbol, strategy: rec.strategy, legs, quantity: qty, entry_credit: -avg, entry_iv: rec.context.entry_iv, entry_vix: rec.context.entry_vix, entry_time: now, entry_deltas: rec.context.entry_deltas ?? null })) {
        this.positions.setOpeningFills(rec.position_id, rec.id, qty, -avg);
      }
      return;
    }
    const applied = this.intents.appliedQuantity(rec.id);
    const delta = qty - applied;
    const pos = this.positions.get(rec.position_id);
    if (delta <= 0 || !pos || pos.status !== 'open') return;
    const share = qty > 0 ? delta / qty : 0;
    // The opening fills' commissions are part of the round trip: charged pro rata as it is closed.
    const opening = this.executions.forIntent(pos.opened_by_intent);
    const openedQty = opening.reduce((q, e) => q + e.quantity, 0);
    const openingFees = openedQty > 0 ? (opening.reduce((c, e) => c + e.commission, 0) * delta) / openedQty : 0;
    const realized = (pos.entry_credit - avg) * 100 * delta - commission * share - openingFees;
    if (delta >= pos.quantity) this.positions.close(pos.id, now, realized);
    else this.positions.reduce(pos.id, delta, realized, rec.kind === 'reduce');
    this.intents.event(rec.id, null, 'position_applied', { quantity: delta }, now);
  }

  private outcomeOf(rec: IntentRecord, adopted: boolean): IntentOutcome {
    const fills = this.executions.forIntent(rec.id);
    const qty = fills.reduce((s, e) => s + e.quantity, 0);
    return { intent_id: rec.id, status: rec.status, filled_quantity: qty, avg_price: qty > 0 ? fills.reduce((s, e) => s + e.price * e.quantity, 0) / qty : null, detail: rec.status_detail, adopted };
  }

  /** On start and after every reconnect, before any new order. */
  async reconcile(): Promise<ReconcileReport> {
    const open = await this.d.broker.openOrders();
    const resolved: ReconcileReport['resolved'] = [];
    const working: string[] = [];
    for (const rec of this.intents.unresolved()) {
      const live = open.find((o) => o.order_ref === rec.id);
      const filled = await this.syncExecutions(rec);
      if (live && filled < rec.quantity) {
        working.push(rec.id);
        continue;
      }
      const status: IntentStatus = filled >= rec.quantity ? 'filled' : filled > 0 ? 'partially_filled' : rec.status === 'pending' && this.intents.ordersOf(rec.id).length === 0 ? 'pending' : 'cancelled';
      if (status === 'pending') continue; // never sent: execute() will send it, once
      this.finish(rec, status, 'resolved by reconciliation', false);
      resolved.push({ intent_id: rec.id, status });
    }
    const known = new Set(open.map((o) => o.order_ref).filter((ref) => this.intents.get(ref) !== null));
    const orphans = open.filter((o) => !known.has(o.order_ref)).map((o) => ({ broker_order_id: o.broker_order_id, order_ref: o.order_ref }));
    return { resolved, working, orphans };
  }
}
