import type { Redis } from 'ioredis';
import type { PaperBroker } from '../../../engine/adapters/sim/paper-broker';
import type { Broker } from '../../../engine/execution/broker';
import type { BrokerEvent, ComboOrderRequest, PlacedOrder } from '../../../engine/model/broker-records';
import type { OrderIntent } from '../../../engine/model/order-intent';
import { connectRedis } from '../../../engine/queue/redis-connection';
import { removeQueues } from '../../../engine/queue/remove-queues';
import { ManualClock } from '../../../engine/shared/clock';
import { NotConnectedError } from '../../../engine/shared/errors';
import { IntentsRepo } from '../../../engine/store/intents-repo';
import { configWith, replaceOnce } from '../../helpers/config';
import { runtimeEngine, type RuntimeEngine } from '../../helpers/runtime-engine';

const loose = configWith((f) => {
  f['strategies.yaml'] = replaceOnce(f['strategies.yaml'] ?? '', 'min_credit_pct_of_width: 33', 'min_credit_pct_of_width: 5');
});

/**
 * The paper broker behind a link that breaks once: the first order reaches the broker and the
 * answer is lost (as IB's socket closing right after placeOrder); the test says when the link is back.
 */
function flaky(p: PaperBroker, link: { dropNext: boolean; emit: ((e: BrokerEvent) => void) | null }): Broker {
  return new Proxy(p, {
    get(target, prop, receiver) {
      if (prop === 'placeCombo') {
        return async (o: ComboOrderRequest): Promise<PlacedOrder> => {
          const placed = await target.placeCombo(o);
          if (!link.dropNext) return placed;
          link.dropNext = false;
          throw new NotConnectedError('IB_DISCONNECTED', 'the connection closed before IB answered');
        };
      }
      if (prop === 'onEvent') {
        return (l: (e: BrokerEvent) => void) => {
          link.emit = l;
          return target.onEvent(l);
        };
      }
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  }) as Broker;
}

describe('the engine after the broker connection comes back', () => {
  let redis: Redis;
  const prefix = `td-test-reconnect-${process.pid}-${Date.now()}`;
  let e: RuntimeEngine | null = null;

  beforeAll(async () => {
    redis = await connectRedis();
  });
  afterAll(async () => {
    await e?.stop();
    await removeQueues(redis, prefix);
    redis.disconnect();
  });

  it('reconciles before any new order and resumes the interrupted intent into the one order the broker already has', async () => {
    const clock = new ManualClock('2026-01-05T15:00:00Z');
    const link: { dropNext: boolean; emit: ((e: BrokerEvent) => void) | null } = { dropNext: true, emit: null };
    e = await runtimeEngine({ redis, prefix, at: '', clock, config: loose, wrapBroker: (p) => flaky(p, link) });
    const intent: OrderIntent = {
      id: 'reconnect-open-1',
      kind: 'open',
      position_id: 'pos-reconnect-1',
      symbol: 'SPY',
      strategy: 'bull_put',
      legs: [
        { symbol: 'SPY', expiry: '2026-02-20', right: 'P', strike: 580, ratio: 1, action: 'SELL', con_id: null },
        { symbol: 'SPY', expiry: '2026-02-20', right: 'P', strike: 575, ratio: 1, action: 'BUY', con_id: null },
      ],
      quantity: 1,
      urgency: 'immediate',
      width: 5,
      context: { entry_iv: 0.2, entry_vix: 20, max_loss: 400 },
      config_hash: e.runtime.context.config.hash,
    };
    await e.runtime.context.submit(intent);
    await e.idle();
    const intents = new IntentsRepo(e.db);
    // The order is at the broker, but the engine never heard back: the intent is unresolved.
    expect(intents.get(intent.id)?.status).toBe('pending');
    expect((await e.broker.openOrders()).concat().length + (await e.broker.executions(0)).length).toBeGreaterThan(0);

    link.emit?.({ type: 'connection_restored', data_lost: true });
    await e.runtime.flushEvents();
    await e.idle();
    expect(e.logs.some((l) => /^reconciled \(reconnect\): .* 1 re-queued/.test(l))).toBe(true);
    expect(intents.get(intent.id)?.status).toBe('filled');
    const refs = [...(await e.broker.openOrders()), ...(await e.broker.executions(0))].map((x) => ('broker_order_id' in x ? x.broker_order_id : ''));
    expect(new Set(refs).size).toBe(1);
    expect(intents.ordersOf(intent.id)).toHaveLength(1);
  }, 60_000);
});
