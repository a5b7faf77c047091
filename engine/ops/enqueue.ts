import type { Queue } from 'bullmq';
import type { CompiledConfig, TaskConfig } from '../config/types';
import type { TaskJobData } from '../queue/job-guard';
import { RETENTION } from '../queue/queue-names';
import type { TaskJobLike, TaskOutcome } from '../queue/task-processor';
import { didYouMean } from '../shared/closest-name';
import { ConfigError } from '../shared/errors';
import { quoteValue } from '../shared/quote-value';
import { checkTaskParams } from '../workflows/task-params';

/** What an ad-hoc job needs of the engine: running a task here (dry run) and the tasks queue. */
export interface TaskEngine {
  runTask(job: TaskJobLike): Promise<TaskOutcome>;
  readonly tasks: Queue;
}

/** A task of schedules.yaml and checked parameters, or a ConfigError naming the tasks there are. */
export function resolveTask(config: CompiledConfig, name: string, params: Readonly<Record<string, unknown>>): { task: TaskConfig; params: Record<string, unknown> } {
  const t = config.schedules.tasks.find((x) => x.name === name);
  const names = config.schedules.tasks.map((x) => x.name);
  if (!t) throw new ConfigError('E_TASK', `no task ${quoteValue(name)} in schedules.yaml${didYouMean(name, names)}; tasks: ${names.join(', ')}`);
  return { task: t, params: checkTaskParams(t.name, params, Object.keys(config.strategies.underlyings)) };
}

const jobData = (config: CompiledConfig, t: TaskConfig, params: Record<string, unknown>, nowMs: number): TaskJobData => ({ task: t.name, config_hash: config.hash, scheduled_for: nowMs, params });

/** Runs the task here as a dry run: its plan (candidates, decisions, the orders it would send); nothing is sent or journaled. */
export async function dryRunTask(engine: TaskEngine, config: CompiledConfig, t: TaskConfig, params: Record<string, unknown>, nowMs: number): Promise<{ dry_run: true } & TaskOutcome> {
  const out = await engine.runTask({ id: `dry-run-${t.name}-${nowMs}`, name: t.name, data: { ...jobData(config, t, params, nowMs), dry_run: true }, timestamp: nowMs, opts: {} });
  return { dry_run: true, ...out };
}

/** Adds an ad-hoc job for the task; it passes the same checks as a scheduled one when a worker takes it. */
export async function enqueueTask(engine: TaskEngine, config: CompiledConfig, t: TaskConfig, params: Record<string, unknown>, nowMs: number): Promise<{ job_id: string | undefined; task: string }> {
  const job = await engine.tasks.add(t.name, jobData(config, t, params, nowMs), { jobId: `adhoc-${t.name}-${nowMs}`, priority: t.priority, attempts: t.max_attempts, ...RETENTION });
  return { job_id: job.id, task: t.name };
}
