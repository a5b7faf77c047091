import { AlertManager } from '../../../engine/alerts/alert-manager';
import type { EngineStateStore } from '../../../engine/risk/engine-state-store';
import { KillSwitch } from '../../../engine/risk/kill-switch';
import { JournalGuard } from '../../../engine/runtime/journal-guard';
import { ManualClock } from '../../../engine/shared/clock';
import { EngineStateRepo } from '../../../engine/store/engine-state-repo';
import { openJournal, type Db } from '../../../engine/store/journal';
import { reserveBytes } from '../../../engine/store/journal-reserve';
import { RunsRepo } from '../../../engine/store/runs-repo';
import { shippedConfig } from '../../helpers/config';

const RESERVE = 256 * 1024;

function setup(store?: (db: Db) => EngineStateStore) {
  const db = openJournal(':memory:');
  const clock = new ManualClock('2026-01-05T17:00:00Z');
  const lines: string[] = [];
  const alerts = new AlertManager(shippedConfig().strategies.alerts, clock, (l) => lines.push(l), []);
  const killSwitch = new KillSwitch(store ? store(db) : new EngineStateRepo(db));
  let released = 0;
  const guard = new JournalGuard({ db, killSwitch, alerts, clock, log: (l) => lines.push(l), afterRelease: () => released++, reserveBytes: RESERVE });
  guard.prepare();
  const fill = (): unknown => {
    const runs = new RunsRepo(db);
    try {
      for (let i = 0; ; i++) runs.start({ job_id: `j${i}-${'x'.repeat(300)}`, task: 'unified_monitor', config_hash: 'h', scheduled_for: i, started_at: i });
    } catch (e) {
      return e;
    }
  };
  const diskFull = (): void => {
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
  };
  return { db, clock, lines, killSwitch, guard, fill, diskFull, released: () => released, alerts: () => lines.filter((l) => l.startsWith('{"alert":"journal_failure"')).map((l) => JSON.parse(l) as { severity: string; message: string }) };
}

describe('the journal guard', () => {
  describe('when a write fails because the disk is full', () => {
    const t = setup();
    t.diskFull();
    const err = t.fill();

    it('should take it as a journal failure, release the reserve, and re-run what watches positions', () => {
      expect(err).toMatchObject({ code: 'SQLITE_FULL' });
      expect(reserveBytes(t.db)).toBe(RESERVE);
      expect(t.guard.inspect(err)).toBe(true);
      expect(reserveBytes(t.db)).toBe(0);
      expect(t.released()).toBe(1);
    });

    it('should halt entries, persisted in the journal, and raise exactly one critical alert however often writes fail', () => {
      expect(t.killSwitch.get()).toMatchObject({ halted: true });
      expect(new KillSwitch(new EngineStateRepo(t.db)).get().halted).toBe(true);
      t.guard.inspect(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }));
      expect(t.alerts().map((a) => a.severity)).toEqual(['critical']);
      expect(t.alerts()[0]?.message).toMatch(/^journal :memory:: write failed \(SQLITE_FULL: database or disk is full\): new entries halted \(persisted in the journal\); released the 0\.3 MB reserve/);
    });

    it('should let only the tasks that watch and close positions run', () => {
      expect(t.guard.admit('unified_monitor')).toBeNull();
      expect(t.guard.admit('health_check')).toBeNull();
      expect(t.guard.admit('execute_strategies')).toMatch(/^the journal :memory: failed a write \(SQLITE_FULL\) at 2026-01-05T17:00:00\.000Z; until it has room only unified_monitor, sync_positions, health_check and orders run$/);
      expect(t.guard.status()).toMatchObject({ ok: false });
    });

    it('should not count the room the reserve freed as recovery, then recover once there is real room', () => {
      expect(t.guard.tick()).toBe(false);
      t.db.pragma('max_page_count = 1073741823');
      expect(t.guard.tick()).toBe(true);
      expect(reserveBytes(t.db)).toBe(RESERVE);
      expect(t.guard.status()).toMatchObject({ ok: true });
      expect(t.guard.admit('execute_strategies')).toBeNull();
      // The halt stays until an operator lifts it.
      expect(t.killSwitch.get().halted).toBe(true);
      expect(t.alerts().map((a) => a.severity)).toEqual(['critical', 'warning']);
    });
  });

  it('should ignore errors that are not the journal failing', () => {
    const t = setup();
    expect(t.guard.inspect(Object.assign(new Error('UNIQUE constraint failed'), { code: 'SQLITE_CONSTRAINT_PRIMARYKEY' }))).toBe(false);
    expect(t.guard.inspect(new Error('Command timed out'))).toBe(false);
    expect(t.killSwitch.get().halted).toBe(false);
  });

  describe('when the journal refuses even the halt', () => {
    let failWrites = true;
    const t = setup((db) => {
      const real = new EngineStateRepo(db);
      return {
        get: <T>(k: string) => real.get<T>(k),
        set: (k: string, v: unknown, now: number) => {
          if (failWrites) throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_WRITE' });
          real.set(k, v, now);
        },
      };
    });

    it('should halt in this process’s memory and say so', () => {
      t.guard.inspect(Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_WRITE' }));
      expect(t.killSwitch.get()).toMatchObject({ halted: true, in_memory: true });
      expect(t.alerts()[0]?.message).toContain('new entries halted (in this process only: the journal refused that write too)');
    });

    it('should write the halt once the journal takes writes, unless an operator resumed since', () => {
      failWrites = false;
      expect(t.guard.tick()).toBe(true);
      expect(new KillSwitch(new EngineStateRepo(t.db)).get()).toMatchObject({ halted: true });
      // A second failure, halted in memory again; then an operator resumes from another process.
      const real = new EngineStateRepo(t.db);
      let refuse = true;
      const ks = new KillSwitch({ get: <T>(k: string) => real.get<T>(k), set: (k: string, v: unknown, now: number) => (refuse ? (() => { throw new Error('disk I/O error'); })() : real.set(k, v, now)) });
      expect(ks.haltBestEffort('again', t.clock.now())).toBe('in_memory');
      t.clock.advance(1000);
      const operator = new KillSwitch(new EngineStateRepo(t.db));
      operator.resume(t.clock.now());
      refuse = false;
      expect(ks.persistPending(t.clock.now())).toBe(true);
      expect(ks.get().halted).toBe(false);
      expect(operator.get().halted).toBe(false);
    });
  });
});
