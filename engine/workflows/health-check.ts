import { errorMessage } from '../shared/errors';
import { RunsRepo } from '../store/runs-repo';
import type { QueueProbe, Workflow, WorkflowContext } from './workflow-context';

type Counts = Awaited<ReturnType<QueueProbe['counts']>>;
type Stuck = Awaited<ReturnType<QueueProbe['stuck']>>;

export interface QueueHealth {
  /** 'ok', 'unreachable: …' or 'not checked (no queue)'. */
  readonly redis: string;
  readonly counts: Counts | null;
  readonly stuck: Stuck;
  readonly problems: readonly string[];
}

/** How long one port may take to answer a health probe. */
export const PROBE_DEADLINE_MS = 10_000;

async function withDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not answer within ${Math.round(ms / 1000)} s`)), ms)))]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/** Each probe separately: a failing counts() must not be reported as Redis being down. */
async function queueHealth(queue: QueueProbe | null, nowMs: number): Promise<QueueHealth> {
  if (!queue) return { redis: 'not checked (no queue)', counts: null, stuck: [], problems: [] };
  try {
    await withDeadline(queue.ping(), PROBE_DEADLINE_MS, 'Redis');
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

/** The broker answers a real request (a connected flag alone proves nothing). */
async function brokerHealth(ctx: WorkflowContext): Promise<{ connected: boolean; detail: string }> {
  const h = await withDeadline(ctx.broker.health(), PROBE_DEADLINE_MS, `broker ${ctx.broker.name}`).catch((e: unknown) => ({ connected: false, detail: errorMessage(e) }));
  if (!h.connected) return h;
  try {
    await withDeadline(ctx.broker.accountSummary(), PROBE_DEADLINE_MS, `broker ${ctx.broker.name} account summary`);
    return h;
  } catch (e) {
    return { connected: false, detail: `${h.detail}, but it does not answer: ${errorMessage(e)}` };
  }
}

/** Market data answers for the first underlying (spot and VIX): the port every analysis and monitor run needs. */
async function marketHealth(ctx: WorkflowContext): Promise<{ ok: boolean; detail: string }> {
  const symbol = Object.keys(ctx.config.strategies.underlyings)[0];
  try {
    if (symbol) await withDeadline(ctx.market.spot(symbol), PROBE_DEADLINE_MS, `market data ${ctx.market.name} (${symbol} spot)`);
    await withDeadline(ctx.market.vix(), PROBE_DEADLINE_MS, `market data ${ctx.market.name} (VIX)`);
    return { ok: true, detail: `${ctx.market.name} answers` };
  } catch (e) {
    return { ok: false, detail: errorMessage(e) };
  }
}

/**
 * Every port the engine depends on is asked a real question (Redis PING, the broker's account, the
 * market's spot and VIX), each under a deadline; then the monitor's watchdog, the journal's write
 * health, queue depths, stuck jobs and each task's last run. Reported, never thrown, so the check
 * itself completes; any failing port makes it unhealthy.
 */
export const healthCheck: Workflow = async (ctx, job) => {
  const queue = await queueHealth(ctx.queue, ctx.clock.now());
  const problems = [...queue.problems];
  const broker = await brokerHealth(ctx);
  if (!broker.connected) problems.push(`broker ${ctx.broker.name} not connected (${broker.detail})`);
  const market = await marketHealth(ctx);
  if (!market.ok) problems.push(`market data ${ctx.market.name} failing (${market.detail})`);
  const watchdog = ctx.guards?.watchdog() ?? null;
  if (watchdog?.state === 'overdue') problems.push(`watchdog: ${watchdog.detail}`);
  const journal = ctx.guards?.journal() ?? null;
  if (journal && !journal.ok) problems.push(journal.detail);
  const runs = new RunsRepo(ctx.db).lastByTask().map((r) => ({ task: r.task, last_status: r.last.status, last_at: r.last.started_at, last_ok_at: r.last_ok?.started_at ?? null, detail: r.last.detail }));
  for (const r of runs.filter((x) => x.last_status === 'failed')) problems.push(`${r.task} last failed: ${r.detail ?? ''}`);
  // A dry run sends nothing, alerts included: the report is in `data`.
  if (problems.length > 0 && !job.dry_run) await ctx.alerts.raise({ severity: 'error', kind: 'health', message: `health: ${problems.join('; ')}` });
  const guardText = watchdog ? `; watchdog ${watchdog.state}` : '';
  return {
    summary: problems.length === 0 ? `healthy: queue: ${ctx.queue ? `Redis ${queue.redis}` : queue.redis}; broker connected; market data ${market.detail}${guardText}; ${runs.length} tasks with runs, none failed last` : `unhealthy: ${problems.join('; ')}`,
    data: { redis: queue.redis, counts: queue.counts, stuck: queue.stuck, broker, market, watchdog, journal, runs, problems },
  };
};
