import { CronExpressionParser } from 'cron-parser';
import type { SchedulesConfig, TaskName } from '../config/types';
import { dependentsOf } from '../queue/dependency-flow';
import { schedulerSpecs } from '../queue/scheduler-specs';
import type { ManualClock } from '../shared/clock';
import { addDays, EXCHANGE_TZ, exchangeDate, exchangeInstant, isoWeekday } from '../shared/exchange-time';

/** One moment a task is due. */
export interface DueRun {
  readonly at: number;
  readonly task: TaskName;
  readonly priority: number;
}

/** What the driver needs from the engine. */
export interface JobRunner {
  /**
   * Enqueues the job as a scheduler would and resolves when the engine has settled: the job and
   * what it caused (orders, fill tasks) are done or asleep until a later virtual time.
   */
  run(task: TaskName, scheduledFor: number): Promise<{ readonly status: string; readonly summary: string }>;
  /** Lets the engine settle after sleepers were woken (same meaning of settled as `run`). */
  settle(): Promise<void>;
}

/** Sleepers on the virtual clock (order walks); see VirtualTimers. */
export interface Sleepers {
  nextAt(): number | null;
  wakeNext(): Promise<void>;
}

/** Every cron and `every` fire time in [fromMs, toMs), in time order then priority (as BullMQ would run them). */
export function dueRuns(s: SchedulesConfig, fromMs: number, toMs: number): DueRun[] {
  const out: DueRun[] = [];
  for (const spec of schedulerSpecs(s)) {
    const task = s.tasks.find((t) => t.name === spec.task);
    if (!task) continue;
    for (const at of fireTimes(spec.pattern, spec.tz, fromMs, toMs)) out.push({ at, task: spec.task, priority: task.priority });
  }
  return out.sort((a, b) => a.at - b.at || a.priority - b.priority || a.task.localeCompare(b.task));
}

function cronFireTimes(pattern: string, tz: string, fromMs: number, toMs: number): number[] {
  const out: number[] = [];
  const it = CronExpressionParser.parse(pattern, { tz, currentDate: new Date(fromMs - 1), endDate: new Date(toMs) });
  while (it.hasNext()) {
    const at = it.next().getTime();
    if (at >= toMs) break;
    if (at >= fromMs) out.push(at);
  }
  return out;
}

interface DayPattern {
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly weekdays: ReadonlySet<number>;
}

const dayPatterns = new Map<string, DayPattern | null>();

/** The pattern's times of day when it fires on whole weekdays (any day of month, any month), else null. */
function dayPattern(pattern: string, tz: string): DayPattern | null {
  const key = `${tz} ${pattern}`;
  if (dayPatterns.has(key)) return dayPatterns.get(key) ?? null;
  const f = CronExpressionParser.parse(pattern, { tz }).fields;
  const p = f.dayOfMonth.isWildcard && f.month.isWildcard && f.second.values.length === 1 && f.second.values[0] === 0 ? { minutes: [...f.minute.values], hours: [...f.hour.values], weekdays: new Set(f.dayOfWeek.values.map((d) => (Number(d) === 7 ? 0 : Number(d)))) } : null;
  dayPatterns.set(key, p as DayPattern | null);
  return p as DayPattern | null;
}


/**
 * Fire times of one scheduler in [fromMs, toMs). cron-parser walks every fire time (a quarter of
 * a millisecond each, ~330 a trading day: most of a backtest day's schedule cost); a weekday
 * pattern is the same times of day on every matching date, so those dates are enumerated directly
 * in the exchange zone. Days with a DST change and other patterns still go through cron-parser.
 */
function fireTimes(pattern: string, tz: string, fromMs: number, toMs: number): number[] {
  const p = tz === EXCHANGE_TZ ? dayPattern(pattern, tz) : null;
  if (!p) return cronFireTimes(pattern, tz, fromMs, toMs);
  const out: number[] = [];
  for (let date = exchangeDate(fromMs); exchangeInstant(date, '00:00') < toMs; date = addDays(date, 1)) {
    const start = exchangeInstant(date, '00:00');
    const next = exchangeInstant(addDays(date, 1), '00:00');
    if (next - start !== 86_400_000) {
      out.push(...cronFireTimes(pattern, tz, Math.max(fromMs, start), Math.min(toMs, next)));
      continue;
    }
    if (!p.weekdays.has(isoWeekday(date) % 7)) continue;
    for (const h of p.hours) for (const m of p.minutes) {
      const at = start + (h * 60 + m) * 60_000;
      if (at >= fromMs && at < toMs) out.push(at);
    }
  }
  return out.sort((a, b) => a - b);
}

export interface DriverEvents {
  readonly onRun?: (run: DueRun, outcome: { status: string; summary: string }) => void;
}

/**
 * Plays the schedule against a manual clock as a discrete-event simulation: the next event is
 * either a due job or a sleeper's wake-up (an order walk's next step), whichever is earlier, and
 * the engine settles after each before the clock moves on. So an order walking for minutes does
 * not hold back the 5-minute jobs, as the separate workers would not live. A task that others name
 * in `after` schedules them at its completion plus their delay when it succeeded; fill-triggered
 * tasks are the engine's (it enqueues them on executions). The clock never goes back: a job due
 * while a job of the tasks queue was still working starts late, and the misfire guard judges it
 * as it would live. Sleepers still asleep at `toMs` are woken before the driver returns.
 */
export async function driveSchedule(s: SchedulesConfig, clock: ManualClock, toMs: number, runner: JobRunner, sleepers: Sleepers, events: DriverEvents = {}): Promise<number> {
  const queue = dueRuns(s, clock.now(), toMs);
  const wakeUntil = async (limit: number): Promise<void> => {
    for (let at = sleepers.nextAt(); at !== null && at <= limit; at = sleepers.nextAt()) {
      await sleepers.wakeNext();
      await runner.settle();
    }
  };
  let ran = 0;
  while (queue.length > 0) {
    const next = queue.shift() as DueRun;
    await wakeUntil(next.at);
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
  await wakeUntil(Number.POSITIVE_INFINITY);
  return ran;
}
