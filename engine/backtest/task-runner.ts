import type { CompiledConfig, TaskName } from '../config/types';
import { demoRedis } from '../queue/demo-redis';
import type { TaskJobData } from '../queue/job-guard';
import { RETENTION } from '../queue/queue-names';
import { removeQueues } from '../queue/remove-queues';
import { EngineRuntime } from '../runtime/engine-runtime';
import type { JournalGuard } from '../runtime/journal-guard';
import { errorMessage } from '../shared/errors';
import { InProcessRuntime, type InProcessOptions } from './in-process-runtime';
import { waitQueuesSettled } from './queue-settle';

export const RUNNERS = ['bullmq', 'in-process'] as const;
export type RunnerKind = (typeof RUNNERS)[number];

/** How the virtual-time loop reaches the engine: the same services behind either transport. */
export interface TaskRunner {
  readonly kind: RunnerKind;
  /** For the opening line: which Redis, or why none. */
  readonly source: string;
  readonly journalGuard: JournalGuard;
  start(): Promise<void>;
  /** Enqueues the job as a scheduler would and resolves once the engine settled (see JobRunner). */
  run(task: TaskName, at: number): Promise<{ readonly status: string; readonly summary: string }>;
  settle(): Promise<void>;
  stop(): Promise<void>;
}

export interface RunnerOptions extends InProcessOptions {
  /** Sleepers on virtual time (order walks): a settled engine may have these in flight. */
  readonly asleep: () => number;
}

/** A due run's job: the id the demo always used (the run journal's job_id), its priority from schedules.yaml. */
function dueJob(config: CompiledConfig, task: TaskName, at: number): { readonly data: TaskJobData; readonly jobId: string; readonly priority: number } {
  const t = config.schedules.tasks.find((x) => x.name === task);
  return { data: { task, config_hash: config.hash, scheduled_for: at, params: {} }, jobId: `vt-${task}-${at}`, priority: t?.priority ?? 1 };
}

export function inProcessRunner(o: RunnerOptions, source = 'no Redis needed'): TaskRunner {
  const rt = new InProcessRuntime(o);
  return {
    kind: 'in-process',
    source,
    journalGuard: rt.journalGuard,
    start: () => rt.start(),
    run: async (task, at) => {
      const j = dueJob(o.config, task, at);
      rt.addTask(task, j.data, { jobId: j.jobId, priority: j.priority, attempts: 1 });
      await rt.settle(o.asleep);
      return rt.taskOutcome(j.jobId);
    },
    settle: () => rt.settle(o.asleep),
    stop: () => rt.stop(),
  };
}

/** The real BullMQ queues and workers on a Redis from demoRedis() (REDIS_URL, the local one, or a private redis-server). */
export async function bullmqRunner(o: RunnerOptions): Promise<TaskRunner> {
  const r = await demoRedis();
  const prefix = `thetadesk-demo-${process.pid}-${Date.now()}`;
  const rt = new EngineRuntime({ ...o, redis: r.redis, prefix });
  const settle = (): Promise<void> => waitQueuesSettled(rt, o.asleep);
  return {
    kind: 'bullmq',
    source: `Redis: ${r.source}`,
    journalGuard: rt.journalGuard,
    start: () => rt.start(),
    run: async (task, at) => {
      const j = dueJob(o.config, task, at);
      const job = await rt.tasks.add(task, j.data, { jobId: j.jobId, priority: j.priority, attempts: 1, ...RETENTION });
      await settle();
      const done = await rt.tasks.getJob(job.id ?? '');
      return (done?.returnvalue ?? { status: done?.failedReason ? 'failed' : 'unknown', summary: done?.failedReason ?? '' }) as { status: string; summary: string };
    },
    settle,
    stop: async () => {
      try {
        await rt.stop(5_000);
        await removeQueues(r.redis, prefix);
      } finally {
        await r.stop();
        r.redis.disconnect();
      }
    },
  };
}

/**
 * `auto`: BullMQ when a Redis answers or a redis-server can be started, in-process otherwise (the
 * first command needs nothing but Node); the source line says which and why.
 */
export async function openRunner(kind: RunnerKind | 'auto', o: RunnerOptions): Promise<TaskRunner> {
  if (kind === 'in-process') return inProcessRunner(o);
  if (kind === 'bullmq') return bullmqRunner(o);
  try {
    return await bullmqRunner(o);
  } catch (e) {
    return inProcessRunner(o, `no Redis: ${errorMessage(e)}`);
  }
}
