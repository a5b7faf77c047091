import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { ORDERS_QUEUE, TASKS_QUEUE } from '../queue/queue-names';
import type { Db } from '../store/journal';
import { journalFingerprint } from '../store/journal-fingerprint';

/** The backtest sweeps' queue, shown when a prefix has one. */
export const BACKTESTS_QUEUE = 'backtests';

/** The prefix's queues for the dashboard's Bull Board: tasks and orders, and backtests when it exists. Close them with the board. */
export async function boardQueues(redis: Redis, prefix: string): Promise<Queue[]> {
  const names = [TASKS_QUEUE, ORDERS_QUEUE];
  if ((await redis.exists(`${prefix}:${BACKTESTS_QUEUE}:meta`, `${prefix}:${BACKTESTS_QUEUE}:id`)) > 0) names.push(BACKTESTS_QUEUE);
  return names.map((n) => new Queue(n, { connection: redis, prefix }));
}

/** Job counts of the queues as one string: it changes when a job is added, starts, ends or is removed. */
export async function queuesFingerprint(queues: readonly Queue[]): Promise<string> {
  const parts: string[] = [];
  for (const q of queues) {
    const c = await q.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'waiting-children', 'failed', 'completed');
    parts.push(`${q.name}=${Object.values(c).join(',')}`);
  }
  return parts.join(';');
}

/** Changes whenever anyone writes to the journal (see store/journal-fingerprint.ts). */
export const journalVersion = (db: Db): string => journalFingerprint(db);
