import type { JobsOptions, Queue } from 'bullmq';
import type { OrderIntent } from '../model/order-intent';
import { IntentsRepo } from '../store/intents-repo';
import type { Db } from '../store/journal';
import { RETENTION, safeJobId } from './queue-names';

export interface OrderJobData {
  readonly intent: OrderIntent;
  readonly config_hash: string;
  /** Epoch ms the intent was submitted. */
  readonly submitted_at: number;
}

/** Getting out of risk goes first; among closes, the more urgent first. Lower runs first. */
export function orderPriority(intent: OrderIntent): number {
  if (intent.kind === 'open') return 20;
  return { immediate: 1, high: 2, normal: 3, low: 4 }[intent.urgency];
}

/**
 * One attempt (BullMQ never re-runs an order by itself; a restart reconciles with the broker
 * instead), the intent id as the job id (adding the same intent twice adds nothing).
 */
export function orderJobOptions(intent: OrderIntent): JobsOptions {
  return { jobId: safeJobId(intent.id), attempts: 1, priority: orderPriority(intent), ...RETENTION };
}

/** Journals the intent first (a lost Redis never loses it), then queues it for the executor. */
export async function submitIntent(queue: Queue, db: Db, intent: OrderIntent, nowMs: number): Promise<void> {
  new IntentsRepo(db).create(intent, nowMs);
  await queue.add('order', { intent, config_hash: intent.config_hash, submitted_at: nowMs } satisfies OrderJobData, orderJobOptions(intent));
}

/**
 * After a restart: every intent the journal has not resolved is queued again under its own id, and
 * one that failed mid-way (stalled jobs fail, they are never re-run) is retried. The order manager
 * asks the broker before sending, so a retry never sends twice.
 */
export async function requeueUnresolved(queue: Queue, db: Db, nowMs: number): Promise<string[]> {
  const out: string[] = [];
  for (const rec of new IntentsRepo(db).unresolved()) {
    // A partial fill that timed out is an outcome, not an interruption: the rules decide again.
    if (rec.status === 'partially_filled') continue;
    const { status: _s, status_detail: _d, created_at: _c, updated_at: _u, ...intent } = rec;
    const job = await queue.getJob(safeJobId(rec.id));
    if (!job) {
      await queue.add('order', { intent, config_hash: intent.config_hash, submitted_at: nowMs } satisfies OrderJobData, orderJobOptions(intent));
      out.push(rec.id);
    } else {
      const state = await job.getState();
      if (state === 'failed' || state === 'completed') {
        await job.retry(state);
        out.push(rec.id);
      }
    }
  }
  return out;
}
