import { UnrecoverableError } from 'bullmq';
import type { OrderManager, IntentOutcome } from '../execution/order-manager';
import type { RiskGate } from '../risk/risk-gate';
import type { Clock } from '../shared/clock';
import { errorMessage, isThetadeskError } from '../shared/errors';
import { IntentsRepo } from '../store/intents-repo';
import type { Db } from '../store/journal';
import type { AlertRaiser } from '../risk/risk-gate';
import type { OrderJobData } from './orders-queue';

export interface OrderProcessorDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly orders: OrderManager;
  readonly risk: RiskGate;
  readonly alerts: AlertRaiser;
  readonly configHash: string;
}

/**
 * One `orders` job: the risk manager again just before sending (the world may have changed since
 * the intent was made), then the order manager. Broker rejections and errors count against the
 * circuit breaker; a completed order (filled or not) counts as a success.
 */
export async function processOrder(d: OrderProcessorDeps, data: OrderJobData): Promise<IntentOutcome> {
  const { intent } = data;
  const intents = new IntentsRepo(d.db);
  intents.create(intent, d.clock.now());
  if (intent.config_hash !== d.configHash && intent.kind === 'open') {
    const reason = `intent made under config ${intent.config_hash.slice(0, 12)}, the executor runs ${d.configHash.slice(0, 12)}: not sent`;
    intents.setStatus(intent.id, 'rejected', reason, d.clock.now());
    throw new UnrecoverableError(reason);
  }
  const rec = intents.get(intent.id);
  if (rec && rec.status === 'pending' && intents.ordersOf(intent.id).length === 0) {
    const verdict = await d.risk.check(intent, 'send');
    if (!verdict.allowed) {
      const reason = `refused by the risk manager before sending: ${verdict.reasons.join('; ')}`;
      intents.setStatus(intent.id, 'rejected', reason, d.clock.now());
      return { intent_id: intent.id, status: 'rejected', filled_quantity: 0, avg_price: null, detail: reason, adopted: false };
    }
  }
  try {
    const outcome = await d.orders.execute(intent);
    if (outcome.status === 'rejected') {
      d.risk.breaker.recordFailure(d.clock.now());
      await d.alerts.raise({ severity: 'error', kind: 'order_rejected', message: `${intent.kind} ${intent.symbol} ${intent.strategy} rejected: ${outcome.detail ?? 'no detail'}` });
    } else d.risk.breaker.recordSuccess(d.clock.now());
    return outcome;
  } catch (e) {
    d.risk.breaker.recordFailure(d.clock.now());
    await d.alerts.raise({ severity: 'error', kind: 'order_failed', message: `${intent.kind} ${intent.symbol} ${intent.strategy} failed: ${errorMessage(e)}` });
    // Never retried by BullMQ: the next start reconciles with the broker and resumes the intent.
    if (isThetadeskError(e)) throw new UnrecoverableError(errorMessage(e));
    throw e;
  }
}
