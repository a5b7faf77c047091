import { nextMinute, saveLog, sleep, sleepUntil, thetadesk, type ChildRun } from './support/chaos-kit';
import { doubleRuns, LIMIT_MS, longestUnwatched, monitorRuns, startEngineCase, type EngineCase } from './support/engine-case';

/**
 * A Redis that accepts connections but never answers: the private redis-server is SIGSTOPped 5 s
 * before a monitor is due and SIGCONTed 20 s later, while `thetadesk run` works against it and an
 * operator types commands.
 */
describe('chaos: Redis frozen (SIGSTOP for 20 s, then SIGCONT)', () => {
  let c: EngineCase;
  let fire = 0;
  let endedAt = 0;
  let exit: { code: number | null; signal: NodeJS.Signals | null };
  const during: Record<string, ChildRun> = {};
  let baseline: ChildRun;
  let after: ChildRun;

  beforeAll(async () => {
    c = await startEngineCase('freeze');
    const { engine, env, flags } = c;
    await engine.waitFor(/ running \(tasks \+ orders/, 60_000);
    fire = nextMinute(Date.now() + env.offsetMs + 8_000);
    await sleepUntil(fire - 5_000, env.offsetMs);
    c.redis.signal('SIGSTOP');
    const frozenAt = Date.now();
    const cmds: Array<[string, string[]]> = [
      ['status', ['status', '--config', c.cfg, '--journal', c.journal, '--prefix', c.prefix]],
      ['enqueue', ['enqueue', 'sync_positions', ...flags]],
      ['schedule sync', ['schedule', 'sync', '--config', c.cfg, '--prefix', c.prefix]],
    ];
    // With them, a command that needs no Redis: how long starting node takes under the same load.
    const [base, ...results] = await Promise.all([thetadesk(['schedule', 'list', '--config', c.cfg], env, 60_000), ...cmds.map(([, args]) => thetadesk(args, env, 60_000))]);
    baseline = base as ChildRun;
    cmds.forEach(([name], i) => (during[name] = results[i] as ChildRun));
    await sleep(Math.max(0, 20_000 - (Date.now() - frozenAt)));
    c.redis.signal('SIGCONT');
    await engine.waitFor(/ redis: back at /, 30_000);
    await sleepUntil(fire + 60_000 + 2_000, env.offsetMs);
    const deadline = Date.now() + 20_000;
    while (!monitorRuns(c.journal).some((r) => r.scheduled_for === fire + 60_000 && r.status !== 'running') && Date.now() < deadline) await sleep(250);
    after = await thetadesk(['enqueue', 'sync_positions', '--wait', ...flags], env, 60_000);
    endedAt = Date.now() + env.offsetMs;
    exit = await engine.stop('SIGTERM');
    saveLog('redis-freeze', engine, { 'schedule list (baseline, no Redis)': baseline, ...Object.fromEntries(Object.entries(during).map(([k, v]) => [`${k} (while frozen)`, v])), 'enqueue sync_positions --wait (after SIGCONT)': after });
  }, 200_000);

  afterAll(async () => {
    await c?.cleanup();
  });

  it.each(['status', 'enqueue', 'schedule sync'])('should make `%s` exit 3 with one line naming Redis within a few seconds', (name) => {
    const r = during[name] as ChildRun;
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^thetadesk: Redis at redis:\/\/127\.0\.0\.1:\d+ (accepted the connection but did not answer within 5000 ms|did not answer a command within its deadline).*\n$/);
    // The deadline is 5 s; the rest is starting node (measured on a command that needs no Redis).
    expect(r.ms - baseline.ms).toBeLessThan(8_000);
  });

  it('should treat the freeze inside run as one outage: one line and one alert each way', () => {
    const down = c.engine.matching(/ redis: unreachable at /);
    const back = c.engine.matching(/ redis: back at /);
    expect(down).toHaveLength(1);
    expect(down[0]).toMatch(/\(.*[Cc]ommand timed out.*\)/);
    expect(back).toHaveLength(1);
    expect(back[0]).toMatch(/after 1\d\.\d s/);
    expect(c.engine.alerts('redis_outage').map((a) => a.severity)).toEqual(['error', 'warning']);
    expect(c.engine.matching(/worker error|queue error/)).toEqual([]);
  });

  it('should resume: the monitor due during the freeze and the next one each run once, positions watched within the limit', () => {
    expect(doubleRuns(c.journal)).toEqual([]);
    const runs = monitorRuns(c.journal);
    expect([fire, fire + 60_000].map((f) => runs.find((x) => x.scheduled_for === f)?.status)).toEqual(['ok', 'ok']);
    expect(longestUnwatched(c.journal, c.positions, endedAt)).toBeLessThanOrEqual(LIMIT_MS);
    expect(c.engine.alerts('watchdog')).toEqual([]);
    expect({ code: after.code, stderr: after.stderr }).toEqual({ code: 0, stderr: '' });
    expect(after.stdout).toMatch(/^sync_positions \(job adhoc-sync_positions-\d+\): ok: /);
    expect(exit).toEqual({ code: 0, signal: null });
  });
});
