import { CronExpressionParser } from 'cron-parser';
import { schedulerSpecs } from '../../../engine/queue/scheduler-specs';
import { shippedConfig } from '../../helpers/config';

describe('scheduler specs of the shipped schedule', () => {
  const specs = schedulerSpecs(shippedConfig().schedules);

  it('should turn the 5-minute monitor window 09:30–16:00 into cron patterns firing exactly on the grid', () => {
    const mon = specs.filter((s) => s.task === 'unified_monitor');
    expect(mon.map((s) => s.pattern)).toEqual(['30-55/5 9 * * 1-5', '*/5 10-15 * * 1-5', '0 16 * * 1-5']);
    const fires = mon.flatMap((s) => {
      const it = CronExpressionParser.parse(s.pattern, { tz: s.tz, currentDate: new Date('2026-11-24T05:00:00Z'), endDate: new Date('2026-11-25T05:00:00Z') });
      const out: number[] = [];
      while (it.hasNext()) out.push(it.next().getTime());
      return out;
    });
    expect(fires).toHaveLength(79); // 09:30, 09:35, …, 16:00
    expect(Math.min(...fires)).toBe(Date.parse('2026-11-24T14:30:00Z'));
    expect(Math.max(...fires)).toBe(Date.parse('2026-11-24T21:00:00Z'));
  });

  it('should not make schedulers for after-dependencies (flows) and keep every task priority', () => {
    expect(specs.some((s) => s.task === 'execute_strategies')).toBe(false);
    expect(specs.find((s) => s.task === 'strategy_analysis')).toEqual({ id: 'strategy_analysis#0', task: 'strategy_analysis', pattern: '45 9 * * 1-5', tz: 'America/New_York', priority: 25 });
    expect(new Set(specs.map((s) => s.id)).size).toBe(specs.length);
  });

  it.each([
    ['2026-03-06T00:00:00Z', '2026-03-06T14:45:00.000Z'], // EST
    ['2026-03-07T00:00:00Z', '2026-03-09T13:45:00.000Z'], // EDT after the change
    ['2026-10-30T00:00:00Z', '2026-10-30T13:45:00.000Z'],
    ['2026-10-31T00:00:00Z', '2026-11-02T14:45:00.000Z'], // EST again
  ])('should fire the 09:45 ET analysis after %s at %s (DST)', (from, next) => {
    const s = specs.find((x) => x.task === 'strategy_analysis');
    const it = CronExpressionParser.parse(s?.pattern ?? '', { tz: s?.tz ?? '', currentDate: new Date(from) });
    expect(it.next().toDate().toISOString()).toBe(next);
  });
});
