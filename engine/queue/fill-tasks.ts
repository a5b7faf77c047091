import type { CompiledConfig } from '../config/types';
import type { Execution } from '../model/broker-records';
import type { TaskJobData } from './job-guard';
import { safeJobId } from './queue-names';

/** A tasks job an execution causes: what the BullMQ runtime adds and what the in-process runner queues. */
export interface FillTaskJob {
  readonly name: string;
  readonly data: TaskJobData;
  /** One job per execution and task: a replayed execution event adds nothing. */
  readonly jobId: string;
  readonly priority: number;
  readonly attempts: number;
}

/** The `on: [fill]` tasks an execution starts, in schedules.yaml order. */
export function fillTaskJobs(config: CompiledConfig, e: Pick<Execution, 'exec_id' | 'order_ref'>, nowMs: number): FillTaskJob[] {
  return config.schedules.tasks
    .filter((t) => t.enabled && t.on.includes('fill'))
    .map((t) => ({
      name: t.name,
      data: { task: t.name, config_hash: config.hash, scheduled_for: nowMs, params: { exec_id: e.exec_id, order_ref: e.order_ref } },
      jobId: safeJobId(`${t.name}@fill-${e.exec_id}`),
      priority: t.priority,
      attempts: t.max_attempts,
    }));
}
