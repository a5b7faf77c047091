import { CronExpressionParser } from 'cron-parser';
import type { SchedulesConfig, TaskConfig, TaskName } from '../config/types';
import { exchangeDate } from '../shared/exchange-time';
import { dailyJobId, dependentsOf } from './dependency-flow';
import { isMarketOpen, isTradingDay } from '../shared/market-calendar';
import { schedulerSpecs } from './scheduler-specs';
import { CATCH_UP_PREFIX } from './task-processor';

/** A fire time to run now (or, for an `after` task, at its due time). */
export interface CatchUpRun {
  readonly task: TaskName;
  readonly scheduled_for: number;
  readonly job_id: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** 0 = now; an `after` task not due yet keeps its delay. */
  readonly delay_ms: number;
}

export interface MissedRun {
  readonly task: TaskName;
  readonly scheduled_for: number;
  readonly job_id: string;
  readonly reason: string;
}

export interface CatchUpPlan {
  readonly run: readonly CatchUpRun[];
  readonly missed: readonly MissedRun[];
}

/** What the journal knows (the runs table): whether a fire time has a run, and today's successful run of a dependency. */
export interface RunLookup {
  hasRun(task: TaskName, scheduledFor: number): boolean;
  /** The successful run of a dependency's per-day job (`dailyJobId`) on that date, if any. */
  okRunOn(task: TaskName, date: string): { readonly scheduled_for: number } | null;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** Would the guard let a run at `at` through on the calendar (a fire the calendar skips is not "missed")? */
function calendarAllows(t: TaskConfig, at: number): boolean {
  if (t.requires === 'any') return true;
  if (t.requires === 'trading_day') return isTradingDay(exchangeDate(at));
  return isMarketOpen(at);
}

function fireTimes(s: SchedulesConfig, t: TaskConfig, fromMs: number, toMs: number): number[] {
  const out = new Set<number>();
  for (const spec of schedulerSpecs(s).filter((x) => x.task === t.name)) {
    const it = CronExpressionParser.parse(spec.pattern, { tz: spec.tz, currentDate: new Date(fromMs - 1), endDate: new Date(toMs) });
    while (it.hasNext()) {
      const at = it.next().getTime();
      if (at > toMs) break;
      if (at >= fromMs) out.add(at);
    }
  }
  return [...out].sort((a, b) => a - b);
}

/**
 * What an outage of Redis made the engine miss, by the misfire rules: for each scheduled task, the
 * fire times since `fromMs` (back by the task's misfire grace, for jobs that were queued and lost
 * with a non-persistent Redis) that the calendar allows and the journal has no run for. The latest
 * runs once if it is still inside the misfire grace; every other one is recorded `missed`. Nothing
 * before `notBeforeMs` (the process's start: BullMQ hands over its own overdue job then). An
 * `after` task whose dependency succeeded today is queued again under its daily id (a no-op when a
 * persistent Redis still holds it). Pure: the journal is read through `runs`.
 */
export function planCatchUp(s: SchedulesConfig, fromMs: number, nowMs: number, runs: RunLookup, outage: string, notBeforeMs = Number.NEGATIVE_INFINITY): CatchUpPlan {
  const run: CatchUpRun[] = [];
  const missed: MissedRun[] = [];
  for (const t of s.tasks) {
    if (!t.enabled || t.after) continue;
    const due = fireTimes(s, t, Math.max(fromMs - t.misfire_grace_ms, notBeforeMs), nowMs).filter((at) => calendarAllows(t, at) && !runs.hasRun(t.name, at));
    const latest = due[due.length - 1];
    if (latest === undefined) continue;
    const fresh = nowMs - latest <= t.misfire_grace_ms;
    for (const at of due) {
      const id = `${CATCH_UP_PREFIX}${t.name}@${at}`;
      if (at === latest && fresh) run.push({ task: t.name, scheduled_for: at, job_id: id, params: {}, delay_ms: 0 });
      else missed.push({ task: t.name, scheduled_for: at, job_id: id, reason: at === latest ? `${outage}; the run due at ${iso(at)} is past its misfire grace of ${Math.round(t.misfire_grace_ms / 1000)} s` : `${outage}; superseded by the run due at ${iso(latest)}` });
    }
  }
  const today = exchangeDate(nowMs);
  for (const t of s.tasks) {
    if (!t.enabled || !t.after) continue;
    const dep = runs.okRunOn(t.after.task, today);
    if (!dep) continue;
    const at = dep.scheduled_for + t.after.delay_ms;
    if (runs.hasRun(t.name, at) || !dependentsOf(s, t.after.task).some((x) => x.name === t.name)) continue;
    const id = dailyJobId(t.name, today);
    const params = { after: dailyJobId(t.after.task, today) };
    if (nowMs <= at) run.push({ task: t.name, scheduled_for: at, job_id: id, params, delay_ms: at - nowMs });
    else if (nowMs - at <= t.misfire_grace_ms) run.push({ task: t.name, scheduled_for: at, job_id: id, params, delay_ms: 0 });
    else missed.push({ task: t.name, scheduled_for: at, job_id: id, reason: `${outage}; the run due at ${iso(at)} after ${t.after.task} is past its misfire grace of ${Math.round(t.misfire_grace_ms / 1000)} s` });
  }
  return { run, missed };
}
