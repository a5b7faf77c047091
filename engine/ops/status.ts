import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { CompiledConfig } from '../config/types';
import { ORDERS_QUEUE, TASKS_QUEUE } from '../queue/queue-names';
import { CircuitBreaker } from '../risk/circuit-breaker';
import { KillSwitch, type HaltState } from '../risk/kill-switch';
import { readWatchdog, WATCHDOG_KEY, type WatchdogRecord, type WatchdogStatus } from '../runtime/watchdog';
import { EngineStateRepo } from '../store/engine-state-repo';
import type { Db } from '../store/journal';
import { RunsRepo } from '../store/runs-repo';

export interface JournalStatus {
  readonly runs: ReturnType<RunsRepo['lastByTask']>;
  readonly halted: HaltState;
  readonly breaker: string;
  readonly watchdog: WatchdogStatus;
  readonly watchdog_last: WatchdogRecord | null;
}

export interface SchedulerRow {
  readonly id: string;
  readonly task: string;
  readonly pattern: string | null;
  readonly next: number | null;
}

export interface QueueStatus {
  readonly schedulers: SchedulerRow[];
  readonly counts: { tasks: Record<string, number>; orders: Record<string, number> };
}

/** What the journal says about the engine's state: last runs, halt, circuit breaker, watchdog. */
export function journalStatus(db: Db, config: CompiledConfig, nowMs: number): JournalStatus {
  const state = new EngineStateRepo(db);
  return {
    runs: new RunsRepo(db).lastByTask(),
    halted: new KillSwitch(state).get(),
    breaker: new CircuitBreaker(config.strategies.risk.circuit_breaker, state).state(nowMs),
    watchdog: readWatchdog(db, config.schedules.watchdog, nowMs),
    watchdog_last: state.get<WatchdogRecord>(WATCHDOG_KEY),
  };
}

/** The prefix's job schedulers and the job counts of its tasks and orders queues. */
export async function queueStatus(redis: Redis, prefix: string): Promise<QueueStatus> {
  const tasks = new Queue(TASKS_QUEUE, { connection: redis, prefix });
  const orders = new Queue(ORDERS_QUEUE, { connection: redis, prefix });
  try {
    const schedulers = (await tasks.getJobSchedulers(0, -1, true)).map((s) => ({ id: s.key, task: s.name, pattern: s.pattern ?? null, next: s.next ?? null }));
    const counts = {
      tasks: await tasks.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'waiting-children', 'failed', 'completed'),
      orders: await orders.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed', 'completed'),
    };
    return { schedulers, counts };
  } finally {
    await tasks.close();
    await orders.close();
  }
}

/** What `thetadesk status --json` prints. */
export function statusReport(prefix: string, config: CompiledConfig, q: QueueStatus, journal: (JournalStatus & { file: string }) | null) {
  return { prefix, config_hash: config.hash, schedulers: q.schedulers, counts: q.counts, journal };
}
