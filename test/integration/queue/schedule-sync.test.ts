import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { connectRedis } from '../../../engine/queue/redis-connection';
import { schedulerSpecs } from '../../../engine/queue/scheduler-specs';
import { syncSchedulers } from '../../../engine/queue/sync-schedulers';
import { shippedConfig } from '../../helpers/config';

describe('schedule sync against the real Redis', () => {
  const prefix = `td-test-sync-${process.pid}-${Date.now()}`;
  let redis: Redis;
  let queue: Queue;

  beforeAll(async () => {
    redis = await connectRedis();
    queue = new Queue('tasks', { connection: redis, prefix });
  });

  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    redis.disconnect();
  });

  it('should be idempotent: one delayed job per scheduler after two syncs, the second changing nothing', async () => {
    const c = shippedConfig();
    const specs = schedulerSpecs(c.schedules);
    const first = await syncSchedulers(queue, specs, c.hash);
    expect(first.added).toHaveLength(specs.length);
    const second = await syncSchedulers(queue, specs, c.hash);
    expect(second).toEqual({ added: [], updated: [], removed: [], unchanged: specs.map((s) => s.id) });
    expect(await queue.getJobSchedulersCount()).toBe(specs.length);
    expect(await queue.getDelayedCount()).toBe(specs.length);
  });

  it('should remove schedulers no longer in the file and update changed ones', async () => {
    const c = shippedConfig();
    const specs = schedulerSpecs(c.schedules).filter((s) => s.task !== 'health_check').map((s) => (s.task === 'strategy_analysis' ? { ...s, pattern: '50 9 * * 1-5' } : s));
    const diff = await syncSchedulers(queue, specs, c.hash);
    expect(diff.removed).toEqual(['health_check#0']);
    expect(diff.updated).toEqual(['strategy_analysis#0']);
    expect(await queue.getJobSchedulersCount()).toBe(specs.length);
    const analysis = (await queue.getJobSchedulers()).find((s) => s.key === 'strategy_analysis#0');
    expect(analysis?.pattern).toBe('50 9 * * 1-5');
    expect(analysis?.tz).toBe('America/New_York');
  });
});

describe('when Redis is not reachable', () => {
  it('should fail with one line saying how to start it', async () => {
    await expect(connectRedis('redis://127.0.0.1:1', 500)).rejects.toMatchObject({
      kind: 'not_connected',
      message: expect.stringMatching(/^Redis is not reachable at redis:\/\/127\.0\.0\.1:1 \(.*\): start it with `redis-server --daemonize yes --port 6379 --save "" --appendonly no` or set REDIS_URL$/),
    });
  });
});
