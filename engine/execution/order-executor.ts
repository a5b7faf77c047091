import type { AlertRaiser } from '../alerts/alert';
import type { CompiledConfig } from '../config/types';
import type { MarketData } from '../market/market-data';
import type { OrderIntent } from '../model/order-intent';
import type { RiskGate } from '../risk/risk-gate';
import type { Clock } from '../shared/clock';
import { errorMessage } from '../shared/errors';
import type { Db } from '../store/journal';
import { IntentsRepo, type IntentRecord } from '../store/intents-repo';
import { isActiveStatus, isFinalStatus, type IntentStatus } from '../model/intent-lifecycle';
import type { Broker } from './broker';
import { OrderManager, type IntentOutcome, type ReconcileReport, type WalkSleep } from './order-manager';
import { OrderQuoter } from './order-quote';

export interface OrderExecutorDeps {
  readonly config: CompiledConfig;
  readonly db: Db;
  readonly broker: Broker;
  readonly market: MarketData;
  readonly clock: Clock;
  readonly sleep: WalkSleep;
  readonly risk: RiskGate;
  readonly alerts: AlertRaiser;
}

/**
 * The one order path, whatever carries the intent to it (the BullMQ orders queue live, an
 * in-process queue in backtests): journal the intent once (`accept`, before it is queued, so a
 * lost queue never loses it) → config-hash check (opens) → the risk manager once, at send →
 * the order manager's walk → circuit-breaker bookkeeping → alerts. Nothing here knows BullMQ.
 */
export class OrderExecutor {
  readonly manager: OrderManager;
  private readonly intents: IntentsRepo;
  private dispatch: ((intent: OrderIntent) => Promise<void>) | null = null;

  constructor(private readonly d: OrderExecutorDeps) {
    this.intents = new IntentsRepo(d.db);
    const quoter = new OrderQuoter(d.market, d.config.strategies.orders, d.config.strategies.market.risk_free_rate);
    this.manager = new OrderManager({ db: d.db, broker: d.broker, quoter, orders: d.config.strategies.orders, clock: d.clock, sleep: d.sleep, alerts: d.alerts });
  }

  /** Journals a new intent as `pending` (an id seen before is left as it is). */
  accept(intent: OrderIntent): boolean {
    return this.intents.create(intent, this.d.clock.now());
  }

  /**
   * Where intents released by a fill go (the orders queue live; set by submitThrough). Without one,
   * the ownership sweep queues them on its next pass.
   */
  useDispatch(dispatch: (intent: OrderIntent) => Promise<void>): void {
    this.dispatch = dispatch;
  }

  /** True while the intent waits for another to fill (after_intent): it is journaled, not sent. */
  isHeld(intentId: string): boolean {
    const rec = this.intents.get(intentId);
    return rec !== null && rec.status === 'pending' && this.intents.heldBy(rec) !== null;
  }

  /** Runs a journaled intent to its outcome; `signal` is the process's stop signal. */
  async execute(intentId: string, signal?: AbortSignal): Promise<IntentOutcome> {
    const outcome = await this.run(intentId, signal);
    if (isFinalStatus(outcome.status)) await this.settleDependents(intentId, outcome.status);
    return outcome;
  }

  private async run(intentId: string, signal?: AbortSignal): Promise<IntentOutcome> {
    const rec = this.intents.get(intentId);
    if (!rec) return this.manager.execute(intentId, signal); // throws the invariant violation, with its message
    const now = this.d.clock.now();
    if (rec.status === 'pending' && this.intents.ordersOf(rec.id).length === 0) {
      const wait = this.waitFor(rec);
      if (wait) return wait;
      if ((rec.kind === 'open' || rec.kind === 'roll') && rec.config_hash !== this.d.config.hash) {
        return this.refuse(rec.id, `intent made under config ${rec.config_hash.slice(0, 12)}, the executor runs ${this.d.config.hash.slice(0, 12)}: not sent`);
      }
      const verdict = await this.d.risk.check(rec, 'send');
      if (!verdict.allowed) return this.refuse(rec.id, `refused by the risk manager before sending: ${verdict.reasons.join('; ')}`);
    }
    try {
      const outcome = await this.manager.execute(intentId, signal);
      if (outcome.status === 'rejected') {
        this.d.risk.breaker.recordFailure(this.d.clock.now());
        await this.d.alerts.raise({ severity: 'error', kind: 'order_rejected', message: `${rec.kind} ${rec.symbol} ${rec.strategy} rejected: ${outcome.detail ?? 'no detail'}` });
      } else if (!outcome.left_resting) this.d.risk.breaker.recordSuccess(this.d.clock.now());
      return outcome;
    } catch (e) {
      this.d.risk.breaker.recordFailure(this.d.clock.now());
      await this.d.alerts.raise({ severity: 'error', kind: 'order_failed', message: `${rec.kind} ${rec.symbol} ${rec.strategy} failed at ${new Date(now).toISOString()}: ${errorMessage(e)}; the intent stays ${this.intents.get(rec.id)?.status ?? rec.status} until a reconcile with the broker resolves it` });
      throw e;
    }
  }

  /** On start and after a reconnect, before any new order: settle intents from the broker's record. */
  reconcile(): Promise<ReconcileReport> {
    return this.manager.reconcile();
  }

  /**
   * An intent sent after another (a roll's open after its close): held while that one is active,
   * dropped (cancelled, never sent) unless it filled completely — a close that filled in part
   * leaves lots the monitor still manages, and rolling them is its next decision, not this open's.
   */
  private waitFor(rec: IntentRecord): IntentOutcome | null {
    if (!rec.after_intent) return null;
    const before = this.intents.get(rec.after_intent);
    if (!before) return this.refuse(rec.id, `not sent: intent ${rec.after_intent}, which it waits for, is not in the journal`);
    if (isActiveStatus(before.status)) {
      return { intent_id: rec.id, status: 'pending', filled_quantity: 0, avg_price: null, detail: `held until ${before.kind} ${before.id} fills (it is ${before.status})`, adopted: false };
    }
    if (before.status === 'filled') return null;
    const reason = `not sent: ${before.kind} ${before.id} ended ${before.status}${before.status_detail ? ` (${before.status_detail})` : ''}; this ${rec.kind} waited for it to fill`;
    this.intents.setStatus(rec.id, 'cancelled', reason, this.d.clock.now());
    this.intents.event(rec.id, null, 'dropped', { after_intent: before.id, after_status: before.status }, this.d.clock.now());
    return { intent_id: rec.id, status: 'cancelled', filled_quantity: 0, avg_price: null, detail: reason, adopted: false };
  }

  /** The intents waiting for this one: sent on at once when it filled, dropped when it ended otherwise. */
  private async settleDependents(intentId: string, status: IntentStatus): Promise<void> {
    for (const dep of this.intents.dependents(intentId)) {
      if (dep.status !== 'pending') continue;
      if (status !== 'filled') {
        this.waitFor(dep);
        continue;
      }
      this.intents.event(dep.id, null, 'released', { after_intent: intentId }, this.d.clock.now());
      // A lost dispatch is not lost work: the intent is active in the journal and the sweep queues it.
      if (this.dispatch) {
        try {
          await this.dispatch(dep);
        } catch (e) {
          await this.d.alerts.raise({ severity: 'warning', kind: 'order_dispatch_failed', message: `${dep.kind} ${dep.symbol} ${dep.strategy} released by ${intentId} could not be queued now (${errorMessage(e)}); the ownership sweep queues it` });
        }
      }
    }
  }

  private refuse(intentId: string, reason: string): IntentOutcome {
    this.intents.setStatus(intentId, 'rejected', reason, this.d.clock.now());
    return { intent_id: intentId, status: 'rejected', filled_quantity: 0, avg_price: null, detail: reason, adopted: false };
  }
}
