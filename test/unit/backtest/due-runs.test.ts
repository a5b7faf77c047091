import { CronExpressionParser } from 'cron-parser';
import { dueRuns } from '../../../engine/backtest/virtual-time-driver';
import { schedulerSpecs } from '../../../engine/queue/scheduler-specs';
import { exchangeInstant } from '../../../engine/shared/exchange-time';
import { shippedConfig } from '../../helpers/config';

/** What cron-parser alone says: every fire time of every scheduler, walked one by one. */
function reference(fromMs: number, toMs: number): Array<{ at: number; task: string }> {
  const s = shippedConfig().schedules;
  const out: Array<{ at: number; task: string; priority: number }> = [];
  for (const spec of schedulerSpecs(s)) {
    const priority = s.tasks.find((t) => t.name === spec.task)?.priority ?? 0;
    const it = CronExpressionParser.parse(spec.pattern, { tz: spec.tz, currentDate: new Date(fromMs - 1), endDate: new Date(toMs) });
    while (it.hasNext()) {
      const at = it.next().getTime();
      if (at >= fromMs && at < toMs) out.push({ at, task: spec.task, priority });
    }
  }
  return out.sort((a, b) => a.at - b.at || a.priority - b.priority || a.task.localeCompare(b.task)).map(({ at, task }) => ({ at, task }));
}

describe('dueRuns', () => {
  describe('when the range spans DST changes and partial days', () => {
    it.each([
      ['a month around a DST change', exchangeInstant('2025-02-20', '00:00'), exchangeInstant('2025-03-20', '00:00')],
      ['the spring-forward weekend', exchangeInstant('2025-03-08', '13:17'), exchangeInstant('2025-03-10', '11:03')],
      ['the fall-back weekend', exchangeInstant('2025-11-01', '00:00'), exchangeInstant('2025-11-03', '23:59')],
      ['part of one trading day', exchangeInstant('2026-01-13', '09:47'), exchangeInstant('2026-01-13', '15:12')],
    ])('should give exactly the fire times cron-parser gives over %s', (_name, from, to) => {
      expect(dueRuns(shippedConfig().schedules, from, to).map(({ at, task }) => ({ at, task }))).toEqual(reference(from, to));
    });
  });
});
