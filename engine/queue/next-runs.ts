import { CronExpressionParser } from 'cron-parser';
import type { SchedulesConfig } from '../config/types';
import { exchangeDate } from '../shared/exchange-time';
import { isMarketOpen, isTradingDay } from '../shared/market-calendar';
import { schedulerSpecs } from './scheduler-specs';

export interface NextRun {
  readonly task: string;
  /** Epoch ms of the next run the calendar allows, or null (event- or dependency-driven). */
  readonly next: number | null;
  readonly trigger: string;
}

const HORIZON_MS = 30 * 86_400_000;

/** Each task's next run after `nowMs`, skipping fire times its calendar requirement would skip. */
export function nextRuns(s: SchedulesConfig, nowMs: number): NextRun[] {
  const specs = schedulerSpecs(s);
  return s.tasks.map((t) => {
    if (t.after) return { task: t.name, next: null, trigger: `after ${t.after.task} + ${Math.round(t.after.delay_ms / 60_000)}m` };
    let best: number | null = null;
    for (const spec of specs.filter((x) => x.task === t.name)) {
      const it = CronExpressionParser.parse(spec.pattern, { tz: spec.tz, currentDate: new Date(nowMs), endDate: new Date(nowMs + HORIZON_MS) });
      while (it.hasNext()) {
        const at = it.next().getTime();
        const ok = t.requires === 'any' || (t.requires === 'trading_day' ? isTradingDay(exchangeDate(at)) : isMarketOpen(at) || isMarketOpen(at - 1));
        if (ok) {
          if (best === null || at < best) best = at;
          break;
        }
      }
    }
    const trigger = t.cron.length > 0 ? `cron ${t.cron.join(', ')}` : t.every ? `every ${Math.round(t.every.interval_ms / 60_000)}m` : `on ${t.on.join(', ')}`;
    return { task: t.name, next: best, trigger: t.on.length > 0 && t.cron.length > 0 ? `${trigger}; on ${t.on.join(', ')}` : trigger };
  });
}
