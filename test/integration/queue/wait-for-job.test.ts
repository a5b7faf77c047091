import { Queue, QueueEvents, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { BLOCKING_OVERRIDES, closeRedis, connectRedis } from '../../../engine/queue/redis-connection';
import { removeQueues } from '../../../engine/queue/remove-queues';
import { waitForJob } from '../../../engine/queue/wait-for-job';

describe('waitForJob (enqueue --wait) against the real Redis', () => {
  const prefix = `td-test-wait-${process.pid}-${Date.now()}`;
  let redis: Redis;
  let queue: Queue;
  let events: QueueEvents;
  let worker: Worker | null = null;
  const dups: Redis[] = [];
  const dup = (): Redis => {
    const c = redis.duplicate(BLOCKING_OVERRIDES);
    dups.push(c);
    return c;
  };

  beforeAll(async () => {
    redis = await connectRedis();
    queue = new Queue('tasks', { connection: redis, prefix });
    events = new QueueEvents('tasks', { connection: dup(), prefix });
    await events.waitUntilReady();
  });

  afterAll(async () => {
    await worker?.close();
    await events.close();
    await queue.close();
    await removeQueues(redis, prefix);
    for (const c of dups) closeRedis(c);
    closeRedis(redis);
  });

  it('should see a job that finished before the wait began (the race of waiting on events alone)', async () => {
    worker = new Worker('tasks', async (job) => ({ status: 'ok', summary: `did ${job.name}` }), { connection: dup(), prefix });
    const outcomes = [];
    for (let i = 0; i < 30; i++) {
      const job = await queue.add('sync_positions', {}, { jobId: `race-${i}` });
      // Half of them are certainly done before anyone waits.
      if (i % 2 === 0) await new Promise((r) => setTimeout(r, 150));
      outcomes.push(await waitForJob(queue, events, job.id ?? '', 10_000));
    }
    expect(outcomes.every((o) => o.state === 'completed')).toBe(true);
    expect(outcomes[0]).toEqual({ state: 'completed', returnvalue: { status: 'ok', summary: 'did sync_positions' } });
    await worker.close();
    worker = null;
  });

  it('should report a failed job with its reason', async () => {
    worker = new Worker('tasks', async (): Promise<unknown> => Promise.reject(new Error('no data')), { connection: dup(), prefix });
    const job = await queue.add('strategy_analysis', {}, { jobId: 'fails-1' });
    expect(await waitForJob(queue, events, job.id ?? '', 10_000)).toEqual({ state: 'failed', failedReason: 'no data' });
    await worker.close();
    worker = null;
  });

  it('should give up at its deadline, saying where the job still is, when no worker runs', async () => {
    const job = await queue.add('health_check', {}, { jobId: 'nobody-1' });
    const t0 = Date.now();
    expect(await waitForJob(queue, events, job.id ?? '', 1_200, 200)).toEqual({ state: 'timeout', last: 'waiting' });
    expect(Date.now() - t0).toBeLessThan(3_000);
  });
});
