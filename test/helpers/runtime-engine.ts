import type { Redis } from 'ioredis';
import { PaperBroker } from '../../engine/adapters/sim/paper-broker';
import { SimMarket } from '../../engine/adapters/sim/sim-market';
import type { CompiledConfig, TaskName } from '../../engine/config/types';
import type { Broker } from '../../engine/execution/broker';
import type { TaskJobData } from '../../engine/queue/job-guard';
import { EngineRuntime } from '../../engine/runtime/engine-runtime';
import { waitQueuesSettled } from '../../engine/backtest/queue-settle';
import { ManualClock } from '../../engine/shared/clock';
import { openJournal, type Db } from '../../engine/store/journal';
import { shippedConfig } from './config';

export interface RuntimeEngine {
  readonly runtime: EngineRuntime;
  readonly clock: ManualClock;
  readonly broker: PaperBroker;
  readonly db: Db;
  readonly logs: string[];
  /** Adds a tasks job the way a scheduler or `thetadesk enqueue` would, and waits for it to finish. */
  runJob(task: TaskName, opts?: { id?: string; scheduled_for?: number; params?: Record<string, unknown> }): Promise<{ state: string; result: unknown; failed: string | undefined }>;
  /** Waits until both queues have nothing waiting, delayed or active. */
  idle(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface RuntimeEngineOptions {
  readonly redis: Redis;
  readonly prefix: string;
  readonly at: string;
  readonly config?: CompiledConfig;
  readonly journal?: string;
  readonly paperState?: string;
  /** Wraps the paper broker (fault injection). */
  readonly wrapBroker?: (b: PaperBroker) => Broker;
  readonly clock?: ManualClock;
  /** Honour schedules.yaml's broker maintenance windows (as when running against IB). */
  readonly maintenance?: boolean;
}

/** The real runtime (BullMQ workers on the real Redis) on the simulated market, the paper broker and virtual time. */
export async function runtimeEngine(o: RuntimeEngineOptions): Promise<RuntimeEngine> {
  const config = o.config ?? shippedConfig();
  const clock = o.clock ?? new ManualClock(o.at);
  const market = new SimMarket({ seed: 1, clock, symbols: Object.keys(config.strategies.underlyings) });
  const paper = new PaperBroker({ market, clock, seed: 1, stateFile: o.paperState ?? ':memory:' });
  const db = openJournal(o.journal ?? ':memory:');
  const logs: string[] = [];
  const runtime = new EngineRuntime({
    config,
    clock,
    market,
    broker: o.wrapBroker ? o.wrapBroker(paper) : paper,
    db,
    redis: o.redis,
    prefix: o.prefix,
    log: (l) => logs.push(l),
    maintenance: o.maintenance,
    sleep: async (ms) => {
      clock.advance(ms);
      await paper.processAt(clock.now());
    },
  });
  await runtime.start();
  const idle = (timeoutMs = 20_000): Promise<void> => waitQueuesSettled(runtime, () => 0, timeoutMs);
  return {
    runtime,
    clock,
    broker: paper,
    db,
    logs,
    runJob: async (task, j = {}) => {
      const t = config.schedules.tasks.find((x) => x.name === task);
      const data: TaskJobData = { task, config_hash: config.hash, scheduled_for: j.scheduled_for ?? clock.now(), params: j.params ?? {} };
      const job = await runtime.tasks.add(task, data, { jobId: j.id ?? `adhoc-${task}-${clock.now()}-${Math.random().toString(36).slice(2, 8)}`, priority: t?.priority ?? 1, attempts: 1 });
      await idle();
      const fresh = await runtime.tasks.getJob(job.id ?? '');
      return { state: (await fresh?.getState()) ?? 'gone', result: fresh?.returnvalue, failed: fresh?.failedReason };
    },
    idle,
    stop: async () => {
      await runtime.stop(5_000);
      paper.close();
      db.close();
    },
  };
}
