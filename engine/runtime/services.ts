import { AlertManager } from '../alerts/alert-manager';
import type { AlertChannel } from '../alerts/alert';
import type { CompiledConfig, TaskName } from '../config/types';
import type { Broker } from '../execution/broker';
import { OrderExecutor } from '../execution/order-executor';
import type { WalkSleep } from '../execution/order-manager';
import type { SubmitIntent } from '../execution/submit';
import type { MarketData } from '../market/market-data';
import { RiskGate } from '../risk/risk-gate';
import type { Clock } from '../shared/clock';
import type { Db } from '../store/journal';
import { WORKFLOWS } from '../workflows/registry';
import type { QueueProbe, Workflow, WorkflowContext } from '../workflows/workflow-context';

export interface ServicesOptions {
  readonly config: CompiledConfig;
  readonly clock: Clock;
  readonly market: MarketData;
  readonly broker: Broker;
  readonly db: Db;
  readonly log: (line: string) => void;
  /** The order walk's wait between price steps (real time live; virtual time in demos, backtests, tests). */
  readonly sleep: WalkSleep;
  readonly alertChannels?: readonly AlertChannel[];
  readonly workflows?: Readonly<Partial<Record<TaskName, Workflow>>>;
}

/** The engine without its transport: what `run`, `worker`, the demo, backtests, tests and crash children share. */
export interface EngineServices {
  readonly config: CompiledConfig;
  readonly clock: Clock;
  readonly market: MarketData;
  readonly broker: Broker;
  readonly db: Db;
  readonly log: (line: string) => void;
  readonly alerts: AlertManager;
  readonly risk: RiskGate;
  readonly executor: OrderExecutor;
  readonly workflows: Readonly<Partial<Record<TaskName, Workflow>>>;
  /** What workflows are given, with intents leaving through `submit` (see execution/submit.ts). */
  context(submit: SubmitIntent, queue: QueueProbe | null): WorkflowContext;
}

/** The composition root: every engine is built here, whatever carries its jobs. */
export function buildServices(o: ServicesOptions): EngineServices {
  const alerts = new AlertManager(o.config.strategies.alerts, o.clock, o.log, o.alertChannels ?? []);
  const risk = new RiskGate({ db: o.db, broker: o.broker, config: o.config, clock: o.clock, alerts });
  const executor = new OrderExecutor({ config: o.config, db: o.db, broker: o.broker, market: o.market, clock: o.clock, sleep: o.sleep, risk, alerts });
  return {
    config: o.config,
    clock: o.clock,
    market: o.market,
    broker: o.broker,
    db: o.db,
    log: o.log,
    alerts,
    risk,
    executor,
    workflows: o.workflows ?? WORKFLOWS,
    context: (submit, queue) => ({ config: o.config, clock: o.clock, market: o.market, broker: o.broker, db: o.db, submit, risk, alerts, queue, log: o.log }),
  };
}
