import { UnrecoverableError } from 'bullmq';
import type { CompiledConfig } from '../config/types';
import { submitThrough } from '../execution/submit';
import type { BrokerEvent } from '../model/broker-records';
import { fillTaskJobs } from '../queue/fill-tasks';
import type { TaskJobData } from '../queue/job-guard';
import { runOrderJob } from '../queue/order-job';
import { orderPriority, type OrderJobData } from '../queue/orders-queue';
import { TASKS_QUEUE, safeJobId } from '../queue/queue-names';
import { processTask, type TaskOutcome } from '../queue/task-processor';
import { JournalGuard } from '../runtime/journal-guard';
import type { RuntimeOptions } from '../runtime/engine-runtime';
import { buildServices, type EngineServices } from '../runtime/services';
import { Watchdog } from '../runtime/watchdog';
import { errorMessage } from '../shared/errors';
import { IntentsRepo } from '../store/intents-repo';
import type { WorkflowContext } from '../workflows/workflow-context';
import { InProcessQueue, type InProcessJob } from './in-process-queue';

export type InProcessOptions = Omit<RuntimeOptions, 'redis' | 'prefix' | 'maintenance'>;

/** What a settled engine may still have in flight: order walks asleep on virtual time. */
const SETTLE_DEADLINE_MS = 60_000;

/**
 * The engine of `EngineRuntime` with its two queues in this process instead of Redis: the same
 * services (runtime/services.ts), the same task processor (guard, run journal, workflow, timeout),
 * the same order job (queue/order-job.ts → the order executor), the same fill fan-out
 * (queue/fill-tasks.ts) and the same journal guard. Only the transport differs: a tasks queue and
 * an orders queue with BullMQ's ordering and one worker each (in-process-queue.ts). No broker
 * maintenance windows (the sim has none) and no ownership sweep: nothing outlives this process.
 */
export class InProcessRuntime {
  readonly services: EngineServices;
  readonly context: WorkflowContext;
  readonly journalGuard: JournalGuard;
  readonly watchdog: Watchdog;
  private readonly tasks: InProcessQueue<TaskJobData>;
  private readonly orders: InProcessQueue<OrderJobData>;
  private readonly stopping = new AbortController();
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly o: InProcessOptions) {
    this.services = buildServices(o);
    this.journalGuard = new JournalGuard({ db: o.db, killSwitch: this.services.risk.killSwitch, alerts: this.services.alerts, clock: o.clock, log: o.log });
    this.watchdog = new Watchdog({ db: o.db, config: o.config.schedules.watchdog, clock: o.clock, alerts: this.services.alerts, log: o.log });
    const failed = (what: string) => (job: InProcessJob<unknown>, e: unknown, final: boolean): void => {
      this.journalGuard.inspect(e);
      if (final) o.log(`${what} ${job.id} failed: ${errorMessage(e)}`);
    };
    this.tasks = new InProcessQueue<TaskJobData>({
      process: (job) => processTask({ config: o.config, clock: o.clock, db: o.db, workflows: this.services.workflows, context: this.context, flows: null, queueName: TASKS_QUEUE, maintenance: null, admit: (task) => this.journalGuard.admit(task) }, { id: job.id, name: job.name, data: job.data, timestamp: o.clock.now(), opts: {} }),
      retryable: (e) => !(e instanceof UnrecoverableError),
      onFailed: failed('task'),
    });
    this.orders = new InProcessQueue<OrderJobData>({
      process: (job) => runOrderJob(this.services.executor, job, this.stopping.signal),
      // An order job is never re-run by itself (maxStalledCount 0, attempts 1 on the BullMQ path).
      retryable: () => false,
      onFailed: failed('order'),
    });
    const submit = submitThrough(this.services.executor, async (intent) => {
      this.orders.add('order', { intent_id: intent.id, kind: intent.kind, symbol: intent.symbol, submitted_at: o.clock.now() }, { jobId: safeJobId(intent.id), priority: orderPriority(intent) });
    });
    // No queue to probe: health_check says so ("not checked") rather than report a Redis that is not there.
    this.context = { ...this.services.context(submit, null), guards: { watchdog: () => this.watchdog.status(), journal: () => this.journalGuard.status() } };
  }

  get config(): CompiledConfig {
    return this.o.config;
  }

  /** Connects the broker, reconciles with it and queues every intent the journal left active (as `EngineRuntime.start`). */
  async start(): Promise<void> {
    await this.o.broker.connect();
    this.journalGuard.prepare();
    await this.services.executor.reconcile();
    for (const rec of new IntentsRepo(this.o.db).active()) this.orders.add('order', { intent_id: rec.id, kind: rec.kind, symbol: rec.symbol, submitted_at: this.o.clock.now() }, { jobId: safeJobId(rec.id), priority: orderPriority(rec) });
    this.unsubscribe = this.o.broker.onEvent((e) => this.onBrokerEvent(e));
  }

  /** Queues a tasks job (false when its id was queued before). */
  addTask(name: string, data: TaskJobData, opts: { readonly jobId: string; readonly priority: number; readonly attempts?: number }): boolean {
    return this.tasks.add(name, data, opts);
  }

  /** How the job ended: the processor's outcome, or `failed` with the error. */
  taskOutcome(jobId: string): { readonly status: string; readonly summary: string } {
    const r = this.tasks.outcome(jobId);
    if (!r) return { status: 'unknown', summary: `job ${jobId} has not finished` };
    if (!r.ok) return { status: 'failed', summary: errorMessage(r.value) };
    const out = r.value as TaskOutcome;
    return { status: out.status, summary: out.summary };
  }

  /**
   * Resolves when the tasks queue is idle and the orders queue is idle or its running job is one
   * of `asleep()` sleepers on virtual time: the meaning of settled of backtest/queue-settle.ts,
   * without Redis round trips (everything in flight is in this process: a macrotask turn lets it move).
   */
  async settle(asleep: () => number = () => 0): Promise<void> {
    const deadline = Date.now() + SETTLE_DEADLINE_MS;
    let quiet = 0;
    for (;;) {
      await new Promise<void>((r) => setImmediate(r));
      const q = this.orders.counts();
      const ordersQuiet = this.orders.idle || (q.active === 1 && asleep() >= 1 && q.waiting >= 0);
      quiet = this.tasks.idle && ordersQuiet ? quiet + 1 : 0;
      if (quiet >= 2) return;
      if (Date.now() > deadline) throw new Error(`in-process queues still busy after ${SETTLE_DEADLINE_MS} ms: tasks ${JSON.stringify(this.tasks.counts())}, orders ${JSON.stringify(q)}`);
    }
  }

  private onBrokerEvent(e: BrokerEvent): void {
    if (e.type !== 'execution') return;
    for (const j of fillTaskJobs(this.o.config, e.execution, this.o.clock.now())) this.tasks.add(j.name, j.data, { jobId: j.jobId, priority: j.priority, attempts: j.attempts });
  }

  /** Order walks stop at once (`orders.on_shutdown`), then no job is picked any more. */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.watchdog.stop();
    this.journalGuard.stop();
    this.stopping.abort();
    await this.settle();
    this.tasks.close();
    this.orders.close();
  }
}
