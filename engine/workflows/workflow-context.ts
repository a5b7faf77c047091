import type { CompiledConfig, TaskName } from '../config/types';
import type { OrderIntent } from '../model/order-intent';
import type { Broker } from '../execution/broker';
import type { MarketData } from '../market/market-data';
import type { RiskGate } from '../risk/risk-gate';
import type { AlertRaiser } from '../alerts/alert';
import type { Clock } from '../shared/clock';
import type { Db } from '../store/journal';

/** Queue facts for health_check; the queue layer implements it. */
export interface QueueProbe {
  /** Pings Redis; throws when it is unreachable. */
  ping(): Promise<void>;
  counts(): Promise<Readonly<Record<string, Readonly<Record<string, number>>>>>;
  /** Active jobs running longer than their task's timeout. */
  stuck(nowMs: number): Promise<ReadonlyArray<{ queue: string; id: string; task: string; running_s: number }>>;
}

/** Guards the runtime keeps in each process (the monitor's watchdog, the journal's write health), for health_check. */
export interface GuardProbe {
  watchdog(): { readonly state: string; readonly detail: string };
  journal(): { readonly ok: boolean; readonly detail: string };
}

/** What every workflow is given: ports, never globals. */
export interface WorkflowContext {
  readonly config: CompiledConfig;
  readonly clock: Clock;
  readonly market: MarketData;
  readonly broker: Broker;
  readonly db: Db;
  /** Sends an intent on (the `orders` queue in production; the order manager directly in tests). */
  readonly submit: (intent: OrderIntent) => Promise<void>;
  readonly risk: RiskGate;
  readonly alerts: AlertRaiser;
  readonly queue: QueueProbe | null;
  /** Absent where no runtime runs (unit tests, dry runs through a bare context). */
  readonly guards?: GuardProbe;
  readonly log: (line: string) => void;
}

/** The job as a workflow sees it. */
export interface WorkflowJob {
  readonly task: TaskName;
  readonly job_id: string;
  /** Epoch ms the job was meant to run at. */
  readonly scheduled_for: number;
  readonly params: Readonly<Record<string, unknown>>;
  /** Compute and return the plan; send nothing, change no position. */
  readonly dry_run: boolean;
}

export interface WorkflowResult {
  /** One line for the run journal and the console. */
  readonly summary: string;
  /** The plan or report, JSON-serializable (candidates, decisions, intents). */
  readonly data?: unknown;
}

export type Workflow = (ctx: WorkflowContext, job: WorkflowJob) => Promise<WorkflowResult>;
