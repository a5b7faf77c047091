import { UnrecoverableError, type FlowProducer } from 'bullmq';
import type { CompiledConfig, TaskName } from '../config/types';
import type { Clock } from '../shared/clock';
import { ConfigError, errorMessage, isThetadeskError } from '../shared/errors';
import { exchangeDate } from '../shared/exchange-time';
import type { Db } from '../store/journal';
import { isJournalFailure } from '../store/journal-errors';
import { RunsRepo, type RunStatus } from '../store/runs-repo';
import type { Workflow, WorkflowContext, WorkflowResult } from '../workflows/workflow-context';
import { addDependencyFlow, dependentsOf } from './dependency-flow';
import { guardJob, type MaintenanceSchedule, type TaskJobData } from './job-guard';

/** The part of a BullMQ job the processor reads (so tests and the demo can hand it plain objects). */
export interface TaskJobLike {
  readonly id?: string | undefined;
  readonly name: string;
  readonly data: Partial<TaskJobData> & { readonly dry_run?: boolean };
  readonly timestamp: number;
  readonly opts: { readonly prevMillis?: number; readonly delay?: number };
}

export interface TaskProcessorDeps {
  readonly config: CompiledConfig;
  readonly clock: Clock;
  readonly db: Db;
  readonly workflows: Readonly<Partial<Record<TaskName, Workflow>>>;
  readonly context: WorkflowContext;
  /** Where a scheduled dependency starts its flow; null where flows are not used (dry runs). */
  readonly flows: FlowProducer | null;
  readonly queueName: string;
  /** Broker maintenance windows to wait out (when running against IB); null: none apply. */
  readonly maintenance?: MaintenanceSchedule | null;
  /**
   * Asked before anything else (nothing journaled): a reason to leave the task out now, or null.
   * The runtime leaves out what does not manage open positions while the journal cannot take writes.
   */
  readonly admit?: (task: TaskName) => string | null;
}

export interface TaskOutcome {
  readonly status: Exclude<RunStatus, 'running'>;
  readonly summary: string;
  readonly data?: unknown;
  /** For a deferred run: when to run it again (the end of the maintenance window), epoch ms. */
  readonly until?: number;
}

/** Scheduler-made jobs carry the time they were due as `prevMillis`; ad-hoc ones say it in their data. */
export function scheduledFor(job: TaskJobLike): number {
  return job.data.scheduled_for ?? job.opts.prevMillis ?? job.timestamp + (job.opts.delay ?? 0);
}

/** Prefix of the jobs the runtime adds for fire times an outage made it miss (engine/runtime/redis-outage.ts). */
export const CATCH_UP_PREFIX = 'catchup-';

/** A job standing for one fire time of a scheduler: BullMQ's own, or the catch-up of one. */
const isSchedulerJob = (job: TaskJobLike): boolean => typeof job.id === 'string' && (job.id.startsWith('repeat:') || job.id.startsWith(CATCH_UP_PREFIX));

/** Outcomes a re-delivered job keeps (a failed or interrupted run may run again). */
const FINAL: ReadonlySet<RunStatus> = new Set(['ok', 'skipped', 'missed', 'refused']);

type Claim = { readonly run: true } | { readonly run: false; readonly status: Exclude<RunStatus, 'running'>; readonly summary: string };

/**
 * At most one run per job and per scheduled fire time, decided in one immediate transaction so two
 * processes sharing the journal cannot both start it: a job whose completion was lost with Redis
 * and comes back is not run again, and a fire time that both BullMQ (a persistent Redis keeps the
 * overdue job) and the outage catch-up deliver runs once.
 */
function claimRun(d: TaskProcessorDeps, runs: RunsRepo, job: TaskJobLike, jobId: string, data: TaskJobData, now: number): Claim {
  return d.db
    .transaction((): Claim => {
      const prior = runs.get(jobId);
      if (prior && FINAL.has(prior.status)) return { run: false, status: prior.status as Exclude<RunStatus, 'running'>, summary: `already ran as job ${jobId} (${prior.status}${prior.detail ? `: ${prior.detail}` : ''}); not run again` };
      if (isSchedulerJob(job)) {
        const other = runs.otherRunFor(data.task, data.scheduled_for, jobId);
        if (other) return { run: false, status: 'skipped', summary: `the run due at ${new Date(data.scheduled_for).toISOString()} already happened as job ${other.job_id} (${other.status}); not run twice` };
      }
      runs.start({ job_id: jobId, task: data.task, config_hash: data.config_hash, scheduled_for: data.scheduled_for, started_at: now });
      return { run: true };
    })
    .immediate();
}

async function withTimeout<T>(p: Promise<T>, ms: number, task: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${task} exceeded its timeout of ${Math.round(ms / 1000)} s`)), ms)))]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/**
 * Runs one `tasks` job: the guard (config hash, misfire grace, calendar), the run journal, then the
 * task's workflow under its timeout. A scheduled run of a task others depend on starts their flow
 * instead (the dependency becomes a child job with a per-day id, so it runs once per day however
 * often the trigger fires). Configuration errors fail without retry; anything else may be retried
 * up to the task's max_attempts.
 */
export async function processTask(d: TaskProcessorDeps, job: TaskJobLike): Promise<TaskOutcome> {
  const task = d.config.schedules.tasks.find((t) => t.name === job.name);
  if (!task) throw new UnrecoverableError(`no task "${job.name}" in schedules.yaml: remove the job or add the task`);
  const data: TaskJobData = { task: task.name, config_hash: job.data.config_hash ?? '', scheduled_for: scheduledFor(job), params: job.data.params ?? {} };
  const dryRun = job.data.dry_run === true;
  const jobId = job.id ?? `${task.name}@${data.scheduled_for}`;
  const runs = new RunsRepo(d.db);
  const now = d.clock.now();
  const leftOut = dryRun ? null : (d.admit?.(task.name) ?? null);
  if (leftOut !== null) {
    d.context.log(`${task.name}: not run: ${leftOut}`);
    return { status: 'skipped', summary: leftOut };
  }
  if (!dryRun) {
    const claim = claimRun(d, runs, job, jobId, data, now);
    if (!claim.run) {
      d.context.log(`${task.name}: ${claim.summary}`);
      return { status: claim.status, summary: claim.summary };
    }
  }
  const end = (status: Exclude<RunStatus, 'running'>, detail: string): void => {
    if (!dryRun) runs.end(jobId, status, detail, d.clock.now());
  };
  const verdict = guardJob(task, data, now, d.config.hash, d.maintenance ?? null);
  if (!verdict.run) {
    end(verdict.status, verdict.reason);
    d.context.log(`${task.name}: ${verdict.status}: ${verdict.reason}`);
    return verdict.status === 'deferred' ? { status: 'deferred', summary: verdict.reason, until: verdict.until } : { status: verdict.status, summary: verdict.reason };
  }
  if (!dryRun && d.flows && isSchedulerJob(job) && dependentsOf(d.config.schedules, task.name).length > 0) {
    const date = exchangeDate(data.scheduled_for);
    const nodes = await addDependencyFlow(d.flows, d.config.schedules, task, date, data, d.queueName);
    const summary = `started today's flow: ${nodes.map((n) => n.job.id ?? n.job.name).join(', ')} after ${task.name}@${date}`;
    end('ok', summary);
    return { status: 'ok', summary };
  }
  const workflow = d.workflows[task.name];
  if (!workflow) {
    end('failed', `no workflow for ${task.name}`);
    throw new UnrecoverableError(`no workflow is registered for task ${task.name}`);
  }
  let result: WorkflowResult;
  try {
    result = await withTimeout(workflow(d.context, { task: task.name, job_id: jobId, scheduled_for: data.scheduled_for, params: data.params, dry_run: dryRun }), task.timeout_ms, task.name);
  } catch (e) {
    // Every journal error names the journal (the guard's line says what happens next).
    const msg = isJournalFailure(e) ? `journal ${d.db.name}: ${errorMessage(e).replace(/^SqliteError: /, '')}` : errorMessage(e);
    try {
      end('failed', msg);
    } catch (journal) {
      if (!isJournalFailure(journal)) throw journal;
    }
    d.context.log(`${task.name}: failed: ${msg}`);
    if ((isThetadeskError(e) && !e.retryable) || e instanceof ConfigError) throw new UnrecoverableError(msg);
    throw e;
  }
  end('ok', result.summary);
  d.context.log(`${task.name}: ${result.summary}`);
  return { status: 'ok', summary: result.summary, data: result.data };
}
