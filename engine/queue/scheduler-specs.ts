import type { SchedulesConfig, TaskConfig } from '../config/types';

/** One BullMQ job scheduler: a cron pattern in the schedule's time zone that enqueues a task. */
export interface SchedulerSpec {
  readonly id: string;
  readonly task: TaskConfig['name'];
  readonly pattern: string;
  readonly tz: string;
  readonly priority: number;
}

/**
 * `every` + window → cron patterns: the minutes of each hour that fall on the interval grid counted
 * from the window's start, consecutive hours with the same minutes merged (09:30–16:00 every 5m →
 * `30-55/5 9`, `*\/5 10-15`, `0 16`).
 */
export function everyToCron(t: TaskConfig): string[] {
  if (!t.every) return [];
  const step = Math.max(1, Math.round(t.every.interval_ms / 60_000));
  const { start_min, end_min } = t.every.window;
  const days = t.requires === 'any' ? '*' : '1-5';
  const byHour = new Map<number, number[]>();
  for (let m = start_min; m <= end_min; m += step) {
    const h = Math.floor(m / 60);
    byHour.set(h, [...(byHour.get(h) ?? []), m % 60]);
  }
  const groups: Array<{ from: number; to: number; minutes: string }> = [];
  for (const [h, mins] of [...byHour.entries()].sort((a, b) => a[0] - b[0])) {
    const text = minuteField(mins, step);
    const last = groups[groups.length - 1];
    if (last && last.minutes === text && last.to === h - 1) last.to = h;
    else groups.push({ from: h, to: h, minutes: text });
  }
  return groups.map((g) => `${g.minutes} ${g.from === g.to ? g.from : `${g.from}-${g.to}`} * * ${days}`);
}

function minuteField(mins: number[], step: number): string {
  const first = mins[0] ?? 0;
  const last = mins[mins.length - 1] ?? 0;
  if (mins.length === 1) return String(first);
  if (first === 0 && last + step >= 60 && step > 1) return `*/${step}`;
  return step === 1 ? `${first}-${last}` : `${first}-${last}/${step}`;
}

/** Every scheduler the schedule needs (`after` tasks are flows and `on` tasks events: not schedulers). */
export function schedulerSpecs(s: SchedulesConfig): SchedulerSpec[] {
  const out: SchedulerSpec[] = [];
  for (const t of s.tasks) {
    if (!t.enabled) continue;
    const patterns = t.cron.length > 0 ? [...t.cron] : everyToCron(t);
    patterns.forEach((pattern, i) => out.push({ id: `${t.name}#${i}`, task: t.name, pattern, tz: s.timezone, priority: t.priority }));
  }
  return out;
}
