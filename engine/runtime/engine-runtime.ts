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
import { ORDERS_QUEUE, RETENTION, TASKS_QUEUE, safeJobId } from '../queue/queue-names';
import { processTask, type TaskOutcome } from '../queue/task-processor';
import type { MaintenanceSchedule } from '../queue/job-guard';
import { delayOrderJob, enqueueAfterWindow } from '../queue/maintenance-deferral';
import { describeWindow, maintenanceAt } from '../config/maintenance-window';
import { RiskGate } from '../risk/risk-gate';
import type { Clock } from '../shared/clock';
import type { Db } from '../store/journal';
import type { QueueProbe, Workflow, WorkflowContext } from '../workflows/workflow-context';
import { WORKFLOWS } from '../workflows/registry';

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
  /** Honour schedules.yaml's broker_maintenance windows (the engine runs against IB). Default false. */
  readonly maintenance?: boolean;
}

/** A drop this close to a window's edges is the window's own (clocks and restarts are not exact). */
const MAINTENANCE_SLACK_MS = 2 * 60_000;

/**
 * The engine assembled around BullMQ: `tasks` runs workflows, `orders` runs intents one at a time
 * across every process (global concurrency 1, never re-run when stalled), fills enqueue the
 * `on: [fill]` tasks once per execution. Everything else is a port handed in.
 */
/** The orders-queue job that reconciles with the broker after a reconnect (no intent). */
const RECONCILE_JOB = 'reconcile';

export class EngineRuntime {
  readonly tasks: Queue;
  readonly orders: Queue;
  readonly flows: FlowProducer;
  readonly risk: RiskGate;
  readonly alerts: AlertManager;
  readonly orderManager: OrderManager;
  readonly context: WorkflowContext;
  private readonly workers: Worker[] = [];
  /** Workers block on their own connections; BullMQ does not close connections it was handed. */
  private readonly own: Redis[] = [];
  private readonly pending = new Set<Promise<unknown>>();
  private reconnects = 0;
  /** The maintenance window the last connection loss fell in (the restore then says so). */
  private lostInWindow: string | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly o: RuntimeOptions) {
    const connection = o.redis;
    this.tasks = new Queue(TASKS_QUEUE, { connection, prefix: o.prefix });
    this.orders = new Queue(ORDERS_QUEUE, { connection, prefix: o.prefix });
    this.flows = new FlowProducer({ connection, prefix: o.prefix });
    this.alerts = new AlertManager(o.config.strategies.alerts, o.clock, o.log, o.alertChannels ?? []);
    this.risk = new RiskGate({ db: o.db, broker: o.broker, config: o.config, clock: o.clock, alerts: this.alerts });
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
      log: o.log,
    };
  }

  /** The Redis connection the queues use (blocking readers take a duplicate). */
  get redis(): Redis {
    return this.o.redis;
  }

  get workflows(): Readonly<Partial<Record<TaskName, Workflow>>> {
    return this.o.workflows ?? WORKFLOWS;
  }

  /** The maintenance windows in force, or null when the engine does not run against IB. */
  get maintenance(): MaintenanceSchedule | null {
    return this.o.maintenance ? { windows: this.o.config.schedules.broker_maintenance, timezone: this.o.config.schedules.timezone } : null;
  }

  /** Runs one tasks job in this process (the workers' path; also the dry run's). */
  runTask(job: Parameters<typeof processTask>[1]): Promise<TaskOutcome> {
    return processTask({ config: this.o.config, clock: this.o.clock, db: this.o.db, workflows: this.workflows, context: this.context, flows: this.flows, queueName: TASKS_QUEUE, maintenance: this.maintenance }, job);
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
  private async orderJob(job: Job<OrderJobData>, token: string | undefined): Promise<unknown> {
    if (job.name === RECONCILE_JOB) return this.reconcileAndResume();
    const m = this.maintenance;
    const window = m ? maintenanceAt(m.windows, m.timezone, this.o.clock.now()) : null;
    if (m && window) {
      this.o.log(`order ${job.data.intent.id} not sent: broker maintenance window ${describeWindow(window, m.timezone)}; it waits for the end`);
      return delayOrderJob(job, token, window.end_ms);
    }
    return this.runOrder(job.data);
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
    if (which.orders) {
      const report = await this.orderManager.reconcile();
      if (report.resolved.length + report.orphans.length > 0) this.o.log(`reconciled: ${report.resolved.length} intents resolved, ${report.orphans.length} broker orders not ours (left alone)`);
      const requeued = await requeueUnresolved(this.orders, this.o.db, this.o.clock.now());
      if (requeued.length > 0) this.o.log(`re-queued ${requeued.length} unresolved intents`);
      await this.orders.setGlobalConcurrency(1);
      this.unsubscribe = this.o.broker.onEvent((e) => this.onBrokerEvent(e));
      this.workers.push(new Worker(ORDERS_QUEUE, (job: Job<OrderJobData>, token?: string) => this.orderJob(job, token), { connection: this.dup(), prefix, concurrency: 1, maxStalledCount: 0 }));
    }
    if (which.tasks) {
      // Redis keeps the outcome line only; the plan and report live in the journal.
      this.workers.push(new Worker(TASKS_QUEUE, async (job: Job) => {
        const outcome = await this.runTask(job as never);
        await this.afterTask(job, outcome);
        return { status: outcome.status, summary: outcome.summary };
      }, { connection: this.dup(), prefix, concurrency: 1 }));
    }
    for (const w of this.workers) {
      w.on('error', (e) => this.o.log(`worker error: ${e.message}`));
      await w.waitUntilReady();
    }
  }

  private dup(): Redis {
    const c = this.o.redis.duplicate();
    this.own.push(c);
    return c;
  }

  private onBrokerEvent(e: BrokerEvent): void {
    if (e.type === 'connection_lost') {
      // IB Gateway's nightly restart and IB's maintenance drop the link by design: expected, not an error.
      const m = this.maintenance;
      const window = m ? maintenanceAt(m.windows, m.timezone, this.o.clock.now(), MAINTENANCE_SLACK_MS) : null;
      this.lostInWindow = m && window ? describeWindow(window, m.timezone) : null;
      if (this.lostInWindow) void this.alerts.raise({ severity: 'info', kind: 'broker_connection', message: `broker connection lost in maintenance window ${this.lostInWindow}: expected; reconnecting, orders wait until it is back and reconciled` });
      else void this.alerts.raise({ severity: 'error', kind: 'broker_connection', message: `broker connection lost: ${e.detail}; orders wait until it is back and reconciled` });
      return;
    }
    if (e.type === 'connection_restored') {
      // What happened while the link was down is unknown: a reconcile job goes to the front of the
      // orders queue, so the one orders worker runs it before any new order.
      const p = this.orders.add(RECONCILE_JOB, {}, { jobId: safeJobId(`reconcile@${this.o.clock.now()}-${++this.reconnects}`), priority: 1, attempts: 1, ...RETENTION }).catch((err: unknown) => this.o.log(`could not queue the reconcile after reconnect: ${String(err)}`));
      this.pending.add(p);
      void p.finally(() => this.pending.delete(p));
      const after = this.lostInWindow ? ` after maintenance window ${this.lostInWindow} (expected)` : '';
      this.lostInWindow = null;
      void this.alerts.raise({ severity: 'info', kind: 'broker_connection', message: `broker connection restored${after}${e.data_lost ? ' (data lost: resubscribing)' : ''}; reconciling before any new order` });
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
