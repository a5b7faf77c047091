import type { Queue, QueueEvents } from 'bullmq';

export type JobOutcome =
  | { readonly state: 'completed'; readonly returnvalue: unknown }
  | { readonly state: 'failed'; readonly failedReason: string }
  | { readonly state: 'gone' }
  | { readonly state: 'timeout'; readonly last: string };

/**
 * Waits for a job's outcome without the race of waiting on events alone (the job may finish before
 * the listener is ready): the events only wake the loop early; the job's own state in Redis, read
 * after the listener is in place and again on every wake or poll, is the answer. Bounded by
 * `timeoutMs`.
 */
export async function waitForJob(queue: Queue, events: QueueEvents, jobId: string, timeoutMs: number, pollMs = 500): Promise<JobOutcome> {
  const deadline = Date.now() + timeoutMs;
  let wake: (() => void) | null = null;
  const onEvent = (e: { jobId: string }): void => {
    if (e.jobId === jobId) wake?.();
  };
  events.on('completed', onEvent);
  events.on('failed', onEvent);
  let last = 'unknown';
  try {
    for (;;) {
      const job = await queue.getJob(jobId);
      if (!job) return { state: 'gone' };
      last = await job.getState();
      if (last === 'completed' || last === 'failed') {
        // Read again: the job was fetched before its state changed, without its outcome.
        const done = (await queue.getJob(jobId)) ?? job;
        return last === 'completed' ? { state: 'completed', returnvalue: done.returnvalue as unknown } : { state: 'failed', failedReason: done.failedReason ?? 'no reason given' };
      }
      const left = deadline - Date.now();
      if (left <= 0) return { state: 'timeout', last };
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(pollMs, left));
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      wake = null;
    }
  } finally {
    events.off('completed', onEvent);
    events.off('failed', onEvent);
  }
}
