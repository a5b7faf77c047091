import type { Redis } from 'ioredis';
import type { TaskName } from '../config/types';
import type { TaskJobData } from '../queue/job-guard';
import { planCatchUp, type CatchUpPlan } from '../queue/missed-runs';
import { dailyJobId } from '../queue/dependency-flow';
import { RETENTION } from '../queue/queue-names';
import { closeRedis, displayUrl, isRedisConnectionError, RECONNECT_CAP_MS } from '../queue/redis-connection';
import { schedulerSpecs } from '../queue/scheduler-specs';
import { syncSchedulers } from '../queue/sync-schedulers';
import { errorMessage } from '../shared/errors';
import { RunsRepo } from '../store/runs-repo';
import type { EngineRuntime } from './engine-runtime';

export interface RedisSupervisorOptions {
  readonly runtime: EngineRuntime;
  /** For naming it in lines and alerts (shown without its password). */
  readonly url: string;
  readonly log: (line: string) => void;
  /** What this process owns: `run` owns the schedulers; the orders side re-applies its global concurrency and reconciles. */
  readonly owns: { readonly schedulers: boolean; readonly orders: boolean };
  readonly heartbeatMs?: number;
  readonly pingTimeoutMs?: number;
}

export interface RedisOutageState {
  readonly up: boolean;
  readonly since: number | null;
  readonly errors: number;
}

const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const hhmmss = (ms: number): string => `${new Date(ms).toISOString().slice(11, 19)}Z`;

/**
 * Keeps `run`/`worker` alive through a Redis outage and says so once. Every connection reconnects by
 * itself (capped backoff, engine/queue/redis-connection.ts); this watches a heartbeat (PING with a
 * deadline, so a Redis that accepts but never answers counts as down) and the workers' errors:
 * - down: one line and one alert; connection errors are counted, not printed one per retry;
 * - back: the job schedulers are re-synced from schedules.yaml (a non-persistent Redis lost them),
 *   the orders queue gets its global concurrency and a reconcile (intents whose jobs were lost are
 *   re-queued), and the fire times missed meanwhile are caught up by the misfire rules; then one
 *   line and one alert. A recovery step failing leaves it down, to try again on the next beat.
 */
export class RedisSupervisor {
  private conn: Redis | null = null;
  private timer: NodeJS.Timeout | null = null;
  private up = true;
  private lastOk: number;
  private downSince: number | null = null;
  private errors = 0;
  private cause: string | null = null;
  /** When the first connection error since the last good heartbeat came: the outage's real start. */
  private firstErrorAt: number | null = null;
  private beating: Promise<void> | null = null;
  /** Heartbeats that timed out in a row (a refused or closed connection counts at once). */
  private timeouts = 0;
  private stopped = false;
  /** Fire times before this process started are not this outage's to catch up (BullMQ hands over its overdue job at start). */
  private readonly startedAt: number;

  constructor(private readonly o: RedisSupervisorOptions) {
    this.lastOk = o.runtime.clock.now();
    this.startedAt = this.lastOk;
  }

  get state(): RedisOutageState {
    return { up: this.up, since: this.downSince, errors: this.errors };
  }

  async start(): Promise<void> {
    const pingTimeout = this.o.pingTimeoutMs ?? 3_000;
    this.conn = this.o.runtime.redis.duplicate({ enableOfflineQueue: false, commandTimeout: pingTimeout, connectionName: 'thetadesk-heartbeat' });
    this.conn.on('error', (e: Error) => this.note(e));
    await this.conn.connect();
    this.timer = setInterval(() => void this.beat(), this.o.heartbeatMs ?? 1_000);
  }

  /** Every worker and queue error passes here: connection errors are counted (and checked at once), others are printed. */
  onError(e: Error, source: string): void {
    if (isRedisConnectionError(e)) {
      this.note(e);
      if (this.up) void this.beat();
      return;
    }
    this.o.log(`${source} error: ${e.message}`);
  }

  private note(e: Error): void {
    this.errors++;
    this.cause ??= e.message;
    this.firstErrorAt ??= this.o.runtime.clock.now();
  }

  /** One heartbeat; concurrent callers share it. */
  beat(): Promise<void> {
    this.beating ??= this.check().finally(() => {
      this.beating = null;
    });
    return this.beating;
  }

  private async check(): Promise<void> {
    if (this.stopped || !this.conn) return;
    try {
      await this.conn.ping();
      this.timeouts = 0;
    } catch (e) {
      const msg = errorMessage(e);
      // One late answer can be this process's own busy event loop; two in a row is Redis.
      if (/timed out/i.test(msg) && ++this.timeouts < 2) return;
      if (this.up) await this.goDown(msg);
      return;
    }
    if (this.up) {
      this.lastOk = this.o.runtime.clock.now();
      this.errors = 0;
      this.cause = null;
      this.firstErrorAt = null;
      return;
    }
    await this.recover();
  }

  private async goDown(reason: string): Promise<void> {
    this.up = false;
    // The heartbeat notices up to one interval late; the socket's first error marks the start.
    const now = this.firstErrorAt ?? this.o.runtime.clock.now();
    this.downSince = now;
    const url = displayUrl(this.o.url);
    // ioredis refuses a command on a closed socket with its own wording; say what it means.
    const why = (this.cause ?? reason).replace(/^Stream isn't writeable and enableOfflineQueue options is false$/, 'connection lost');
    this.o.log(`redis: unreachable at ${url} since ${hhmmss(now)} (${why}): no job runs until it is back; reconnecting with backoff up to ${secs(RECONNECT_CAP_MS)}; errors are counted, not printed`);
    await this.o.runtime.alerts.raise({ severity: 'error', kind: 'redis_outage', message: `Redis unreachable at ${url}: no job runs until it is back (reconnecting)` });
  }

  private async recover(): Promise<void> {
    const rt = this.o.runtime;
    const since = this.downSince ?? this.lastOk;
    const from = this.lastOk;
    const now = rt.clock.now();
    const parts: string[] = [];
    let plan: CatchUpPlan = { run: [], missed: [] };
    try {
      if (this.o.owns.schedulers) {
        const diff = await syncSchedulers(rt.tasks, schedulerSpecs(rt.config.schedules), rt.config.hash);
        parts.push(`schedulers re-synced (${diff.added.length} added, ${diff.updated.length} updated, ${diff.removed.length} removed, ${diff.unchanged.length} unchanged)`);
        plan = this.planCatchUp(from, now, `Redis was unreachable from ${hhmmss(since)} to ${hhmmss(now)}`);
        parts.push(this.describe(plan));
      }
      if (this.o.owns.orders) {
        await rt.orders.setGlobalConcurrency(1);
        parts.push('orders reconcile queued');
      }
    } catch (e) {
      // Flapping: stay down and try the whole recovery again on the next beat.
      this.note(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    const url = displayUrl(this.o.url);
    const errors = this.errors;
    this.up = true;
    this.downSince = null;
    this.lastOk = now;
    this.errors = 0;
    this.cause = null;
    this.firstErrorAt = null;
    // The line comes before the jobs it announces, so the log reads in the order things happened.
    this.o.log(`redis: back at ${url} after ${secs(now - since)} (${errors} connection errors while down); ${parts.join('; ')}`);
    await rt.alerts.raise({ severity: 'warning', kind: 'redis_outage', message: `Redis back at ${url} after ${secs(now - since)}; ${parts.join('; ')}` });
    try {
      if (this.o.owns.orders) await rt.queueReconcile('redis');
      await this.enqueue(plan, now);
    } catch (e) {
      if (isRedisConnectionError(e)) await this.goDown(errorMessage(e));
      else this.o.log(`redis: recovery after the outage failed: ${errorMessage(e)}`);
    }
  }

  /** The misfire rules over what the outage made this process miss: the latest run of each task once, the stale ones journaled `missed`. */
  private planCatchUp(from: number, now: number, outage: string): CatchUpPlan {
    const rt = this.o.runtime;
    const runs = new RunsRepo(rt.db);
    try {
      return planCatchUp(rt.config.schedules, from, now, {
        hasRun: (task, at) => runs.scheduledBetween(task, at, at).length > 0,
        okRunOn: (task, date) => {
          const r = runs.get(dailyJobId(task, date));
          return r && r.status === 'ok' && r.scheduled_for !== null ? { scheduled_for: r.scheduled_for } : null;
        },
      }, outage, this.startedAt);
    } catch (e) {
      if (rt.journalGuard.inspect(e)) return { run: [], missed: [] };
      throw e;
    }
  }

  private describe(plan: CatchUpPlan): string {
    const name = (x: { task: TaskName; scheduled_for: number }): string => `${x.task}@${hhmmss(x.scheduled_for)}`;
    return `caught up: ${plan.run.length === 0 ? 'nothing to run' : `${plan.run.map(name).join(', ')} queued`}; ${plan.missed.length} missed${plan.missed.length > 0 ? ` (${plan.missed.map(name).join(', ')})` : ''}`;
  }

  private async enqueue(plan: CatchUpPlan, now: number): Promise<void> {
    const rt = this.o.runtime;
    const runs = new RunsRepo(rt.db);
    for (const m of plan.missed) {
      try {
        runs.recordMissed({ job_id: m.job_id, task: m.task, config_hash: rt.config.hash, scheduled_for: m.scheduled_for }, now, m.reason);
      } catch (e) {
        if (!rt.journalGuard.inspect(e)) throw e;
      }
    }
    for (const r of plan.run) {
      const t = rt.config.schedules.tasks.find((x) => x.name === r.task);
      const data: TaskJobData = { task: r.task, config_hash: rt.config.hash, scheduled_for: r.scheduled_for, params: r.params };
      await rt.tasks.add(r.task, data, { jobId: r.job_id, delay: r.delay_ms, priority: t?.priority ?? 1, attempts: t?.max_attempts ?? 1, ...RETENTION });
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.beating?.catch(() => undefined);
    if (this.conn) closeRedis(this.conn);
  }
}
