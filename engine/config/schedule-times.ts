import { CronExpressionParser } from 'cron-parser';
import { DateTime } from 'luxon';

/** Validates a 5-field cron expression; returns the parser's complaint or null. */
export function cronError(expr: string, tz: string): string | null {
  if (expr.trim().split(/\s+/).length !== 5) return 'a cron expression has 5 fields (minute hour day-of-month month day-of-week)';
  try {
    CronExpressionParser.parse(expr, { tz });
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** Fire instants (epoch ms) of a cron expression in [fromMs, toMs). */
export function cronTimes(expr: string, tz: string, fromMs: number, toMs: number, limit = 20_000): number[] {
  const it = CronExpressionParser.parse(expr, { tz, currentDate: new Date(fromMs - 1), endDate: new Date(toMs) });
  const out: number[] = [];
  while (out.length < limit && it.hasNext()) {
    const t = it.next().getTime();
    if (t >= toMs) break;
    out.push(t);
  }
  return out;
}

/** Minute of day and ISO weekday (1 Mon..7 Sun) of an instant in a zone. */
export function zonedMinute(ms: number, tz: string): { minute: number; weekday: number } {
  const d = DateTime.fromMillis(ms, { zone: tz });
  return { minute: d.hour * 60 + d.minute, weekday: d.weekday };
}

export function isValidZone(tz: string): boolean {
  return DateTime.local().setZone(tz).isValid;
}
