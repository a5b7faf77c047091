import type { Queue } from 'bullmq';

export interface SettleTarget {
  readonly tasks: Queue;
  readonly orders: Queue;
  /** Waits until enqueues triggered by broker events have reached Redis. */
  flushEvents(): Promise<void>;
}

/**
 * Resolves when the tasks queue is idle and the orders queue is idle or its active job is one of
 * `asleep()` sleepers on virtual time (what it has waiting queues behind it, concurrency 1).
 * The virtual-time driver calls it before moving the clock: nothing may still be in flight.
 */
export async function waitQueuesSettled(t: SettleTarget, asleep: () => number = () => 0, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  // Jobs of one queue add jobs to the other (fills enqueue sync tasks, entries enqueue orders)
  // between two reads: only two quiet passes in a row prove nothing is still in flight.
  let quietPasses = 0;
  for (;;) {
    const q = await t.orders.getJobCounts('waiting', 'prioritized', 'active', 'delayed');
    await t.flushEvents();
    const k = await t.tasks.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'waiting-children');
    const ordersQuiet = q.active === asleep() && (q.active! > 0 || (q.waiting === 0 && q.prioritized === 0 && q.delayed === 0));
    quietPasses = Object.values(k).every((n) => n === 0) && ordersQuiet ? quietPasses + 1 : 0;
    if (quietPasses >= 2) return;
    if (Date.now() > deadline) throw new Error(`queues still busy after ${timeoutMs} ms: ${JSON.stringify({ tasks: k, orders: q })}`);
    if (quietPasses === 0) await new Promise((r) => setTimeout(r, 10));
  }
}
