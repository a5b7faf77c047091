import type { Queue } from 'bullmq';
import type { SchedulesConfig } from '../config/types';
import type { QueueProbe } from '../workflows/workflow-context';
import { ORDERS_QUEUE, TASKS_QUEUE } from './queue-names';

/** Queue facts for `health_check`: Redis answers, job counts, jobs running past their task's timeout. */
export function queueProbe(ping: () => Promise<unknown>, tasks: Queue, orders: Queue, schedules: SchedulesConfig): QueueProbe {
  return {
    ping: async () => {
      await ping();
    },
    counts: async () => ({
      tasks: await tasks.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'waiting-children', 'failed', 'completed'),
      orders: await orders.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed', 'completed'),
    }),
    // BullMQ stamps jobs with wall-clock time, so they are measured against it (not the engine's clock, virtual in the demo).
    stuck: async () => {
      const wall = Date.now();
      const out: Array<{ queue: string; id: string; task: string; running_s: number }> = [];
      for (const [name, q] of [[TASKS_QUEUE, tasks], [ORDERS_QUEUE, orders]] as const) {
        for (const j of await q.getActive()) {
          const task = schedules.tasks.find((t) => t.name === j.name);
          const limit = task?.timeout_ms ?? 15 * 60_000;
          const running = wall - (j.processedOn ?? wall);
          if (running > limit) out.push({ queue: name, id: j.id ?? '?', task: j.name, running_s: Math.round(running / 1000) });
        }
      }
      return out;
    },
  };
}
