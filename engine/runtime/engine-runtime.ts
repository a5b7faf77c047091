import { FlowProducer, Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { AlertChannel } from '../alerts/alert';
import type { AlertManager } from '../alerts/alert-manager';
import type { CompiledConfig, TaskName } from '../config/types';
import type { Broker } from '../execution/broker';
import type { OrderExecutor } from '../execution/order-executor';
import type { WalkSleep } from '../execution/order-manager';
import { submitThrough } from '../execution/submit';
import type { MarketData } from '../market/market-data';
import type { BrokerEvent } from '../model/broker-records';
import type { TaskJobData } from '../queue/job-guard';
import { fillTaskJobs } from '../queue/fill-tasks';
import { runOrderJob } from '../queue/order-job';
import { dispatchToQueue, intentIdOf, OrderOwnership, type OrderJobData, type SweepReport } from '../queue/orders-queue';
import { queueProbe } from '../queue/queue-probe';
import { ORDERS_QUEUE, RETENTION, TASKS_QUEUE, checkPrefix, safeJobId } from '../queue/queue-names';
import { BLOCKING_OVERRIDES } from '../queue/redis-connection';
import { processTask, type TaskJobLike, type TaskOutcome } from '../queue/task-processor';
import type { MaintenanceSchedule } from '../queue/job-guard';
import { delayOrderJob, enqueueAfterWindow } from '../queue/maintenance-deferral';
import { describeWindow, maintenanceAt } from '../config/maintenance-window';
import type { RiskGate } from '../risk/risk-gate';
import type { Clock } from '../shared/clock';
import type { Db } from '../store/journal';
import type { Workflow, WorkflowContext } from '../workflows/workflow-context';
import { JournalGuard } from './journal-guard';
import { AlertsRepo } from '../store/alerts-repo';
import { buildServices, type EngineServices } from './services';
import { Watchdog } from './watchdog';

export interface RuntimeOptions {
  readonly config: CompiledConfig;
  readonly clock: Clock;
  readonly market: MarketData;
  readonly broker: Broker;
  readonly db: Db;
  /** A connection made by connectRedis(); workers get duplicates of it. */
  readonly redis: Redis;
  readonly prefix: string;
  readonly log: (line: string) => void;
  /** The order walk's wait between price steps (real time live, virtual time in the demo). */
  readonly sleep: WalkSleep;
  readonly alertChannels?: readonly AlertChannel[];
  readonly workflows?: Readonly<Partial<Record<TaskName, Workflow>>>;
  /** Honour schedules.yaml's broker_maintenance windows (the engine runs against IB). Default false. */
  readonly maintenance?: boolean;
}

/** A drop this close to a window's edges is the window's own (clocks and restarts are not exact). */
const MAINTENANCE_SLACK_MS = 2 * 60_000;

/** The orders-queue job that reconciles with the broker after a reconnect (no intent). */
const RECONCILE_JOB = 'reconcile';
/** How often an orders worker checks that every active intent has a live job (see OrderOwnership). */
const OWNERSHIP_SWEEP_MS = 5_000;
/**
 * A dead orders worker's job is found stalled within about lockDuration + stalledInterval; the
 * sweep adopts it within its next pass. BullMQ never re-runs it by itself (maxStalledCount 0).
 */
const ORDER_LOCK_MS = 20_000;
const ORDER_STALLED_INTERVAL_MS = 10_000;
/** After a failed fetch a worker waits this long (BullMQ's default is 15 s): back within seconds of Redis. */
const WORKER_RETRY_DELAY_MS = 1_000;

/** Where worker and queue errors go: the Redis outage monitor replaces the plain log (engine/runtime/redis-outage.ts). */
export type ErrorSink = (e: Error, source: string) => void;

/**
 * The engine's services carried by BullMQ: `tasks` runs workflows, `orders` hands intents to the
 * order executor one at a time across every process (global concurrency 1), fills enqueue the
 * `on: [fill]` tasks once per execution. This class is transport only: the services come from
 * runtime/services.ts, the order path is execution/order-executor.ts.
 */
export class EngineRuntime {
  readonly services: EngineServices;
  readonly tasks: Queue;
  readonly orders: Queue;
  readonly flows: FlowProducer;
  readonly context: WorkflowContext;
  /** Fails the journal closed at run time: halts entries, keeps exits (engine/runtime/journal-guard.ts). */
  readonly journalGuard: JournalGuard;
  /** The monitor's watchdog; `run`/`worker` start its timer, health_check reads it. */
  readonly watchdog: Watchdog;
  private errorSink: ErrorSink;
  private readonly workers: Worker[] = [];
  /** Workers block on their own connections; BullMQ does not close connections it was handed. */
  private readonly own: Redis[] = [];
  private readonly pending = new Set<Promise<unknown>>();
  /** Aborted by stop(): order walks apply `orders.on_shutdown` at once. */
  private readonly stopping = new AbortController();
  private readonly ownership: OrderOwnership;
  private sweepTimer: NodeJS.Timeout | null = null;
  private sweeping: Promise<unknown> | null = null;
  private reconnects = 0;
  /** The maintenance window the last connection loss fell in (the restore then says so). */
  private lostInWindow: string | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly o: RuntimeOptions) {
    checkPrefix(o.prefix);
    this.errorSink = (e, source) => o.log(`${source} error: ${e.message}`);
    this.services = buildServices(o);
    const connection = o.redis;
    this.tasks = new Queue(TASKS_QUEUE, { connection, prefix: o.prefix });
    this.orders = new Queue(ORDERS_QUEUE, { connection, prefix: o.prefix });
    this.flows = new FlowProducer({ connection, prefix: o.prefix });
    this.ownership = new OrderOwnership(this.orders, o.db);
    this.journalGuard = new JournalGuard({ db: o.db, killSwitch: this.services.risk.killSwitch, alerts: this.services.alerts, clock: o.clock, log: o.log, afterRelease: () => this.afterJournalRoom() });
    // Alerts are kept in the journal for the dashboard, never at the cost of what the journal is
    // for: not while it fails (its released reserve is for closing positions), and a failed write
    // is the guard's to act on, as any other.
    const kept = new AlertsRepo(o.db);
    this.services.alerts.keepIn((a) => {
      if (this.journalGuard.failed) return;
      try {
        kept.record({ at: a.at, kind: a.kind, severity: a.severity, message: a.message });
      } catch (e) {
        this.journalGuard.inspect(e);
      }
    });
    this.watchdog = new Watchdog({ db: o.db, config: o.config.schedules.watchdog, clock: o.clock, alerts: this.services.alerts, log: o.log });
    this.tasks.on('error', (e: Error) => this.errorSink(e, 'tasks queue'));
    this.orders.on('error', (e: Error) => this.errorSink(e, 'orders queue'));
    this.flows.on('error', (e: Error) => this.errorSink(e, 'flows'));
    const submit = submitThrough(this.services.executor, dispatchToQueue(this.orders, o.clock));
    this.context = {
      ...this.services.context(submit, queueProbe(() => o.redis.ping(), this.tasks, this.orders, o.config.schedules)),
      guards: { watchdog: () => this.watchdog.status(), journal: () => this.journalGuard.status() },
    };
  }

  get config(): CompiledConfig {
    return this.o.config;
  }

  get clock(): Clock {
    return this.o.clock;
  }

  get db(): Db {
    return this.o.db;
  }

  /** Routes worker and queue errors (the Redis outage monitor counts connection errors instead of printing each). */
  setErrorSink(sink: ErrorSink): void {
    this.errorSink = sink;
  }

  /**
   * The reserve made room after a failed write: an order job that failed mid-way (its fill not
   * journaled) is settled from the broker's record by a reconcile, and the positions are looked at now.
   */
  private afterJournalRoom(): void {
    void this.queueReconcile('journal').catch((err: unknown) => this.o.log(`could not queue the reconcile after the journal failure: ${String(err)}`));
    this.monitorNow('the journal reserve was released');
  }

  /** An immediate ad-hoc unified_monitor (after the journal reserve made room again). */
  private monitorNow(why: string): void {
    const t = this.o.config.schedules.tasks.find((x) => x.name === 'unified_monitor' && x.enabled);
    if (!t) return;
    const now = this.o.clock.now();
    const data: TaskJobData = { task: t.name, config_hash: this.o.config.hash, scheduled_for: now, params: {} };
    this.track(
      this.tasks.add(t.name, data, { jobId: `adhoc-${t.name}-${now}-journal`, priority: 1, attempts: 1, ...RETENTION }).then(
        () => this.o.log(`unified_monitor queued now: ${why}`),
        (err: unknown) => this.o.log(`could not queue unified_monitor (${why}): ${String(err)}`),
      ),
    );
  }

  get redis(): Redis {
    return this.o.redis;
  }

  get risk(): RiskGate {
    return this.services.risk;
  }

  get alerts(): AlertManager {
    return this.services.alerts;
  }

  get executor(): OrderExecutor {
    return this.services.executor;
  }

  /** The maintenance windows in force, or null when the engine does not run against IB. */
  get maintenance(): MaintenanceSchedule | null {
    return this.o.maintenance ? { windows: this.o.config.schedules.broker_maintenance, timezone: this.o.config.schedules.timezone } : null;
  }

  /** Runs one tasks job in this process (the workers' path; also the dry run's). */
  runTask(job: TaskJobLike): Promise<TaskOutcome> {
    return processTask({ config: this.o.config, clock: this.o.clock, db: this.o.db, workflows: this.services.workflows, context: this.context, flows: this.flows, queueName: TASKS_QUEUE, maintenance: this.maintenance, admit: (task) => this.journalGuard.admit(task) }, job);
  }

  /** A task deferred by a maintenance window runs once after it (see enqueueAfterWindow). */
  private async afterTask(job: Job, outcome: TaskOutcome): Promise<void> {
    const task = this.o.config.schedules.tasks.find((t) => t.name === job.name);
    if (outcome.status !== 'deferred' || outcome.until === undefined || !task) return;
    const data = job.data as Partial<TaskJobData>;
    const id = await enqueueAfterWindow(this.tasks, task, { task: task.name, config_hash: data.config_hash ?? this.o.config.hash, scheduled_for: outcome.until, params: data.params ?? {} }, outcome.until, this.o.clock.now(), job.id);
    this.o.log(`${task.name}: deferred to ${new Date(outcome.until).toISOString()} as ${id}`);
  }

  /** No order is sent inside a maintenance window: the job waits for its end, its intent still pending. */
  private async orderJob(job: Job<OrderJobData>, token: string | undefined, signal: AbortSignal): Promise<unknown> {
    if (job.name === RECONCILE_JOB) return this.reconcileAndResume('reconnect');
    const m = this.maintenance;
    const window = m ? maintenanceAt(m.windows, m.timezone, this.o.clock.now()) : null;
    if (m && window) {
      this.o.log(`order ${intentIdOf(job.data)} not sent: broker maintenance window ${describeWindow(window, m.timezone)}; it waits for the end`);
      return delayOrderJob(job, token, window.end_ms, this.o.clock.now());
    }
    return runOrderJob(this.services.executor, job, signal);
  }

  /** Settles intents from the broker's record, then gives every active intent a live job. */
  async reconcileAndResume(why: string): Promise<string> {
    const report = await this.services.executor.reconcile();
    const sweep = await this.ownership.sweep(this.o.clock.now(), true);
    await this.reportSweep({ ...sweep, queued: [], retried: [] });
    const line = `reconciled (${why}): ${report.resolved.length} intents resolved, ${report.working.length} still working, ${sweep.queued.length + sweep.adopted.length + sweep.retried.length} re-queued, ${report.orphans.length} broker orders not ours (left alone)`;
    if (report.resolved.length + report.orphans.length + sweep.queued.length + sweep.adopted.length + sweep.retried.length > 0 || why !== 'start') this.o.log(line);
    return line;
  }

  /**
   * Starts the workers. The orders side first reconciles with the broker and re-queues what the
   * journal has not resolved, before any new order; then it sweeps for orphaned intents every few
   * seconds, so an order whose worker died is adopted by a surviving one.
   */
  async start(which: { readonly tasks: boolean; readonly orders: boolean } = { tasks: true, orders: true }): Promise<void> {
    const { prefix } = this.o;
    // Workflows read the broker too (positions, account): both sides need it connected.
    await this.o.broker.connect();
    this.journalGuard.prepare();
    if (which.orders) {
      await this.reconcileAndResume('start');
      await this.orders.setGlobalConcurrency(1);
      this.unsubscribe = this.o.broker.onEvent((e) => this.onBrokerEvent(e));
      const signal = this.stopping.signal;
      this.workers.push(
        new Worker(ORDERS_QUEUE, (job: Job<OrderJobData>, token?: string) => this.orderJob(job, token, signal), {
          connection: this.dup(),
          prefix,
          concurrency: 1,
          maxStalledCount: 0,
          lockDuration: ORDER_LOCK_MS,
          stalledInterval: ORDER_STALLED_INTERVAL_MS,
          runRetryDelay: WORKER_RETRY_DELAY_MS,
        }),
      );
      this.sweepTimer = setInterval(() => this.sweepOnce(), OWNERSHIP_SWEEP_MS);
      this.sweepTimer.unref();
    }
    if (which.tasks) {
      // Redis keeps the outcome line only; the plan and report live in the journal.
      this.workers.push(
        new Worker(
          TASKS_QUEUE,
          async (job: Job) => {
            const outcome = await this.runTask(job as never);
            await this.afterTask(job, outcome);
            return { status: outcome.status, summary: outcome.summary };
          },
          { connection: this.dup(), prefix, concurrency: 1, runRetryDelay: WORKER_RETRY_DELAY_MS },
        ),
      );
    }
    for (const w of this.workers) {
      w.on('error', (e) => this.errorSink(e, 'worker'));
      // A job that failed because the journal did (disk full, I/O error) trips the guard, wherever it failed.
      w.on('failed', (_job, err) => this.journalGuard.inspect(err));
      await w.waitUntilReady();
    }
  }

  private sweepOnce(): void {
    if (this.sweeping || this.stopping.signal.aborted) return;
    this.sweeping = this.ownership
      .sweep(this.o.clock.now())
      .then((s) => this.reportSweep(s))
      .catch((e: unknown) => this.o.log(`order ownership sweep failed: ${String(e)}`))
      .finally(() => {
        this.sweeping = null;
      });
  }

  private async reportSweep(s: SweepReport): Promise<void> {
    for (const id of s.adopted) {
      this.o.log(`adopting intent ${id}: its order job lost its owner (worker died or stopped); resuming it from the broker's record`);
      await this.services.alerts.raise({ severity: 'warning', kind: 'order_adopted', message: `intent ${id} was adopted by this worker after its previous owner stopped; the walk resumes from the broker's record` });
    }
    if (s.queued.length > 0) this.o.log(`queued ${s.queued.length} journaled intents that had no job: ${s.queued.join(', ')}`);
    if (s.retried.length > 0) this.o.log(`retrying ${s.retried.length} order jobs that failed: ${s.retried.join(', ')}`);
  }

  /** Worker connections block, so they get BullMQ's blocking profile (no offline-queue refusal, a deadline longer than any block). */
  private dup(): Redis {
    const c = this.o.redis.duplicate(BLOCKING_OVERRIDES);
    this.own.push(c);
    return c;
  }

  private track(p: Promise<unknown>): void {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  private onBrokerEvent(e: BrokerEvent): void {
    if (e.type === 'connection_lost') {
      // IB Gateway's nightly restart and IB's maintenance drop the link by design: expected, not an error.
      const m = this.maintenance;
      const window = m ? maintenanceAt(m.windows, m.timezone, this.o.clock.now(), MAINTENANCE_SLACK_MS) : null;
      this.lostInWindow = m && window ? describeWindow(window, m.timezone) : null;
      if (this.lostInWindow) void this.services.alerts.raise({ severity: 'info', kind: 'broker_connection', message: `broker connection lost in maintenance window ${this.lostInWindow}: expected; reconnecting, orders wait until it is back and reconciled` });
      else void this.services.alerts.raise({ severity: 'error', kind: 'broker_connection', message: `broker connection lost: ${e.detail}; orders wait until it is back and reconciled` });
      return;
    }
    if (e.type === 'connection_restored') {
      // What happened while the link was down is unknown: a reconcile job goes to the front of the
      // orders queue, so the one orders worker runs it before any new order.
      void this.queueReconcile('broker').catch((err: unknown) => this.o.log(`could not queue the reconcile after reconnect: ${String(err)}`));
      const after = this.lostInWindow ? ` after maintenance window ${this.lostInWindow} (expected)` : '';
      this.lostInWindow = null;
      void this.services.alerts.raise({ severity: 'info', kind: 'broker_connection', message: `broker connection restored${after}${e.data_lost ? ' (data lost: resubscribing)' : ''}; reconciling before any new order` });
      return;
    }
    if (e.type !== 'execution') return;
    for (const j of fillTaskJobs(this.o.config, e.execution, this.o.clock.now())) {
      this.track(this.tasks.add(j.name, j.data, { jobId: j.jobId, priority: j.priority, attempts: j.attempts, ...RETENTION }).catch((err: unknown) => this.o.log(`could not enqueue ${j.name} after fill: ${String(err)}`)));
    }
  }

  /**
   * Puts a reconcile job at the front of the orders queue (after the broker or Redis came back: a
   * non-persistent Redis lost the queued intents, which the reconcile re-queues from the journal;
   * after the journal failed a write mid-order).
   */
  queueReconcile(after: 'broker' | 'redis' | 'journal'): Promise<unknown> {
    const p = this.orders.add(RECONCILE_JOB, {}, { jobId: safeJobId(`reconcile@${this.o.clock.now()}-${after}-${++this.reconnects}`), priority: 1, attempts: 1, ...RETENTION });
    this.track(p.catch(() => undefined));
    return p;
  }

  /** Waits until every fill-triggered enqueue has reached Redis. */
  async flushEvents(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  /**
   * Two deadlines. At once: no new jobs, and order walks stop (cancelled or left resting for
   * adoption, per `orders.on_shutdown`). Within `graceMs`: running jobs finish; after it the
   * workers are force-closed. Then the queues and connections close.
   */
  async stop(graceMs = 30_000): Promise<void> {
    this.unsubscribe?.();
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.watchdog.stop();
    this.journalGuard.stop();
    this.stopping.abort();
    const closing = Promise.all(this.workers.map((w) => w.close()));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([closing.then(() => false), new Promise<boolean>((r) => (timer = setTimeout(() => r(true), graceMs)))]);
    clearTimeout(timer);
    if (timedOut) {
      this.o.log(`jobs still running after ${Math.round(graceMs / 1000)} s: forcing the workers closed`);
      await Promise.all(this.workers.map((w) => w.close(true)));
    }
    await this.sweeping;
    await this.flushEvents();
    await Promise.all([this.tasks.close(), this.orders.close(), this.flows.close()]);
    for (const c of this.own) c.disconnect();
  }
}
