import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { dispatchToQueue, OrderOwnership } from '../../../engine/queue/orders-queue';
import { ORDERS_QUEUE, safeJobId } from '../../../engine/queue/queue-names';
import { connectRedis } from '../../../engine/queue/redis-connection';
import { removeQueues } from '../../../engine/queue/remove-queues';
import { submitThrough } from '../../../engine/execution/submit';
import type { OrderIntent } from '../../../engine/model/order-intent';
import { IntentsRepo } from '../../../engine/store/intents-repo';
import { testEngine, type TestEngine } from '../../helpers/workflow-context';

const legs = (action: 'BUY' | 'SELL', expiry: string): OrderIntent['legs'] => [
  { symbol: 'SPY', expiry, right: 'C', strike: 600, ratio: 1, action, con_id: null },
  { symbol: 'SPY', expiry, right: 'C', strike: 605, ratio: 1, action: action === 'BUY' ? 'SELL' : 'BUY', con_id: null },
];

describe('a roll\'s open on the orders queue', () => {
  let redis: Redis;
  let queue: Queue;
  let e: TestEngine;
  const prefix = `td-test-held-${process.pid}-${Date.now()}`;

  beforeAll(async () => {
    redis = await connectRedis();
    queue = new Queue(ORDERS_QUEUE, { connection: redis, prefix });
    e = testEngine({ at: '2026-02-04T15:00:00Z' });
  });
  afterAll(async () => {
    e.close();
    await queue.close();
    await removeQueues(redis, prefix);
    redis.disconnect();
  });

  it('should be journaled but neither queued by submit nor by the ownership sweep until its close filled', async () => {
    const hash = e.ctx.config.hash;
    const close: OrderIntent = { id: `held-close-${process.pid}`, kind: 'close', position_id: 'pos-old', symbol: 'SPY', strategy: 'bear_call', legs: legs('BUY', '2026-02-20'), quantity: 1, urgency: 'high', width: 5, context: { entry_iv: null, entry_vix: null }, config_hash: hash };
    const open: OrderIntent = { ...close, id: `held-open-${process.pid}`, kind: 'open', position_id: 'pos-new', legs: legs('SELL', '2026-03-20'), urgency: 'normal', context: { entry_iv: null, entry_vix: null, rolled_from: 'pos-old' }, after_intent: close.id };
    const submit = submitThrough(e.executor, dispatchToQueue(queue, e.clock));
    await submit(close);
    await submit(open);
    const intents = new IntentsRepo(e.db);
    expect([intents.get(open.id)?.status, intents.get(open.id)?.after_intent]).toEqual(['pending', close.id]);
    expect(await queue.getJob(safeJobId(close.id))).toBeDefined();
    expect(await queue.getJob(safeJobId(open.id))).toBeUndefined();
    const sweep = new OrderOwnership(queue, e.db);
    await queue.remove(safeJobId(close.id));
    expect((await sweep.sweep(e.clock.now())).queued).toEqual([close.id]);
    // The close fills (as a reconcile would record it): the open may go now, and the sweep queues it.
    intents.setStatus(close.id, 'filled', null, e.clock.now());
    expect((await sweep.sweep(e.clock.now())).queued).toEqual([open.id]);
    expect(await queue.getJob(safeJobId(open.id))).toBeDefined();
  });
});
