import { errorMessage } from '../shared/errors';
import { RunsRepo } from '../store/runs-repo';
import type { QueueProbe, Workflow } from './workflow-context';

type Counts = Awaited<ReturnType<QueueProbe['counts']>>;
type Stuck = Awaited<ReturnType<QueueProbe['stuck']>>;

export interface QueueHealth {
  /** 'ok', 'unreachable: …' or 'not checked (no queue)'. */
  readonly redis: string;
  readonly counts: Counts | null;
  readonly stuck: Stuck;
  readonly problems: readonly string[];
}

/** Each probe separately: a failing counts() must not be reported as Redis being down. */
async function queueHealth(queue: QueueProbe | null, nowMs: number): Promise<QueueHealth> {
  if (!queue) return { redis: 'not checked (no queue)', counts: null, stuck: [], problems: [] };
  try {
    await queue.ping();
  } catch (e) {
    const redis = `unreachable: ${errorMessage(e)}`;
    return { redis, counts: null, stuck: [], problems: [`Redis ${redis}; check REDIS_URL and that redis-server runs`] };
  }
  const problems: string[] = [];
  const counts = await queue.counts().catch((e: unknown) => (problems.push(`queue counts failed: ${errorMessage(e)}`), null));
  const stuck = await queue.stuck(nowMs).catch((e: unknown) => (problems.push(`stuck-job probe failed: ${errorMessage(e)}`), [] as Stuck));
  if (stuck.length > 0) problems.push(`${stuck.length} stuck job(s): ${stuck.map((s) => `${s.task} ${s.id} on ${s.queue} running ${Math.round(s.running_s)} s`).join(', ')}`);
  return { redis: 'ok', counts, stuck, problems };
}

/** Redis, the broker, queue depths, stuck jobs and each task's last run: reported, never thrown, so the check itself completes. */
export const healthCheck: Workflow = async (ctx, job) => {
  const queue = await queueHealth(ctx.queue, ctx.clock.now());
  const problems = [...queue.problems];
  const broker = await ctx.broker.health().catch((e: unknown) => ({ connected: false, detail: errorMessage(e) }));
  if (!broker.connected) problems.push(`broker ${ctx.broker.name} not connected (${broker.detail})`);
  const runs = new RunsRepo(ctx.db).lastByTask().map((r) => ({ task: r.task, last_status: r.last.status, last_at: r.last.started_at, last_ok_at: r.last_ok?.started_at ?? null, detail: r.last.detail }));
  for (const r of runs.filter((x) => x.last_status === 'failed')) problems.push(`${r.task} last failed: ${r.detail ?? ''}`);
  // A dry run sends nothing, alerts included: the report is in `data`.
  if (problems.length > 0 && !job.dry_run) await ctx.alerts.raise({ severity: 'error', kind: 'health', message: `health: ${problems.join('; ')}` });
  return {
    summary: problems.length === 0 ? `healthy: queue: ${ctx.queue ? `Redis ${queue.redis}` : queue.redis}; broker connected; ${runs.length} tasks with runs, none failed last` : `unhealthy: ${problems.join('; ')}`,
    data: { redis: queue.redis, counts: queue.counts, stuck: queue.stuck, broker, runs, problems },
  };
};
