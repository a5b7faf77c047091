import { nextMinute, saveLog, sleep, sleepUntil, thetadesk, type ChildRun } from './support/chaos-kit';
import { doubleRuns, LIMIT_MS, longestUnwatched, monitorRuns, startEngineCase, type EngineCase } from './support/engine-case';

interface CaseResult {
  readonly c: EngineCase;
  readonly exit: { code: number | null; signal: NodeJS.Signals | null };
  readonly fire: number;
  readonly enqueue: ChildRun;
  readonly status: ChildRun;
  readonly endedAt: number;
}

/**
 * `thetadesk run` as a child process (paper broker, simulated market, its clock at a market hour)
 * with two open positions, on a private redis-server that is SIGKILLed 5 s before a monitor is
 * due and started again on the same port 10 s later.
 */
async function killAndRestart(persistent: boolean): Promise<CaseResult> {
  const c = await startEngineCase(persistent ? 'kill-aof' : 'kill-mem', { persistent });
  const { engine, env, flags } = c;
  await engine.waitFor(/ running \(tasks \+ orders/, 60_000);
  // The outage spans the next monitor's fire time that leaves the engine a few seconds after starting.
  const fire = nextMinute(Date.now() + env.offsetMs + 8_000);
  await sleepUntil(fire - 5_000, env.offsetMs);
  await c.redis.kill();
  await sleep(10_000);
  await c.redis.launch();
  await engine.waitFor(/ redis: back at /, 30_000);
  // The monitor due during the outage, and the next scheduled one.
  await sleepUntil(fire + 60_000 + 2_000, env.offsetMs);
  const deadline = Date.now() + 20_000;
  while (!monitorRuns(c.journal).some((r) => r.scheduled_for === fire + 60_000 && r.status !== 'running') && Date.now() < deadline) await sleep(250);
  const enqueue = await thetadesk(['enqueue', 'sync_positions', '--wait', ...flags], env, 60_000);
  const status = await thetadesk(['status', '--config', c.cfg, '--journal', c.journal, '--prefix', c.prefix], env, 30_000);
  const endedAt = Date.now() + env.offsetMs;
  const exit = await engine.stop('SIGTERM');
  saveLog(`redis-kill-${persistent ? 'aof' : 'mem'}`, engine, { 'enqueue sync_positions --wait (after the restart)': enqueue, status });
  return { c, exit, fire, enqueue, status, endedAt };
}

describe('chaos: Redis SIGKILLed during a trading day and restarted 10 s later', () => {
  const results: Partial<Record<'aof' | 'mem', CaseResult>> = {};

  beforeAll(async () => {
    // Both cases at once (each its own redis-server, prefix, journal and engine): the suite stays short.
    const settled = await Promise.allSettled([killAndRestart(true), killAndRestart(false)]);
    for (const [i, s] of settled.entries()) {
      if (s.status === 'fulfilled') results[i === 0 ? 'aof' : 'mem'] = s.value;
      else throw s.reason;
    }
  }, 200_000);

  afterAll(async () => {
    for (const r of Object.values(results)) await r.c.cleanup();
  });

  describe.each([
    ['persistent (append-only file)', 'aof', true],
    ['non-persistent (--save "", no AOF)', 'mem', false],
  ] as const)('when Redis is %s', (_label, key, persistent) => {
    const result = (): CaseResult => {
      const r = results[key];
      if (!r) throw new Error('case did not run');
      return r;
    };

    it('should say so in one line and one alert when it goes and when it is back, never a line per retry', () => {
      const { c } = result();
      const down = c.engine.matching(/ redis: unreachable at /);
      const back = c.engine.matching(/ redis: back at /);
      expect(down).toHaveLength(1);
      expect(back).toHaveLength(1);
      expect(down[0]).toMatch(/redis: unreachable at redis:\/\/127\.0\.0\.1:\d+ since \d\d:\d\d:\d\dZ \(.*(ECONNREFUSED|Connection is closed|ECONNRESET).*\): no job runs until it is back; reconnecting with backoff up to 2\.0 s/);
      expect(back[0]).toMatch(/redis: back at redis:\/\/127\.0\.0\.1:\d+ after 1\d\.\d s \(\d+ connection errors while down\)/);
      expect(c.engine.matching(/worker error|queue error|Connection is closed|ECONNREFUSED/).filter((l) => !/ redis: unreachable at /.test(l) && !l.includes('"alert"'))).toEqual([]);
      expect(c.engine.alerts('redis_outage').map((a) => a.severity)).toEqual(['error', 'warning']);
    });

    it(persistent ? 'should find its schedulers still there and the overdue monitor run once' : 'should re-create the lost job schedulers and catch up the monitor due during the outage', () => {
      const { c } = result();
      const back = c.engine.matching(/ redis: back at /)[0] ?? '';
      if (persistent) {
        expect(back).toMatch(/schedulers re-synced \(0 added, 0 updated, 0 removed, \d+ unchanged\)/);
        // BullMQ may hand over the overdue job before the heartbeat notices Redis is back: either way once.
        expect(back).toMatch(/caught up: (nothing to run|unified_monitor@\d\d:\d\d:00Z queued); 0 missed/);
      } else {
        expect(back).toMatch(/schedulers re-synced \([1-9]\d* added, 0 updated, 0 removed, 0 unchanged\)/);
        expect(back).toMatch(/caught up: unified_monitor@\d\d:\d\d:00Z queued; 0 missed/);
      }
    });

    it('should run every scheduled monitor after the restart exactly once, with no watchdog alert', () => {
      const { c, fire } = result();
      expect(doubleRuns(c.journal)).toEqual([]);
      const runs = monitorRuns(c.journal);
      expect([fire, fire + 60_000].map((f) => runs.find((x) => x.scheduled_for === f)?.status)).toEqual(['ok', 'ok']);
      expect(c.engine.alerts('watchdog')).toEqual([]);
    });

    it('should keep every open position watched within the watchdog limit', () => {
      const { c, endedAt } = result();
      expect(longestUnwatched(c.journal, c.positions, endedAt)).toBeLessThanOrEqual(LIMIT_MS);
    });

    it('should complete an ad-hoc job enqueued after the restart, show the watchdog in status, and stop cleanly on SIGTERM', () => {
      const r = result();
      expect({ code: r.enqueue.code, stderr: r.enqueue.stderr }).toEqual({ code: 0, stderr: '' });
      expect(r.enqueue.stdout).toMatch(/^sync_positions \(job adhoc-sync_positions-\d+\): ok: /);
      expect(r.status.code).toBe(0);
      expect(r.status.stdout).toMatch(/^watchdog: ok \(unified_monitor completed [\d.]+ min ago/m);
      expect(r.exit).toEqual({ code: 0, signal: null });
    });
  });
});
