import type { JobsOptions, Queue } from 'bullmq';
import type { DispatchIntent } from '../execution/submit';
import type { OrderIntent } from '../model/order-intent';
import { IntentsRepo } from '../store/intents-repo';
import type { Db } from '../store/journal';
import { RETENTION, safeJobId } from './queue-names';

/** An orders job names the journaled intent; the journal, not Redis, holds the intent itself. */
export interface OrderJobData {
  readonly intent_id: string;
  /** For people reading the queue (Bull Board, `status`). */
  readonly kind: string;
  readonly symbol: string;
  /** Epoch ms the intent was submitted. */
  readonly submitted_at: number;
}

/** Jobs queued before the intent id was all a job carried. */
interface LegacyOrderJobData {
  readonly intent: { readonly id: string };
}

export function intentIdOf(data: OrderJobData | LegacyOrderJobData): string {
  return 'intent_id' in data ? data.intent_id : data.intent.id;
}

/** Getting out of risk goes first; among closes, the more urgent first. Lower runs first. */
export function orderPriority(intent: Pick<OrderIntent, 'kind' | 'urgency'>): number {
  if (intent.kind === 'open') return 20;
  return { immediate: 1, high: 2, normal: 3, low: 4 }[intent.urgency];
}

/**
 * One attempt (BullMQ never re-runs an order by itself: the adoption sweep decides, after asking
 * the broker), the intent id as the job id (adding the same intent twice adds nothing).
 */
export function orderJobOptions(intent: Pick<OrderIntent, 'id' | 'kind' | 'urgency'>): JobsOptions {
  return { jobId: safeJobId(intent.id), attempts: 1, priority: orderPriority(intent), ...RETENTION };
}

/** The dispatch port over BullMQ: the journaled intent's id onto the orders queue. */
export function dispatchToQueue(queue: Queue, clock: { now(): number }): DispatchIntent {
  return async (intent) => {
    await queue.add('order', { intent_id: intent.id, kind: intent.kind, symbol: intent.symbol, submitted_at: clock.now() } satisfies OrderJobData, orderJobOptions(intent));
  };
}

/** Why a failed order job is adopted at once rather than after a backoff. */
const STALLED = /stalled/i;

export interface SweepReport {
  /** Active intents with no job (journaled, never queued, or the job was removed): queued now. */
  readonly queued: string[];
  /** Jobs whose owner is gone (stalled, or left resting at shutdown): re-run to adopt the order. */
  readonly adopted: string[];
  /** Failed jobs retried after their backoff. */
  readonly retried: string[];
}

/**
 * Every active intent has an owner. Run at start (after the reconcile) and every few seconds by
 * each orders worker: an active intent whose job is missing is queued; one whose job stalled
 * (its process died mid-walk) or completed while the intent still works (left resting at a stop
 * signal) is re-run at once, so a surviving worker adopts the order within one sweep; one whose
 * job failed on an error is retried with a capped backoff. The executor asks the broker for an
 * order carrying the intent before any send, so a re-run never sends twice.
 */
export class OrderOwnership {
  private readonly failures = new Map<string, number>();

  constructor(
    private readonly queue: Queue,
    private readonly db: Db,
    private readonly wallNow: () => number = Date.now,
    private readonly backoff = (n: number): number => Math.min(300_000, 5_000 * 2 ** n),
  ) {}

  /** `retryFailedNow`: at start and after a reconnect, when what failed them may be gone. */
  async sweep(submittedAt: number, retryFailedNow = false): Promise<SweepReport> {
    const out: SweepReport = { queued: [], adopted: [], retried: [] };
    const intents = new IntentsRepo(this.db);
    for (const rec of intents.active()) {
      // Held behind another intent (a roll's open before its close filled): the executor queues it
      // when that one fills; queued now it would only wait.
      if (rec.status === 'pending' && intents.heldBy(rec)) continue;
      const job = await this.queue.getJob(safeJobId(rec.id));
      if (!job) {
        await this.queue.add('order', { intent_id: rec.id, kind: rec.kind, symbol: rec.symbol, submitted_at: submittedAt } satisfies OrderJobData, orderJobOptions(rec));
        out.queued.push(rec.id);
        continue;
      }
      const state = await job.getState();
      if (state === 'completed' || (state === 'failed' && STALLED.test(job.failedReason ?? ''))) {
        await job.retry(state);
        out.adopted.push(rec.id);
      } else if (state === 'failed') {
        const n = this.failures.get(rec.id) ?? 0;
        if (!retryFailedNow && this.wallNow() - (job.finishedOn ?? 0) < this.backoff(n)) continue;
        this.failures.set(rec.id, n + 1);
        await job.retry('failed');
        out.retried.push(rec.id);
      }
    }
    return out;
  }
}
