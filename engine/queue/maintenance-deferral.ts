import { DelayedError, type Job, type Queue } from 'bullmq';
import type { TaskConfig } from '../config/types';
import type { TaskJobData } from './job-guard';
import { RETENTION, safeJobId } from './queue-names';

/**
 * A task run deferred by a maintenance window runs again when the window ends, as a new job whose
 * id names the task and the end: however many runs of a task fall inside one window (an hourly
 * check over a weekend), one run follows it. Its scheduled time is the end, so the misfire grace
 * counts from there.
 */
export async function enqueueAfterWindow(queue: Queue, task: TaskConfig, data: TaskJobData, untilMs: number, nowMs: number, currentJobId?: string): Promise<string> {
  const base = safeJobId(`${task.name}@after-maintenance-${untilMs}`);
  // A re-run deferred again to the same end must not collide with itself (an add under a running
  // job's id is dropped, and the task would never run).
  const jobId = currentJobId === base ? `${base}-again` : base;
  await queue.add(task.name, { ...data, scheduled_for: untilMs } satisfies TaskJobData, { jobId, delay: Math.max(0, untilMs - nowMs), priority: task.priority, attempts: task.max_attempts, ...RETENTION });
  return jobId;
}

/**
 * An order job inside a maintenance window: back to the delayed set until the window ends, keeping
 * its id (the intent id) and without using an attempt. BullMQ then expects DelayedError.
 */
export async function delayOrderJob(job: Job, token: string | undefined, untilMs: number, nowMs: number): Promise<never> {
  // BullMQ's delayed set runs on Redis' wall clock; the engine's clock may be virtual (tests,
  // backtests) or shifted. Wait the window's remaining length, not until its instant: a virtual
  // end in the wall clock's past was promoted at once (a Sunday window replayed on a Monday).
  await job.moveToDelayed(Date.now() + Math.max(0, untilMs - nowMs), token);
  throw new DelayedError();
}
