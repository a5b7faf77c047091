import type { Redis } from 'ioredis';
import type { Broker } from '../../../engine/execution/broker';
import type { BrokerEvent } from '../../../engine/model/broker-records';
import type { OrderIntent } from '../../../engine/model/order-intent';
import { connectRedis } from '../../../engine/queue/redis-connection';
import { removeQueues } from '../../../engine/queue/remove-queues';
import { ManualClock } from '../../../engine/shared/clock';
import { IntentsRepo } from '../../../engine/store/intents-repo';
import { RunsRepo } from '../../../engine/store/runs-repo';
import { shippedConfig } from '../../helpers/config';
import { until } from '../../helpers/tws-mini-client';
import { runtimeEngine, type RuntimeEngine } from '../../helpers/runtime-engine';

// Sunday 2026-11-29 10:00 ET: inside the shipped weekend window, which ends at 18:00 ET (23:00Z).
const SUNDAY = '2026-11-29T15:00:00Z';
const WINDOW_END = Date.parse('2026-11-29T23:00:00Z');

describe('the engine inside a broker maintenance window (running against IB)', () => {
  let redis: Redis;
  const prefix = `td-test-maint-${process.pid}-${Date.now()}`;
  let e: RuntimeEngine;
  const clock = new ManualClock(SUNDAY);
  const config = shippedConfig();
  /** The runtime's broker-event listener: the test plays the broker's connection events through it. */
  const listeners: Array<(ev: BrokerEvent) => void> = [];
  const emit = (ev: BrokerEvent): void => listeners.forEach((l) => l(ev));

  beforeAll(async () => {
    redis = await connectRedis();
    const wrapBroker = (p: Broker): Broker =>
      new Proxy(p, {
        get(target, prop, receiver) {
          if (prop === 'onEvent') return (l: (ev: BrokerEvent) => void) => (listeners.push(l), target.onEvent(l));
          const v = Reflect.get(target, prop, receiver) as unknown;
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
        },
      });
    e = await runtimeEngine({ redis, prefix, at: '', clock, maintenance: true, wrapBroker });
  });
  afterAll(async () => {
    await e.stop();
    await removeQueues(redis, prefix);
    redis.disconnect();
  });

  const add = (id: string): Promise<unknown> =>
    e.runtime.tasks.add('health_check', { task: 'health_check', config_hash: config.hash, scheduled_for: clock.now(), params: {} }, { jobId: id, priority: 100, attempts: 1 });

  it('should journal tasks that need the broker as deferred (never failed) and run them once when the window ends', async () => {
    const runs = new RunsRepo(e.db);
    await add('hourly-1');
    await until(() => runs.get('hourly-1')?.status === 'deferred', 'the first run deferred', 10_000);
    clock.advance(3_600_000);
    await add('hourly-2');
    await until(() => runs.get('hourly-2')?.status === 'deferred', 'the second run deferred', 10_000);
    expect(runs.get('hourly-1')?.detail).toBe('broker maintenance window weekend (Sat 00:00–Sun 18:00 America/New_York): runs when it ends');
    // Both deferred runs became one job at the end of the window.
    const delayed = await e.runtime.tasks.getDelayed();
    expect(delayed.map((j) => [j.id, j.data.scheduled_for])).toEqual([[`health_check@after-maintenance-${WINDOW_END}`, WINDOW_END]]);
    expect(runs.since(0).filter((r) => r.status === 'failed')).toEqual([]);

    clock.set(new Date(WINDOW_END).toISOString());
    await delayed[0]!.promote();
    await until(() => runs.get(`health_check@after-maintenance-${WINDOW_END}`)?.status === 'ok', 'the run after the window', 10_000);
  }, 30_000);

  it('should not send an order inside the window; the intent waits pending and goes out after it', async () => {
    clock.set(SUNDAY);
    const intent: OrderIntent = {
      id: 'maint-close-1',
      kind: 'close',
      position_id: 'pos-maint-1',
      symbol: 'SPY',
      strategy: 'bull_put',
      legs: [
        { symbol: 'SPY', expiry: '2027-01-15', right: 'P', strike: 560, ratio: 1, action: 'BUY', con_id: null },
        { symbol: 'SPY', expiry: '2027-01-15', right: 'P', strike: 555, ratio: 1, action: 'SELL', con_id: null },
      ],
      quantity: 1,
      urgency: 'immediate',
      width: 5,
      context: { entry_iv: 0.2, entry_vix: 20 },
      config_hash: config.hash,
    };
    await e.runtime.context.submit(intent);
    await until(() => e.logs.some((l) => l.startsWith('order maint-close-1 not sent: broker maintenance window weekend')), 'the order held back', 10_000);
    const job = await e.runtime.orders.getJob('maint-close-1');
    let state = '';
    for (let i = 0; i < 200 && state !== 'delayed'; i++) {
      state = (await job?.getState()) ?? 'gone';
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(state).toBe('delayed');
    expect(new IntentsRepo(e.db).get(intent.id)?.status).toBe('pending');
    expect(await e.broker.openOrders()).toEqual([]);
    expect((await e.broker.executions(0)).filter((x) => x.order_ref === intent.id)).toEqual([]);

    clock.set(new Date(WINDOW_END).toISOString());
    await job!.promote();
    await until(() => new IntentsRepo(e.db).ordersOf(intent.id).length === 1, 'the order sent after the window', 15_000);
  }, 30_000);

  it('should alert a connection loss inside a window at info (expected), and one outside at error', async () => {
    clock.set(SUNDAY);
    const before = e.logs.length;
    emit({ type: 'connection_lost', detail: 'socket closed' });
    emit({ type: 'connection_restored', data_lost: true });
    clock.set('2026-11-30T15:00:00Z'); // Monday 10:00 ET
    emit({ type: 'connection_lost', detail: 'socket closed' });
    await e.runtime.flushEvents();
    const alerts = e.logs.slice(before).filter((l) => l.startsWith('{"alert"')).map((l) => JSON.parse(l) as { severity: string; message: string });
    expect(alerts.map((a) => a.severity)).toEqual(['info', 'info', 'error']);
    expect(alerts[0]?.message).toContain('broker connection lost in maintenance window weekend');
    expect(alerts[1]?.message).toContain('restored after maintenance window weekend (Sat 00:00–Sun 18:00 America/New_York) (expected)');
    expect(alerts[2]?.message).toContain('broker connection lost: socket closed');
  });
});
