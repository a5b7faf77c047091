import { AlertManager } from '../../../engine/alerts/alert-manager';
import type { WatchdogConfig } from '../../../engine/config/types';
import { Watchdog, watchdogStatus, WATCHDOG_KEY } from '../../../engine/runtime/watchdog';
import { ManualClock } from '../../../engine/shared/clock';
import { EngineStateRepo } from '../../../engine/store/engine-state-repo';
import { openJournal } from '../../../engine/store/journal';
import { RunsRepo } from '../../../engine/store/runs-repo';
import { shippedConfig } from '../../helpers/config';

const CFG: WatchdogConfig = shippedConfig().schedules.watchdog;
const at = (iso: string): number => Date.parse(iso);

describe('watchdogStatus (pure)', () => {
  it('should take its limit from schedules.yaml: 2 × the monitor’s 5 minutes', () => {
    expect(CFG).toEqual({ enabled: true, task: 'unified_monitor', intervals: 2, interval_ms: 300_000, limit_ms: 600_000, check_every_ms: 30_000 });
  });

  it.each([
    ['before the open', null, '2026-01-05T14:29:00Z', 'market_closed'],
    ['a Saturday at noon', null, '2026-01-03T17:00:00Z', 'market_closed'],
    ['a holiday (Good Friday 2026)', null, '2026-04-03T15:00:00Z', 'market_closed'],
    ['after an early close (Black Friday, 13:00)', null, '2026-11-27T18:30:00Z', 'market_closed'],
    ['10 minutes after the open with no run yet', null, '2026-01-05T14:40:00Z', 'ok'],
    ['10 minutes and 1 second after the open with no run yet', null, '2026-01-05T14:40:01Z', 'overdue'],
    ['a run yesterday, 11 minutes after today’s open', '2026-01-02T20:55:00Z', '2026-01-05T14:41:00Z', 'overdue'],
    ['a run 9 minutes ago', '2026-01-05T15:51:00Z', '2026-01-05T16:00:00Z', 'ok'],
    ['a run 10 minutes and 1 second ago', '2026-01-05T15:50:00Z', '2026-01-05T16:00:01Z', 'overdue'],
  ])('when %s (last run %s, now %s) it should be %s', (_label, last, now, state) => {
    expect(watchdogStatus(CFG, last === null ? null : at(last), at(now)).state).toBe(state);
  });

  it('should name the task, since when, how long, the limit and what it means when overdue', () => {
    expect(watchdogStatus(CFG, at('2026-01-05T15:50:00Z'), at('2026-01-05T16:02:00Z')).detail).toBe('unified_monitor has not completed since 2026-01-05T15:50:00.000Z: 12.0 min during market hours (limit 10.0 min = 2 × 5.0 min); open positions are not being watched');
    expect(watchdogStatus(CFG, null, at('2026-01-05T14:45:00Z')).detail).toBe('unified_monitor has not completed since 2026-01-05T14:30:00.000Z (the open): 15.0 min during market hours (limit 10.0 min = 2 × 5.0 min); open positions are not being watched');
  });

  it('should report disabled when schedules.yaml turns it off', () => {
    expect(watchdogStatus({ ...CFG, enabled: false }, null, at('2026-01-05T16:00:00Z')).state).toBe('disabled');
  });
});

describe('Watchdog (the timer’s check)', () => {
  const setup = () => {
    const db = openJournal(':memory:');
    const clock = new ManualClock('2026-01-05T15:00:00Z');
    const lines: string[] = [];
    const alerts = new AlertManager(shippedConfig().strategies.alerts, clock, (l) => lines.push(l), []);
    const wd = new Watchdog({ db, config: CFG, clock, alerts, log: (l) => lines.push(l) });
    const monitorRan = (endIso: string): void => {
      const runs = new RunsRepo(db);
      runs.start({ job_id: `m-${endIso}`, task: 'unified_monitor', config_hash: 'h', scheduled_for: at(endIso), started_at: at(endIso) });
      runs.end(`m-${endIso}`, 'ok', 'fine', at(endIso));
    };
    return { db, clock, lines, wd, monitorRan, alerts: () => lines.filter((l) => l.startsWith('{"alert":"watchdog"')).map((l) => JSON.parse(l) as { severity: string; message: string }) };
  };

  it('should raise one critical alert on the way into overdue, none while it stays so, one info alert when a monitor completes', async () => {
    const t = setup();
    t.monitorRan('2026-01-05T14:55:00Z');
    expect((await t.wd.check()).state).toBe('ok');
    t.clock.set('2026-01-05T15:06:00Z');
    await t.wd.check();
    t.clock.set('2026-01-05T15:07:00Z');
    await t.wd.check();
    expect(t.alerts().map((a) => a.severity)).toEqual(['critical']);
    expect(new EngineStateRepo(t.db).get(WATCHDOG_KEY)).toMatchObject({ state: 'overdue', pid: process.pid });
    t.monitorRan('2026-01-05T15:07:30Z');
    t.clock.set('2026-01-05T15:08:00Z');
    await t.wd.check();
    expect(t.alerts().map((a) => a.severity)).toEqual(['critical', 'info']);
    expect(t.lines.filter((l) => l.startsWith('watchdog: '))).toEqual([
      'watchdog: unified_monitor has not completed since 2026-01-05T14:55:00.000Z: 11.0 min during market hours (limit 10.0 min = 2 × 5.0 min); open positions are not being watched',
      'watchdog: unified_monitor completed 0.5 min ago (limit 10.0 min = 2 × 5.0 min)',
    ]);
  });

  it('should be overdue, not silent, when it cannot read the journal', async () => {
    const t = setup();
    t.db.close();
    const s = await t.wd.check();
    expect(s.state).toBe('overdue');
    expect(s.detail).toMatch(/^cannot read unified_monitor's runs from the journal \(.*\): whether open positions are watched is unknown$/);
    expect(t.alerts().map((a) => a.severity)).toEqual(['critical']);
  });
});
