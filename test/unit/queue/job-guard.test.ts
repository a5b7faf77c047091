import { guardJob } from '../../../engine/queue/job-guard';
import { shippedConfig } from '../../helpers/config';

const config = shippedConfig();
const task = (name: string) => {
  const t = config.schedules.tasks.find((x) => x.name === name);
  if (!t) throw new Error(name);
  return t;
};
const job = (at: string, hash = config.hash) => ({ task: 'strategy_analysis', config_hash: hash, scheduled_for: Date.parse(at), params: {} });

describe('guardJob', () => {
  it('should run the analysis at 09:45 ET on a trading day', () => {
    expect(guardJob(task('strategy_analysis'), job('2026-11-24T14:45:00Z'), Date.parse('2026-11-24T14:45:02Z'), config.hash)).toEqual({ run: true });
  });

  it('should skip a market_open task on Thanksgiving as market closed', () => {
    expect(guardJob(task('strategy_analysis'), job('2026-11-26T14:45:00Z'), Date.parse('2026-11-26T14:45:01Z'), config.hash)).toEqual({ run: false, status: 'skipped', reason: 'market closed' });
  });

  it('should skip the monitor after the 13:00 early close', () => {
    expect(guardJob(task('unified_monitor'), job('2026-11-27T18:05:00Z'), Date.parse('2026-11-27T18:05:00Z'), config.hash)).toMatchObject({ status: 'skipped' });
  });

  it('should record a job starting past its misfire grace as missed and not run it', () => {
    // 15 minutes' grace; the worker came back 40 minutes late.
    expect(guardJob(task('strategy_analysis'), job('2026-11-24T14:45:00Z'), Date.parse('2026-11-24T15:25:00Z'), config.hash)).toEqual({
      run: false,
      status: 'missed',
      reason: 'started 2400 s after 2026-11-24T14:45:00.000Z, past the misfire grace of 900 s',
    });
  });

  it('should refuse a job made under another config', () => {
    const v = guardJob(task('strategy_analysis'), job('2026-11-24T14:45:00Z', 'f'.repeat(64)), Date.parse('2026-11-24T14:45:01Z'), config.hash);
    expect(v).toMatchObject({ run: false, status: 'refused' });
  });

  it('should run health_check (requires any) on a Sunday', () => {
    expect(guardJob(task('health_check'), { ...job('2026-11-29T15:00:00Z'), task: 'health_check' }, Date.parse('2026-11-29T15:00:00Z'), config.hash)).toEqual({ run: true });
  });

  describe('when running against IB, inside a broker maintenance window', () => {
    const maintenance = { windows: config.schedules.broker_maintenance, timezone: config.schedules.timezone };

    it('should defer a task that needs the broker to the end of the window (never fail it)', () => {
      // Sunday 10:00 ET: IB's weekend window runs to 18:00 ET.
      const v = guardJob(task('health_check'), { ...job('2026-11-29T15:00:00Z'), task: 'health_check' }, Date.parse('2026-11-29T15:00:00Z'), config.hash, maintenance);
      expect(v).toEqual({ run: false, status: 'deferred', reason: 'broker maintenance window weekend (Sat 00:00–Sun 18:00 America/New_York): runs when it ends', until: Date.parse('2026-11-29T23:00:00Z') });
    });

    it('should defer the nightly runs to 00:45 ET', () => {
      const v = guardJob(task('health_check'), { ...job('2026-11-25T05:00:00Z'), task: 'health_check' }, Date.parse('2026-11-25T05:00:00Z'), config.hash, maintenance);
      expect(v).toMatchObject({ status: 'deferred', until: Date.parse('2026-11-25T05:45:00Z') });
    });

    it('should run a task that does not need the broker, and anything outside the windows', () => {
      const free = { ...task('health_check'), needs_broker: false };
      expect(guardJob(free, { ...job('2026-11-29T15:00:00Z'), task: 'health_check' }, Date.parse('2026-11-29T15:00:00Z'), config.hash, maintenance)).toEqual({ run: true });
      expect(guardJob(task('strategy_analysis'), job('2026-11-24T14:45:00Z'), Date.parse('2026-11-24T14:45:02Z'), config.hash, maintenance)).toEqual({ run: true });
    });

    it('should skip a closed day rather than defer it (the calendar comes first)', () => {
      expect(guardJob(task('load_historical_data'), { ...job('2026-11-28T13:00:00Z'), task: 'load_historical_data' }, Date.parse('2026-11-28T13:00:00Z'), config.hash, maintenance)).toMatchObject({ status: 'skipped' });
    });
  });
});
