import { PaperBroker } from '../../engine/adapters/sim/paper-broker';
import { SimMarket } from '../../engine/adapters/sim/sim-market';
import type { CompiledConfig, TaskName } from '../../engine/config/types';
import type { Broker } from '../../engine/execution/broker';
import type { OrderIntent } from '../../engine/model/order-intent';
import type { IntentOutcome } from '../../engine/execution/order-manager';
import type { OrderExecutor } from '../../engine/execution/order-executor';
import { buildServices } from '../../engine/runtime/services';
import { ManualClock } from '../../engine/shared/clock';
import { openJournal, type Db } from '../../engine/store/journal';
import type { QueueProbe, WorkflowContext, WorkflowJob } from '../../engine/workflows/workflow-context';
import { shippedConfig } from './config';

export interface TestEngine {
  readonly ctx: WorkflowContext;
  readonly clock: ManualClock;
  readonly market: SimMarket;
  readonly broker: PaperBroker;
  readonly db: Db;
  /** Intents handed to ctx.submit, in order. */
  readonly submitted: OrderIntent[];
  /** Outcomes when `execute` is on (submit runs the order manager at once). */
  readonly outcomes: IntentOutcome[];
  readonly logs: string[];
  readonly alerts: string[];
  /** The executor behind ctx.submit (to run journaled intents by hand when `execute` is off). */
  readonly executor: OrderExecutor;
  close(): void;
}

export interface TestEngineOptions {
  readonly at?: string;
  readonly seed?: number;
  readonly config?: CompiledConfig;
  /** Run each submitted intent through the order manager on the paper broker (virtual-time sleeps). */
  readonly execute?: boolean;
  readonly queue?: QueueProbe | null;
  /** Wraps the paper broker the engine trades through (fault injection); `broker` stays the paper one. */
  readonly wrapBroker?: (paper: PaperBroker) => Broker;
  /** A journal file instead of an in-memory journal (for the CLI to read afterwards). */
  readonly journal?: string;
}

/**
 * A whole engine in memory for workflow tests: the seeded simulated market, the paper broker, an
 * in-memory journal, the risk gate and alerts on a manual clock. Nothing touches Redis.
 */
export function testEngine(o: TestEngineOptions = {}): TestEngine {
  const config = o.config ?? shippedConfig();
  const clock = new ManualClock(o.at ?? '2026-03-02T15:00:00Z');
  const market = new SimMarket({ seed: o.seed ?? 1, clock, symbols: Object.keys(config.strategies.underlyings) });
  const broker = new PaperBroker({ market, clock, seed: o.seed ?? 1, stateFile: ':memory:' });
  const db = openJournal(o.journal ?? ':memory:');
  const alertLines: string[] = [];
  const services = buildServices({
    config,
    clock,
    market,
    broker: o.wrapBroker ? o.wrapBroker(broker) : broker,
    db,
    log: (l) => alertLines.push(l),
    sleep: async (ms) => {
      clock.advance(ms);
      await broker.processAt(clock.now());
    },
  });
  const submitted: OrderIntent[] = [];
  const outcomes: IntentOutcome[] = [];
  const ctx: WorkflowContext = services.context(async (intent) => {
    submitted.push(intent);
    services.executor.accept(intent);
    if (o.execute) outcomes.push(await services.executor.execute(intent.id));
  }, o.queue ?? null);
  const logs: string[] = [];
  const withLogs: WorkflowContext = { ...ctx, log: (l) => logs.push(l) };
  return {
    ctx: withLogs,
    clock,
    market,
    broker,
    db,
    submitted,
    outcomes,
    logs,
    alerts: alertLines,
    executor: services.executor,
    close: () => {
      broker.close();
      db.close();
    },
  };
}

export function jobFor(task: TaskName, clock: { now(): number }, extra: Partial<WorkflowJob> = {}): WorkflowJob {
  return { task, job_id: `test-${task}-${clock.now()}`, scheduled_for: clock.now(), params: {}, dry_run: false, ...extra };
}
