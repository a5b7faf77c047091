import { ORDER_PLACING_TASKS, type TaskName } from '../types';
import type { Problem } from '../problem';
import { dataOf, problemAt, type LintContext } from '../lint-context';
import type { RawSchedules, RawTask } from '../raw-types';
import { parseDuration, parseHhmm } from '../duration';
import { cronError, cronTimes, isValidZone, zonedMinute } from '../schedule-times';

const MARKET_OPEN_MIN = 9 * 60 + 30;
const MARKET_CLOSE_MIN = 16 * 60;
// One ordinary week (Mon 2026-01-05 .. Mon 2026-01-12) is enough to see every weekly cron pattern.
const WEEK_FROM = Date.parse('2026-01-05T00:00:00Z');
const WEEK_TO = Date.parse('2026-01-13T00:00:00Z');

const cronsOf = (t: RawTask): string[] => (t.cron === undefined ? [] : Array.isArray(t.cron) ? t.cron : [t.cron]);

function checkTriggers(ctx: LintContext, t: RawTask, i: number): Problem[] {
  const at = (path: (string | number)[], code: string, msg: string): Problem => problemAt(ctx, 'schedules', ['tasks', i, ...path], code, msg);
  const kinds = [t.cron !== undefined && 'cron', t.every !== undefined && 'every', t.after !== undefined && 'after'].filter(Boolean);
  const out: Problem[] = [];
  if (kinds.length === 0 && !t.on) out.push(at(['name'], 'E_TRIGGER_MISSING', `task "${t.name}" has no trigger: give it cron, every (with window), after, or on`));
  if (kinds.length > 1) out.push(at(['name'], 'E_TRIGGER_MULTIPLE', `task "${t.name}" has ${kinds.join(' and ')}: give one time trigger (on: may accompany it)`));
  if (t.every !== undefined && !t.window) out.push(at(['every'], 'E_WINDOW_MISSING', `task "${t.name}" uses every: and needs window: {start, end}`));
  if (t.window && t.every === undefined) out.push(at(['window'], 'E_WINDOW_WITHOUT_EVERY', `task "${t.name}" has window: but no every:`));
  if (t.window) {
    const s = parseHhmm(t.window.start);
    const e = parseHhmm(t.window.end);
    if (s !== null && e !== null && s > e) out.push(at(['window'], 'E_WINDOW_ORDER', `window start ${t.window.start} is after its end ${t.window.end}`));
  }
  const durations: [string, string | undefined][] = [['every', t.every], ['misfire_grace', t.misfire_grace], ['timeout', t.timeout]];
  if (t.after) durations.push(['after.delay', t.after.delay]);
  for (const [field, text] of durations) {
    if (text === undefined) continue;
    const ms = parseDuration(text);
    const path = field === 'after.delay' ? ['after', 'delay'] : [field];
    if (ms === null) out.push(at(path, 'E_DURATION', `${field} "${text}" is not a duration like 30s, 15m, 1h`));
    else if (ms <= 0 && field !== 'after.delay') out.push(at(path, 'E_DURATION', `${field} must be longer than zero`));
  }
  return out;
}

interface ZonedFire {
  readonly minute: number;
  readonly weekday: number;
}

/** When a task fires over the reference week, as minute of day and weekday in the zone. */
function fireMinutes(t: RawTask, byName: Map<string, RawTask>, tz: string, depth = 0): ZonedFire[] {
  if (t.cron !== undefined) {
    return cronsOf(t).flatMap((c) => (cronError(c, tz) ? [] : cronTimes(c, tz, WEEK_FROM, WEEK_TO).map((x) => zonedMinute(x, tz))));
  }
  if (t.every !== undefined && t.window) {
    const step = Math.max(1, Math.round((parseDuration(t.every) ?? 60_000) / 60_000));
    const s = parseHhmm(t.window.start);
    const e = parseHhmm(t.window.end);
    if (s === null || e === null) return [];
    const out: ZonedFire[] = [];
    for (let weekday = 1; weekday <= 5; weekday++) for (let m = s; m <= e; m += step) out.push({ minute: m, weekday });
    return out;
  }
  if (t.after && depth < 20) {
    const parent = byName.get(t.after.task);
    const delayMin = Math.round((parseDuration(t.after.delay) ?? 0) / 60_000);
    return parent ? fireMinutes(parent, byName, tz, depth + 1).map((f) => ({ minute: f.minute + delayMin, weekday: f.weekday })) : [];
  }
  return [];
}

function fmt(min: number): string {
  return `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;
}

/** Schedules: valid zone and crons, known dependencies without cycles, no doubled triggers, order tasks in market hours. */
export const checkSchedules = (ctx: LintContext): Problem[] => {
  const s = dataOf<RawSchedules>(ctx, 'schedules');
  const out: Problem[] = [];
  const zoneOk = isValidZone(s.timezone);
  if (!zoneOk) out.push(problemAt(ctx, 'schedules', ['timezone'], 'E_TIMEZONE', `timezone "${s.timezone}" is not an IANA time zone name (e.g. America/New_York)`));
  const tz = zoneOk ? s.timezone : 'America/New_York';
  const byName = new Map<string, RawTask>();
  s.tasks.forEach((t, i) => {
    if (byName.has(t.name)) out.push(problemAt(ctx, 'schedules', ['tasks', i, 'name'], 'E_TASK_DUPLICATE', `task "${t.name}" is listed twice; give each task one entry (cron accepts a list)`));
    byName.set(t.name, t);
  });
  s.tasks.forEach((t, i) => {
    out.push(...checkTriggers(ctx, t, i));
    cronsOf(t).forEach((c, k) => {
      const err = cronError(c, tz);
      const path: (string | number)[] = Array.isArray(t.cron) ? ['tasks', i, 'cron', k] : ['tasks', i, 'cron'];
      if (err) out.push(problemAt(ctx, 'schedules', path, 'E_CRON_INVALID', `cron "${c}" of task "${t.name}" is invalid: ${err}`));
    });
    if (t.after && !byName.has(t.after.task)) {
      out.push(problemAt(ctx, 'schedules', ['tasks', i, 'after', 'task'], 'E_AFTER_UNKNOWN', `task "${t.name}" runs after "${t.after.task}", which is not in this file`));
    }
  });
  out.push(...checkCycles(ctx, s, byName));
  s.tasks.forEach((t, i) => out.push(...checkCollisions(ctx, t, i, tz), ...checkOrderWindow(ctx, t, i, byName, tz)));
  return out;
};

function checkCycles(ctx: LintContext, s: RawSchedules, byName: Map<string, RawTask>): Problem[] {
  for (const [i, t] of s.tasks.entries()) {
    const seen = new Set<string>([t.name]);
    let cur = t.after ? byName.get(t.after.task) : undefined;
    while (cur) {
      if (seen.has(cur.name)) {
        return [problemAt(ctx, 'schedules', ['tasks', i, 'after'], 'E_DEPENDENCY_CYCLE', `task "${t.name}" depends on itself through after: (${[...seen, cur.name].join(' → ')})`)];
      }
      seen.add(cur.name);
      cur = cur.after ? byName.get(cur.after.task) : undefined;
    }
  }
  return [];
}

function checkCollisions(ctx: LintContext, t: RawTask, i: number, tz: string): Problem[] {
  const crons = cronsOf(t);
  if (crons.length < 2) return [];
  const seen = new Map<number, number>();
  for (const [k, c] of crons.entries()) {
    if (cronError(c, tz)) continue;
    for (const x of cronTimes(c, tz, WEEK_FROM, WEEK_TO)) {
      const prev = seen.get(x);
      if (prev !== undefined && prev !== k) {
        return [problemAt(ctx, 'schedules', ['tasks', i, 'cron', k], 'E_TRIGGER_COLLISION', `cron "${c}" of task "${t.name}" fires at the same minute as cron "${crons[prev] ?? ''}" (${new Date(x).toISOString()})`)];
      }
      seen.set(x, k);
    }
  }
  return [];
}

function checkOrderWindow(ctx: LintContext, t: RawTask, i: number, byName: Map<string, RawTask>, tz: string): Problem[] {
  if (!ORDER_PLACING_TASKS.includes(t.name as TaskName) || t.enabled === false) return [];
  const out: Problem[] = [];
  if (t.requires === 'any' || t.requires === undefined) {
    out.push(problemAt(ctx, 'schedules', ['tasks', i, t.requires === undefined ? 'name' : 'requires'], 'E_ORDER_TASK_CALENDAR', `task "${t.name}" places orders: set requires: market_open (or trading_day)`));
  }
  const bad = fireMinutes(t, byName, tz).find((f) => f.weekday > 5 || f.minute < MARKET_OPEN_MIN || f.minute > MARKET_CLOSE_MIN);
  if (bad !== undefined) {
    const { minute, weekday } = bad;
    const field = t.cron !== undefined ? 'cron' : t.every !== undefined ? 'window' : 'after';
    out.push(problemAt(ctx, 'schedules', ['tasks', i, field], 'E_ORDER_TASK_WINDOW', `task "${t.name}" places orders but would run at ${fmt(minute)}${weekday > 5 ? ' on a weekend' : ''}; order tasks may run only 09:30–16:00 ET on trading days`));
  }
  return out;
}
