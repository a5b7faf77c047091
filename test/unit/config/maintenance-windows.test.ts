import { maintenanceAt } from '../../../engine/config/maintenance-window';
import { lineOf, lintWith, replaceOnce, shippedConfig } from '../../helpers/config';

const TZ = 'America/New_York';
const et = (iso: string): number => Date.parse(iso); // ISO with offset

describe('broker maintenance windows', () => {
  const windows = shippedConfig().schedules.broker_maintenance;

  describe('when an instant is tested against the shipped US-East windows', () => {
    it.each([
      ['Tue 23:44 ET', '2026-01-06T23:44:00-05:00', null],
      ['Tue 23:45 ET', '2026-01-06T23:45:00-05:00', 'nightly_restart'],
      ['Wed 00:30 ET', '2026-01-07T00:30:00-05:00', 'nightly_restart'],
      ['Wed 00:45 ET (end is exclusive)', '2026-01-07T00:45:00-05:00', null],
      ['Wed 10:00 ET', '2026-01-07T10:00:00-05:00', null],
      ['Sat 12:00 ET', '2026-01-10T12:00:00-05:00', 'weekend'],
      ['Sun 17:59 ET', '2026-01-11T17:59:00-05:00', 'weekend'],
      ['Sun 18:00 ET', '2026-01-11T18:00:00-05:00', null],
      ['Sun 23:50 ET', '2026-01-11T23:50:00-05:00', 'nightly_restart'],
      ['Sat 00:30 ET (both: the later end wins)', '2026-01-10T00:30:00-05:00', 'weekend'],
      ['a DST Sunday 23:50 EDT', '2026-03-08T23:50:00-04:00', 'nightly_restart'],
    ])('%s (%s) should be in window %s', (_label, iso, name) => {
      expect(maintenanceAt(windows, TZ, et(iso))?.name ?? null).toBe(name);
    });

    it('should give the end of the occurrence it is in', () => {
      expect(new Date(maintenanceAt(windows, TZ, et('2026-01-06T23:50:00-05:00'))!.end_ms).toISOString()).toBe('2026-01-07T05:45:00.000Z');
      expect(new Date(maintenanceAt(windows, TZ, et('2026-01-10T09:00:00-05:00'))!.end_ms).toISOString()).toBe('2026-01-11T23:00:00.000Z');
    });

    it('should widen occurrences by the slack (a restart a minute early is the expected one)', () => {
      expect(maintenanceAt(windows, TZ, et('2026-01-06T23:44:00-05:00'), 120_000)?.name).toBe('nightly_restart');
    });
  });

  describe('when the windows are linted', () => {
    const shipped = 'start: "23:45"\n    end: "00:45"';
    it.each([
      ['a window inside market hours', (t: string) => replaceOnce(t, shipped, 'start: "12:00"\n    end: "12:30"'), 'E_MAINTENANCE_MARKET_HOURS', 'maintenance window "nightly_restart" (Mon 12:00, 30 min) overlaps the market\'s 09:30–16:00 ET: the monitor and order tasks would wait it out with positions unwatched; keep broker maintenance outside market hours'],
      ['both end and duration', (t: string) => replaceOnce(t, shipped, 'start: "23:45"\n    end: "00:45"\n    duration: 1h'), 'E_MAINTENANCE_LENGTH', 'maintenance window "nightly_restart" needs exactly one of end or duration'],
      ['a window of more than a week', (t: string) => replaceOnce(t, 'duration: 42h', 'duration: 8d'), 'E_MAINTENANCE_LENGTH', 'maintenance window "weekend" must last more than 0 and at most 7d; it lasts 8d'],
      ['an end equal to the start', (t: string) => replaceOnce(t, shipped, 'start: "23:45"\n    end: "23:45"'), 'E_MAINTENANCE_LENGTH', 'maintenance window "nightly_restart" ends when it starts (23:45): that is 24 hours; give duration: 24h if that is meant'],
      ['a duplicate name', (t: string) => replaceOnce(t, 'name: weekend', 'name: nightly_restart'), 'E_MAINTENANCE_DUPLICATE', 'maintenance window "nightly_restart" is listed twice'],
    ])('should report %s', (_label, mutate, code, message) => {
      const r = lintWith((f) => {
        f['schedules.yaml'] = mutate(f['schedules.yaml'] ?? '');
      });
      expect(r.config).toBeNull();
      expect(r.problems.map((p) => [p.file, p.code, p.message])).toContainEqual(['schedules.yaml', code, message]);
    });

    it('should report a bad weekday through the schema, located at its line', () => {
      const r = lintWith((f) => {
        f['schedules.yaml'] = replaceOnce(f['schedules.yaml'] ?? '', 'days: [sat]', 'days: [saturday]');
      });
      const p = r.problems.find((x) => x.code === 'E_SCHEMA');
      expect(p?.line).toBe(lineOf('schedules.yaml', 'days: [sat]'));
    });

    it('should accept the shipped windows and a task that does not need the broker', () => {
      const r = lintWith((f) => {
        f['schedules.yaml'] = replaceOnce(f['schedules.yaml'] ?? '', '    requires: any\n', '    requires: any\n    needs_broker: false\n');
      });
      expect(r.problems).toEqual([]);
      expect(r.config?.schedules.tasks.find((t) => t.name === 'health_check')?.needs_broker).toBe(false);
    });
  });
});
