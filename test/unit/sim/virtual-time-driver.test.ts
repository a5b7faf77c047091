import type { TaskName } from '../../../engine/config/types';
import { ManualClock } from '../../../engine/shared/clock';
import { exchangeInstant } from '../../../engine/shared/exchange-time';
import { driveSchedule, dueRuns } from '../../../engine/backtest/virtual-time-driver';
import { VirtualTimers } from '../../../engine/backtest/virtual-timers';
import { shippedConfig } from '../../helpers/config';

const DAY = '2026-01-05';
const at = (hhmm: string): number => exchangeInstant(DAY, hhmm);
const iso = (ms: number): string => new Date(ms).toISOString().slice(11, 19);

describe('the virtual-time driver', () => {
  const schedules = shippedConfig().schedules;

  it('lists the due runs of a day in time order, then priority', () => {
    const runs = dueRuns(schedules, at('09:30'), at('09:40'));
    expect(runs.map((r) => `${iso(r.at)} ${r.task}`)).toEqual([
      '14:30:00 unified_monitor',
      '14:30:00 collect_option_data',
      '14:30:00 collect_futures_data',
      '14:35:00 unified_monitor',
      '14:35:00 collect_option_data',
      '14:35:00 collect_futures_data',
    ]);
  });

  it('runs the 5-minute jobs on time while an order walk sleeps across them, and wakes the walk at its own times', async () => {
    const clock = new ManualClock(at('09:44'));
    const advanced: number[] = [];
    const timers = new VirtualTimers(clock, async (now) => {
      advanced.push(now);
    });
    const started: string[] = [];
    const walk: string[] = [];
    let walking: Promise<void> | null = null;
    const runner = {
      run: async (task: TaskName) => {
        started.push(`${iso(clock.now())} ${task}`);
        if (task === 'execute_strategies' && !walking) {
          // An order walk: four 90 s steps, as the order manager sleeps between price changes.
          walking = (async () => {
            for (let i = 0; i < 4; i++) {
              await timers.sleep(90_000);
              walk.push(iso(clock.now()));
            }
          })();
        }
        await new Promise((r) => setImmediate(r));
        return { status: 'ok', summary: '' };
      },
      settle: () => new Promise<void>((r) => setImmediate(r)),
    };
    await driveSchedule(schedules, clock, at('10:11'), runner, timers);
    expect(started).toContain('15:00:00 execute_strategies');
    expect(walk).toEqual(['15:01:30', '15:03:00', '15:04:30', '15:06:00']);
    expect(started.filter((s) => s.endsWith('unified_monitor') && s >= '15')).toEqual(['15:00:00 unified_monitor', '15:05:00 unified_monitor', '15:10:00 unified_monitor']);
    expect(advanced.map(iso)).toEqual(walk);
    expect(timers.sleeping).toBe(0);
  });

  it('wakes sleepers still asleep at the end before it returns, and a zero sleep does not wait', async () => {
    const clock = new ManualClock(at('15:59'));
    const timers = new VirtualTimers(clock);
    await timers.sleep(0);
    let woke = 0;
    void timers.sleep(10 * 60_000).then(() => {
      woke = clock.now();
    });
    const runner = { run: async () => ({ status: 'ok', summary: '' }), settle: async () => undefined };
    await driveSchedule(schedules, clock, at('16:01'), runner, timers);
    await new Promise((r) => setImmediate(r));
    expect(iso(woke)).toBe('21:09:00');
    expect(clock.now()).toBe(at('16:09'));
  });
});
