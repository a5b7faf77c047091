import { FlowProducer, Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { AlertManager } from '../alerts/alert-manager';
import type { AlertChannel } from '../alerts/alert';
import type { CompiledConfig, TaskName } from '../config/types';
import type { Broker } from '../execution/broker';
import type { BrokerEvent } from '../model/broker-records';
import { OrderManager, type IntentOutcome } from '../execution/order-manager';
import type { MarketData } from '../market/market-data';
import type { TaskJobData } from '../queue/job-guard';
import { processOrder } from '../queue/order-processor';
import { requeueUnresolved, submitIntent, type OrderJobData } from '../queue/orders-queue';
import { ORDERS_QUEUE, RETENTION, TASKS_QUEUE, checkPrefix, safeJobId } from '../queue/queue-names';
import { BLOCKING_OVERRIDES } from '../queue/redis-connection';
import { processTask, type TaskOutcome } from '../queue/task-processor';
import { RiskGate } from '../risk/risk-gate';
import type { Clock } from '../shared/clock';
import type { Db } from '../store/journal';
import type { QueueProbe, Workflow, WorkflowContext } from '../workflows/workflow-context';
import { WORKFLOWS } from '../workflows/registry';
import { JournalGuard } from './journal-guard';
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
  /** The order manager's wait between price steps (real time live, virtual time in the demo). */
  readonly sleep: (ms: number) => Promise<void>;
  readonly alertChannels?: readonly AlertChannel[];
  readonly workflows?: Readonly<Partial<Record<TaskName, Workflow>>>;
}

/**
 * The engine assembled around BullMQ: `tasks` runs workflows, `orders` runs intents one at a time
 * across every process (global concurrency 1, never re-run when stalled), fills enqueue the
 * `on: [fill]` tasks once per execution. Everything else is a port handed in.
 */
/** The orders-queue job that reconciles with the broker after a reconnect (no intent). */
const RECONCILE_JOB = 'reconcile';

/** After a failed fetch a worker waits this long (BullMQ's default is 15 s): back within seconds of Redis. */
const WORKER_RETRY_DELAY_MS = 1_000;

/** Where worker and queue errors go: the Redis outage monitor replaces the plain log (engine/runtime/redis-outage.ts). */
export type ErrorSink = (e: Error, source: string) => void;

export class EngineRuntime {
  readonly tasks: Queue;
  readonly orders: Queue;
  readonly flows: FlowProducer;
  readonly risk: RiskGate;
  readonly alerts: AlertManager;
  readonly orderManager: OrderManager;
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
  private reconnects = 0;
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly o: RuntimeOptions) {
    checkPrefix(o.prefix);
    this.errorSink = (e, source) => o.log(`${source} error: ${e.message}`);
    const connection = o.redis;
    this.tasks = new Queue(TASKS_QUEUE, { connection, prefix: o.prefix });
    this.orders = new Queue(ORDERS_QUEUE, { connection, prefix: o.prefix });
    this.flows = new FlowProducer({ connection, prefix: o.prefix });
    this.alerts = new AlertManager(o.config.strategies.alerts, o.clock, o.log, o.alertChannels ?? []);
    this.risk = new RiskGate({ db: o.db, broker: o.broker, config: o.config, clock: o.clock, alerts: this.alerts });
    this.journalGuard = new JournalGuard({ db: o.db, killSwitch: this.risk.killSwitch, alerts: this.alerts, clock: o.clock, log: o.log, afterRelease: () => this.afterJournalRoom() });
    this.watchdog = new Watchdog({ db: o.db, config: o.config.schedules.watchdog, clock: o.clock, alerts: this.alerts, log: o.log });
    this.tasks.on('error', (e: Error) => this.errorSink(e, 'tasks queue'));
    this.orders.on('error', (e: Error) => this.errorSink(e, 'orders queue'));
    this.flows.on('error', (e: Error) => this.errorSink(e, 'flows'));
    this.orderManager = new OrderManager({ db: o.db, broker: o.broker, market: o.market, orders: o.config.strategies.orders, clock: o.clock, sleep: o.sleep });
    this.context = {
      config: o.config,
      clock: o.clock,
      market: o.market,
      broker: o.broker,
      db: o.db,
      submit: (intent) => submitIntent(this.orders, o.db, intent, o.clock.now()),
      risk: this.risk,
      alerts: this.alerts,
      queue: this.probe(),
      guards: { watchdog: () => this.watchdog.status(), journal: () => this.journalGuard.status() },
      log: o.log,
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
    const p = this.tasks.add(t.name, data, { jobId: `adhoc-${t.name}-${now}-journal`, priority: 1, attempts: 1, ...RETENTION }).then(
      () => this.o.log(`unified_monitor queued now: ${why}`),
      (err: unknown) => this.o.log(`could not queue unified_monitor (${why}): ${String(err)}`),
    );
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  /** The Redis connection the queues use (blocking readers take a duplicate). */
  get redis(): Redis {
    return this.o.redis;
  }

  get workflows(): Readonly<Partial<Record<TaskName, Workflow>>> {
    return this.o.workflows ?? WORKFLOWS;
  }

  /** Runs one tasks job in this process (the workers' path; also the dry run's). */
  runTask(job: Parameters<typeof processTask>[1]): Promise<TaskOutcome> {
    return processTask({ config: this.o.config, clock: this.o.clock, db: this.o.db, workflows: this.workflows, context: this.context, flows: this.flows, queueName: TASKS_QUEUE, admit: (task) => this.journalGuard.admit(task) }, job);
  }

  /** After a reconnect: settle intents from the broker's record, then resume the unresolved ones. */
  async reconcileAndResume(): Promise<string> {
    const report = await this.orderManager.reconcile();
    const requeued = await requeueUnresolved(this.orders, this.o.db, this.o.clock.now());
    const line = `reconciled after reconnect: ${report.resolved.length} intents resolved, ${report.working.length} still working, ${requeued.length} re-queued, ${report.orphans.length} broker orders not ours`;
    this.o.log(line);
    return line;
  }

  runOrder(data: OrderJobData): Promise<IntentOutcome> {
    return processOrder({ db: this.o.db, clock: this.o.clock, orders: this.orderManager, risk: this.risk, alerts: this.alerts, configHash: this.o.config.hash }, data);
  }

  /**
   * Starts the workers. The orders side first reconciles with the broker and re-queues what the
   * journal has not resolved, before any new order.
   */
  async start(which: { readonly tasks: boolean; readonly orders: boolean } = { tasks: true, orders: true }): Promise<void> {
    const { prefix } = this.o;
    // Workflows read the broker too (positions, account): both sides need it connected.
    await this.o.broker.connect();
    this.journalGuard.prepare();
    if (which.orders) {
      const report = await this.orderManager.reconcile();
      if (report.resolved.length + report.orphans.length > 0) this.o.log(`reconciled: ${report.resolved.length} intents resolved, ${report.orphans.length} broker orders not ours (left alone)`);
      const requeued = await requeueUnresolved(this.orders, this.o.db, this.o.clock.now());
      if (requeued.length > 0) this.o.log(`re-queued ${requeued.length} unresolved intents`);
      await this.orders.setGlobalConcurrency(1);
      this.unsubscribe = this.o.broker.onEvent((e) => this.onBrokerEvent(e));
      this.workers.push(new Worker(ORDERS_QUEUE, (job: Job<OrderJobData>) => (job.name === RECONCILE_JOB ? this.reconcileAndResume() : this.runOrder(job.data)), { connection: this.dup(), prefix, concurrency: 1, maxStalledCount: 0, runRetryDelay: WORKER_RETRY_DELAY_MS }));
    }
    if (which.tasks) {
      // Redis keeps the outcome line only; the plan and report live in the journal.
      this.workers.push(new Worker(TASKS_QUEUE, async (job: Job) => {
        const { status, summary } = await this.runTask(job as never);
        return { status, summary };
      }, { connection: this.dup(), prefix, concurrency: 1, runRetryDelay: WORKER_RETRY_DELAY_MS }));
    }
    for (const w of this.workers) {
      w.on('error', (e) => this.errorSink(e, 'worker'));
      // A job that failed because the journal did (disk full, I/O error) trips the guard, wherever it failed.
      w.on('failed', (_job, err) => this.journalGuard.inspect(err));
      await w.waitUntilReady();
    }
  }

  /** Worker connections block, so they get BullMQ's blocking profile (no offline-queue refusal, a deadline longer than any block). */
  private dup(): Redis {
    const c = this.o.redis.duplicate(BLOCKING_OVERRIDES);
    this.own.push(c);
    return c;
  }

  private onBrokerEvent(e: BrokerEvent): void {
    if (e.type === 'connection_lost') {
      void this.alerts.raise({ severity: 'error', kind: 'broker_connection', message: `broker connection lost: ${e.detail}; orders wait until it is back and reconciled` });
      return;
    }
    if (e.type === 'connection_restored') {
      // What happened while the link was down is unknown: a reconcile job goes to the front of the
      // orders queue, so the one orders worker runs it before any new order.
      void this.queueReconcile('broker').catch((err: unknown) => this.o.log(`could not queue the reconcile after reconnect: ${String(err)}`));
      void this.alerts.raise({ severity: 'info', kind: 'broker_connection', message: `broker connection restored${e.data_lost ? ' (data lost: resubscribing)' : ''}; reconciling before any new order` });
      return;
    }
    if (e.type !== 'execution') return;
    for (const t of this.o.config.schedules.tasks.filter((x) => x.enabled && x.on.includes('fill'))) {
      const data: TaskJobData = { task: t.name, config_hash: this.o.config.hash, scheduled_for: this.o.clock.now(), params: { exec_id: e.execution.exec_id, order_ref: e.execution.order_ref } };
      // One job per execution: a replayed execution event adds nothing.
      const p = this.tasks.add(t.name, data, { jobId: safeJobId(`${t.name}@fill-${e.execution.exec_id}`), priority: t.priority, attempts: t.max_attempts, ...RETENTION }).catch((err: unknown) => this.o.log(`could not enqueue ${t.name} after fill: ${String(err)}`));
      this.pending.add(p);
      void p.finally(() => this.pending.delete(p));
    }
  }

  /**
   * Puts a reconcile job at the front of the orders queue (after the broker or Redis came back: a
   * non-persistent Redis lost the queued intents, which the reconcile re-queues from the journal;
   * after the journal failed a write mid-order).
   */
  queueReconcile(after: 'broker' | 'redis' | 'journal'): Promise<unknown> {
    const p = this.orders.add(RECONCILE_JOB, {}, { jobId: safeJobId(`reconcile@${this.o.clock.now()}-${after}-${++this.reconnects}`), priority: 1, attempts: 1, ...RETENTION });
    const settled = p.catch(() => undefined);
    this.pending.add(settled);
    void settled.finally(() => this.pending.delete(settled));
    return p;
  }

  /** Waits until every fill-triggered enqueue has reached Redis. */
  async flushEvents(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  /** Resolves when both queues have nothing waiting, delayed or active (fill-triggered jobs included). */
  waitIdle(timeoutMs = 60_000): Promise<void> {
    return this.waitSettled(() => 0, timeoutMs);
  }

  /**
   * Resolves when the tasks queue is idle and the orders queue is idle or its active job is one of
   * `asleep()` sleepers on virtual time (what it has waiting queues behind it, concurrency 1).
   */
  async waitSettled(asleep: () => number, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    // Jobs of one queue add jobs to the other (fills enqueue sync tasks, entries enqueue orders)
    // between two reads: only two quiet passes in a row prove nothing is still in flight.
    let quietPasses = 0;
    for (;;) {
      const q = await this.orders.getJobCounts('waiting', 'prioritized', 'active', 'delayed');
      await this.flushEvents();
      const t = await this.tasks.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'waiting-children');
      const ordersQuiet = q.active === asleep() && (q.active! > 0 || (q.waiting === 0 && q.prioritized === 0 && q.delayed === 0));
      quietPasses = Object.values(t).every((n) => n === 0) && ordersQuiet ? quietPasses + 1 : 0;
      if (quietPasses >= 2) return;
      if (Date.now() > deadline) throw new Error(`queues still busy after ${timeoutMs} ms: ${JSON.stringify({ tasks: t, orders: q })}`);
      if (quietPasses === 0) await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Stops fetching, lets running jobs finish within `graceMs`, then force-closes; closes the queues. */
  async stop(graceMs = 30_000): Promise<void> {
    this.unsubscribe?.();
    this.watchdog.stop();
    this.journalGuard.stop();
    const closing = Promise.all(this.workers.map((w) => w.close()));
    const timedOut = await Promise.race([closing.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), graceMs).unref())]);
    if (timedOut) {
      this.o.log(`jobs still running after ${Math.round(graceMs / 1000)} s: forcing the workers closed`);
      await Promise.all(this.workers.map((w) => w.close(true)));
    }
    await this.flushEvents();
    await Promise.all([this.tasks.close(), this.orders.close(), this.flows.close()]);
    for (const c of this.own) c.disconnect();
  }

  probe(): QueueProbe {
    return {
      ping: async () => {
        await this.o.redis.ping();
      },
      counts: async () => ({
        tasks: await this.tasks.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'waiting-children', 'failed', 'completed'),
        orders: await this.orders.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed', 'completed'),
      }),
      // BullMQ stamps jobs with wall-clock time, so they are measured against it (not the engine's clock, virtual in the demo).
      stuck: async () => {
        const wall = Date.now();
        const out: Array<{ queue: string; id: string; task: string; running_s: number }> = [];
        for (const [name, q] of [[TASKS_QUEUE, this.tasks], [ORDERS_QUEUE, this.orders]] as const) {
          for (const j of await q.getActive()) {
            const task = this.o.config.schedules.tasks.find((t) => t.name === j.name);
            const limit = task?.timeout_ms ?? 15 * 60_000;
            const running = wall - (j.processedOn ?? wall);
            if (running > limit) out.push({ queue: name, id: j.id ?? '?', task: j.name, running_s: Math.round(running / 1000) });
          }
        }
        return out;
      },
    };
  }
}
