import type { OrdersConfig } from '../config/types';
import type { AlertRaiser } from '../alerts/alert';
import type { Clock } from '../shared/clock';
import { InvariantViolation, errorMessage, isThetadeskError } from '../shared/errors';
import type { Db } from '../store/journal';
import { ExecutionsRepo } from '../store/executions-repo';
import { IntentsRepo, type IntentRecord } from '../store/intents-repo';
import { PositionsRepo } from '../store/positions-repo';
import { RollsRepo } from '../store/rolls-repo';
import { openingFeesFor } from './opening-fees';
import { rollSplit } from './roll-split';
import type { Broker } from './broker';
import type { BrokerOrder, Execution } from '../model/broker-records';
import { isFinalStatus, type IntentStatus } from '../model/intent-lifecycle';
import { capFor, planWalk, policyFor, priceAtStep, stepTimes } from './price-walk';
import type { OrderQuoter } from './order-quote';

/** Waits `ms` of the clock's time; returns early (never throws) when `signal` aborts. */
export type WalkSleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface OrderManagerDeps {
  readonly db: Db;
  readonly broker: Broker;
  readonly quoter: OrderQuoter;
  readonly orders: OrdersConfig;
  readonly clock: Clock;
  /** Real sleep live; virtual time in the demo, backtests and tests. */
  readonly sleep: WalkSleep;
  readonly alerts?: AlertRaiser;
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
  /** True when a stop signal left the order resting at the broker, its intent `working`, for adoption. */
  readonly left_resting?: boolean;
}

export interface ReconcileReport {
  readonly resolved: Array<{ intent_id: string; status: IntentStatus }>;
  /** Intents whose broker order is still working: execute() them again to resume the walk. */
  readonly working: string[];
  /** Broker orders with no intent in this journal: reported and left alone. */
  readonly orphans: Array<{ broker_order_id: string; order_ref: string }>;
}

const LOOKBACK_MS = 7 * 86_400_000;
/** After a shutdown cancel, how long (clock time) to wait for the broker to confirm it. */
const CANCEL_CONFIRM_MS = 5_000;
const isWorking = (o: BrokerOrder): boolean => o.status === 'submitted' || o.status === 'partially_filled' || o.status === 'pending_submit';

/**
 * One combo order per intent, exactly once: the broker is asked for an order carrying the intent
 * id before any send, every step re-prices from a fresh quote, and intent state changes only on
 * the broker's evidence (its open orders and executions). The intent itself was journaled by the
 * executor before it reached here; this class never creates one.
 */
export class OrderManager {
  private readonly intents: IntentsRepo;
  private readonly executions: ExecutionsRepo;
  private readonly positions: PositionsRepo;
  private readonly rolls: RollsRepo;

  constructor(private readonly d: OrderManagerDeps) {
    this.intents = new IntentsRepo(d.db);
    this.executions = new ExecutionsRepo(d.db);
    this.positions = new PositionsRepo(d.db);
    this.rolls = new RollsRepo(d.db);
  }

  /** Walks the journaled intent `intentId` to an outcome (or leaves it resting when `signal` aborts). */
  async execute(intentId: string, signal?: AbortSignal): Promise<IntentOutcome> {
    const rec = this.intents.get(intentId);
    if (!rec) throw new InvariantViolation('INTENT_MISSING', `intent ${intentId} is not in the journal: it must be journaled before it is executed`);
    if (isFinalStatus(rec.status)) return this.outcomeOf(rec, false);
    const existing = await this.brokerOrderFor(rec.id);
    const filledBefore = await this.syncExecutions(rec);
    if (filledBefore >= rec.quantity) return this.finish(rec, 'filled', null, existing !== null);
    if (existing && !isWorking(existing)) {
      return this.finish(rec, filledBefore > 0 ? 'partially_filled' : 'cancelled', `broker order ${existing.broker_order_id} is ${existing.status}`, true);
    }
    if (!existing && signal?.aborted) return this.finish(rec, 'cancelled', 'not sent: the engine was stopping', false);
    return this.walk(rec, existing, rec.quantity - filledBefore, signal);
  }

  private walkInput(rec: IntentRecord, mid: number, natural: number) {
    return { mid, natural, cap: capFor(rec.kind, rec.width, this.d.orders), tick: this.d.orders.tick_size, policy: policyFor(rec.urgency, this.d.orders) };
  }

  private async quote(rec: IntentRecord): Promise<{ ok: true; mid: number; natural: number } | { ok: false; reason: string }> {
    const q = await this.d.quoter.quote(rec.kind, rec.legs, this.d.clock.now());
    if (q.ok && q.substitutions.length > 0) {
      this.intents.event(rec.id, null, 'quote_substituted', { notes: q.substitutions }, this.d.clock.now());
      await this.d.alerts?.raise({ severity: 'warning', kind: 'one_sided_quote', message: `${rec.kind} ${rec.symbol} ${rec.strategy}: ${q.substitutions.join('; ')}` });
    }
    return q;
  }

  /** `remaining`: what a new order may ask for (an intent resumed after a partial fill never over-fills). */
  private async walk(rec: IntentRecord, existing: BrokerOrder | null, remaining: number, signal: AbortSignal | undefined): Promise<IntentOutcome> {
    const first = await this.quote(rec);
    const plan = first.ok ? planWalk(this.walkInput(rec, first.mid, first.natural)) : first;
    if (!plan.ok && !existing) return this.finish(rec, 'rejected', `not sent: ${plan.reason}`, false);
    const started = this.d.clock.now();
    let orderId: string;
    let price: number;
    if (!existing) {
      if (!plan.ok) throw new InvariantViolation('WALK_PLAN', 'unreachable: a failed plan returned above');
      price = plan.steps[0]!.price;
      try {
        const placed = await this.d.broker.placeCombo({ order_ref: rec.id, symbol: rec.symbol, legs: rec.legs, quantity: remaining, limit_price: price, tif: 'DAY' });
        orderId = placed.broker_order_id;
        this.intents.recordOrder(rec.id, orderId, this.d.broker.name, price, placed.status, this.d.clock.now());
        this.intents.event(rec.id, orderId, 'sent', { price }, this.d.clock.now());
      } catch (e) {
        if (isThetadeskError(e) && e.kind === 'rejected') return this.finish(rec, 'rejected', errorMessage(e), false);
        throw e;
      }
    } else {
      orderId = existing.broker_order_id;
      price = existing.limit_price;
      this.intents.recordOrder(rec.id, orderId, this.d.broker.name, price, existing.status, this.d.clock.now());
      this.intents.event(rec.id, orderId, 'adopted', { price }, this.d.clock.now());
    }
    this.intents.setStatus(rec.id, 'working', null, this.d.clock.now());
    const policy = policyFor(rec.urgency, this.d.orders);
    for (const [i, after] of stepTimes(policy).entries()) {
      if (await this.settled(rec, orderId)) break;
      await this.d.sleep(Math.max(0, started + after - this.d.clock.now()), signal);
      if (signal?.aborted) return this.stopWalk(rec, orderId, existing !== null);
      if (await this.settled(rec, orderId)) break;
      const q = await this.quote(rec);
      const next = q.ok ? priceAtStep(this.walkInput(rec, q.mid, q.natural), i + 1) : null;
      // An unpriceable moment (quote gone, crossed) keeps the order where it is rather than guessing.
      if (next === null || Math.abs(next - price) < 1e-9) continue;
      try {
        await this.d.broker.modifyPrice(orderId, next);
        price = next;
        this.intents.recordOrder(rec.id, orderId, this.d.broker.name, price, 'submitted', this.d.clock.now());
        this.intents.event(rec.id, orderId, 'walked', { price, mid: q.ok ? q.mid : null, natural: q.ok ? q.natural : null }, this.d.clock.now());
      } catch (e) {
        // A modify racing a fill is refused by the broker: the executions below settle it.
        if (!(isThetadeskError(e) && e.kind === 'rejected')) throw e;
      }
    }
    if (!(await this.settled(rec, orderId))) {
      await this.d.sleep(Math.max(0, started + policy.timeout_ms - this.d.clock.now()), signal);
      if (signal?.aborted && !(await this.settled(rec, orderId))) return this.stopWalk(rec, orderId, existing !== null);
      if (!(await this.settled(rec, orderId))) await this.cancelAtBroker(rec, orderId);
    }
    const filled = await this.syncExecutions(rec);
    const status: IntentStatus = filled >= rec.quantity ? 'filled' : filled > 0 ? 'partially_filled' : 'unfilled';
    return this.finish(rec, status, status === 'filled' ? null : `timed out after ${policy.timeout_ms} ms with ${filled}/${rec.quantity} filled`, existing !== null);
  }

  private async cancelAtBroker(rec: IntentRecord, orderId: string): Promise<void> {
    try {
      await this.d.broker.cancel(orderId);
      this.intents.event(rec.id, orderId, 'cancel_requested', {}, this.d.clock.now());
    } catch (e) {
      if (!(isThetadeskError(e) && e.kind === 'rejected')) throw e;
    }
  }

  /**
   * A stop signal mid-walk: `orders.on_shutdown` says whether the order is cancelled (its outcome
   * recorded from the broker's evidence) or left resting at its last price with the intent
   * `working`, for the next worker to adopt.
   */
  private async stopWalk(rec: IntentRecord, orderId: string, adopted: boolean): Promise<IntentOutcome> {
    const policy = this.d.orders.on_shutdown[rec.kind === 'open' ? 'open' : 'close'];
    if (policy === 'leave') {
      this.intents.event(rec.id, orderId, 'left_at_shutdown', {}, this.d.clock.now());
      const filled = this.executions.forIntent(rec.id).reduce((s, e) => s + e.quantity, 0);
      return { intent_id: rec.id, status: 'working', filled_quantity: filled, avg_price: null, detail: 'left resting at shutdown: the next worker adopts it', adopted, left_resting: true };
    }
    await this.cancelAtBroker(rec, orderId);
    const until = this.d.clock.now() + CANCEL_CONFIRM_MS;
    while (!(await this.settled(rec, orderId)) && this.d.clock.now() < until) await this.d.sleep(250);
    if (!(await this.settled(rec, orderId))) {
      // The broker has not confirmed: the intent stays working, so the next start reconciles it.
      this.intents.event(rec.id, orderId, 'cancel_unconfirmed_at_shutdown', {}, this.d.clock.now());
      return { intent_id: rec.id, status: 'working', filled_quantity: 0, avg_price: null, detail: 'cancel sent at shutdown, not yet confirmed: reconciled at the next start', adopted, left_resting: true };
    }
    const filled = await this.syncExecutions(rec);
    const status: IntentStatus = filled >= rec.quantity ? 'filled' : filled > 0 ? 'partially_filled' : 'cancelled';
    return this.finish(rec, status, status === 'filled' ? null : `cancelled at shutdown with ${filled}/${rec.quantity} filled`, adopted);
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
      this.openPosition(rec, rec.position_id, rec.legs, qty, -avg, now);
      const from = rec.context.rolled_from;
      if (from) this.rolls.link({ from_position_id: from, to_position_id: rec.position_id, mode: 'linked', close_intent_id: rec.after_intent ?? '', open_intent_id: rec.id, at: now });
      return;
    }
    const applied = this.intents.appliedQuantity(rec.id);
    const delta = qty - applied;
    if (delta <= 0) return;
    const split = rec.kind === 'roll' ? rollSplit(rec, avg, this.executions.legPricesFor(rec.id, rec.legs.length)) : null;
    const share = qty > 0 ? delta / qty : 0;
    const closed = this.closePart(rec, delta, split ? split.close : avg, (split ? split.close_fee_share : 1) * commission * share, now);
    if (!closed && !split) return;
    if (split) {
      // The new position holds every fill of the roll so far, at the opening part's average credit.
      this.openPosition(rec, split.to_position_id, rec.legs.slice(split.close_legs), qty, -split.open, now);
      this.rolls.link({ from_position_id: rec.position_id, to_position_id: split.to_position_id, mode: 'combo', close_intent_id: rec.id, open_intent_id: rec.id, at: now });
    }
    this.intents.event(rec.id, null, 'position_applied', { quantity: delta }, now);
  }

  private openPosition(rec: IntentRecord, id: string, comboLegs: IntentRecord['legs'], qty: number, credit: number, now: number): void {
    const legs = comboLegs.map((l) => ({ right: l.right, strike: l.strike, expiry: l.expiry, action: l.action, ratio: l.ratio, con_id: l.con_id }));
    if (!this.positions.open({ id, opened_by_intent: rec.id, symbol: rec.symbol, strategy: rec.strategy, legs, quantity: qty, entry_credit: credit, entry_iv: rec.context.entry_iv, entry_vix: rec.context.entry_vix, entry_time: now, entry_deltas: rec.context.entry_deltas ?? null })) {
      this.positions.setOpeningFills(id, rec.id, qty, credit);
    }
  }

  /** `delta` sets of the intent's position closed at `price` per share, `fees` of this fill charged. */
  private closePart(rec: IntentRecord, delta: number, price: number, fees: number, now: number): boolean {
    const pos = this.positions.get(rec.position_id);
    if (!pos || pos.status !== 'open') return false;
    const openingFees = openingFeesFor(this.d.db, pos, delta);
    const realized = (pos.entry_credit - price) * 100 * delta - fees - openingFees;
    if (delta >= pos.quantity) this.positions.close(pos.id, now, realized);
    else this.positions.reduce(pos.id, delta, realized, rec.kind === 'reduce');
    return true;
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
    for (const rec of this.intents.active()) {
      const live = open.find((o) => o.order_ref === rec.id);
      const filled = await this.syncExecutions(rec);
      if (live && filled < rec.quantity) {
        working.push(rec.id);
        continue;
      }
      if (filled === 0 && rec.status === 'pending' && this.intents.ordersOf(rec.id).length === 0) continue; // never sent: execute() will send it, once
      const status: IntentStatus = filled >= rec.quantity ? 'filled' : filled > 0 ? 'partially_filled' : 'cancelled';
      this.finish(rec, status, 'resolved by reconciliation', false);
      resolved.push({ intent_id: rec.id, status });
    }
    const known = new Set(open.map((o) => o.order_ref).filter((ref) => this.intents.get(ref) !== null));
    const orphans = open.filter((o) => !known.has(o.order_ref)).map((o) => ({ broker_order_id: o.broker_order_id, order_ref: o.order_ref }));
    return { resolved, working, orphans };
  }
}
