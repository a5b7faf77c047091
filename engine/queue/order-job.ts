import { UnrecoverableError, type Job } from 'bullmq';
import type { IntentOutcome } from '../execution/order-manager';
import type { OrderExecutor } from '../execution/order-executor';
import { errorMessage, isThetadeskError } from '../shared/errors';
import { intentIdOf, type OrderJobData } from './orders-queue';

/**
 * Adapts one `orders` job to the executor; nothing else. An error fails the job without a BullMQ
 * retry: the ownership sweep (orders-queue.ts) decides when to run it again.
 */
export async function runOrderJob(executor: OrderExecutor, job: Pick<Job<OrderJobData>, 'data'>, signal?: AbortSignal): Promise<IntentOutcome> {
  try {
    return await executor.execute(intentIdOf(job.data), signal);
  } catch (e) {
    if (isThetadeskError(e) && !e.retryable) throw new UnrecoverableError(errorMessage(e));
    throw e;
  }
}
