import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { ORDERS_QUEUE, TASKS_QUEUE } from './queue-names';

/** Removes both queues and every job, scheduler and flow key under a prefix (demo, bench and test cleanup). */
export async function removeQueues(redis: Redis, prefix: string): Promise<void> {
  for (const name of [TASKS_QUEUE, ORDERS_QUEUE]) {
    const q = new Queue(name, { connection: redis, prefix });
    await q.obliterate({ force: true });
    await q.close();
  }
}
