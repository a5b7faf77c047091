import { CronExpressionParser } from 'cron-parser';
import type { SchedulesConfig, TaskName } from '../config/types';
import { dependentsOf } from '../queue/dependency-flow';
import { schedulerSpecs } from '../queue/scheduler-specs';
import type { ManualClock } from '../shared/clock';

/** One moment a task is due. */
export interface DueRun {
  readonly at: number;
  readonly task: TaskName;
  readonly priority: number;
}

/** What the driver needs from the engine: run one job to completion (with everything it triggers). */
export interface JobRunner {
  /** Enqueues the job as a scheduler would and resolves when it and what it caused (orders, fill tasks) are done. */
  run(task: TaskName, scheduledFor: number): Promise<{ readonly status: string; readonly summary: string }>;
}

/** Every cron and `every` fire time in [fromMs, toMs), in time order then priority (as BullMQ would run them). */
export function dueRuns(s: SchedulesConfig, fromMs: number, toMs: number): DueRun[] {
  const out: DueRun[] = [];
  for (const spec of schedulerSpecs(s)) {
    const task = s.tasks.find((t) => t.name === spec.task);
    if (!task) continue;
    const it = CronExpressionParser.parse(spec.pattern, { tz: spec.tz, currentDate: new Date(fromMs - 1), endDate: new Date(toMs) });
    while (it.hasNext()) {
      const at = it.next().getTime();
      if (at >= toMs) break;
      if (at >= fromMs) out.push({ at, task: spec.task, priority: task.priority });
    }
  }
  return out.sort((a, b) => a.at - b.at || a.priority - b.priority || a.task.localeCompare(b.task));
}

export interface DriverEvents {
  readonly onRun?: (run: DueRun, outcome: { status: string; summary: string }) => void;
}

/**
 * Plays the schedule against a manual clock: for each due moment in time order it sets the clock,
 * hands the job to the runner and waits for it before moving on; a task that others name in
 * `after` schedules them at its completion plus their delay when it succeeded. Fill-triggered tasks
 * are the runner's business (the engine enqueues them on executions). The clock never goes back:
 * a job due while an earlier one was still working (an order walk takes minutes) starts late, and
 * the misfire guard judges it as it would live.
 */
export async function driveSchedule(s: SchedulesConfig, clock: ManualClock, toMs: number, runner: JobRunner, events: DriverEvents = {}): Promise<number> {
  const queue = dueRuns(s, clock.now(), toMs);
  let ran = 0;
  while (queue.length > 0) {
    const next = queue.shift() as DueRun;
    if (next.at > clock.now()) clock.set(next.at);
    const outcome = await runner.run(next.task, next.at);
    ran++;
    events.onRun?.(next, outcome);
    if (outcome.status !== 'ok') continue;
    for (const dep of dependentsOf(s, next.task)) {
      const at = clock.now() + (dep.after?.delay_ms ?? 0);
      if (at >= toMs) continue;
      const run: DueRun = { at, task: dep.name, priority: dep.priority };
      const i = queue.findIndex((q) => q.at > at || (q.at === at && q.priority > run.priority));
      queue.splice(i < 0 ? queue.length : i, 0, run);
    }
  }
  return ran;
}
