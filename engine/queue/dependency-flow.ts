import type { FlowProducer, JobNode } from 'bullmq';
import type { SchedulesConfig, TaskConfig } from '../config/types';
import type { TaskJobData } from './job-guard';
import { RETENTION, TASKS_QUEUE } from './queue-names';

export { TASKS_QUEUE };

/** Deterministic per trading day: adding the same day's flow twice adds nothing. */
// BullMQ refuses custom ids containing ":" (its key separator).
export const dailyJobId = (task: string, tradingDate: string): string => `${task}@${tradingDate}`;

/** Tasks whose `after` names this task. */
export function dependentsOf(s: SchedulesConfig, task: string): TaskConfig[] {
  return s.tasks.filter((t) => t.enabled && t.after?.task === task);
}

/**
 * An `after` dependency as a BullMQ flow: the dependent task is the parent, delayed by `after.delay`
 * once its child (the dependency) completes, and failed with it (`failParentOnFailure`), so
 * execution never runs on a failed analysis. BullMQ moves a parent with a delay to `delayed` when
 * its children finish.
 */
export async function addDependencyFlow(flows: FlowProducer, s: SchedulesConfig, dependency: TaskConfig, tradingDate: string, job: TaskJobData, queueName = TASKS_QUEUE): Promise<JobNode[]> {
  const out: JobNode[] = [];
  for (const dep of dependentsOf(s, dependency.name)) {
    out.push(
      await flows.add({
        name: dep.name,
        queueName,
        data: { task: dep.name, config_hash: job.config_hash, scheduled_for: job.scheduled_for + (dep.after?.delay_ms ?? 0), params: { after: dailyJobId(dependency.name, tradingDate) } } satisfies TaskJobData,
        opts: { jobId: dailyJobId(dep.name, tradingDate), delay: dep.after?.delay_ms ?? 0, priority: dep.priority, attempts: dep.max_attempts, ...RETENTION },
        children: [
          {
            name: dependency.name,
            queueName,
            data: { ...job, task: dependency.name },
            opts: { jobId: dailyJobId(dependency.name, tradingDate), priority: dependency.priority, attempts: dependency.max_attempts, failParentOnFailure: true, ...RETENTION },
          },
        ],
      }),
    );
  }
  return out;
}
