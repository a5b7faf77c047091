import { errorMessage } from '../shared/errors';
import { RunsRepo } from '../store/runs-repo';
import type { Workflow } from './workflow-context';

/** Redis, the broker, queue depths, stuck jobs and each task's last run: reported, never thrown, so the check itself completes. */
export const healthCheck: Workflow = async (ctx) => {
  const problems: string[] = [];
  let redis = 'not checked (no queue)';
  let counts: unknown = null;
  let stuck: unknown[] = [];
  if (ctx.queue) {
    try {
      await ctx.queue.ping();
      redis = 'ok';
      counts = await ctx.queue.counts();
      stuck = [...(await ctx.queue.stuck(ctx.clock.now()))];
      if (stuck.length > 0) problems.push(`${stuck.length} stuck job(s)`);
    } catch (e) {
      redis = `unreachable: ${errorMessage(e)}`;
      problems.push(`Redis ${redis}`);
    }
  }
  const broker = await ctx.broker.health().catch((e: unknown) => ({ connected: false, detail: errorMessage(e) }));
  if (!broker.connected) problems.push(`broker ${ctx.broker.name} not connected (${broker.detail})`);
  const runs = new RunsRepo(ctx.db).lastByTask().map((r) => ({ task: r.task, last_status: r.last.status, last_at: r.last.started_at, last_ok_at: r.last_ok?.started_at ?? null, detail: r.last.detail }));
  for (const r of runs.filter((x) => x.last_status === 'failed')) problems.push(`${r.task} last failed: ${r.detail ?? ''}`);
  if (problems.length > 0) await ctx.alerts.raise({ severity: 'error', kind: 'health', message: `health: ${problems.join('; ')}` });
  return { summary: problems.length === 0 ? `healthy: Redis ${redis}, broker connected, ${runs.length} tasks with runs` : `unhealthy: ${problems.join('; ')}`, data: { redis, counts, stuck, broker, runs, problems } };
};
