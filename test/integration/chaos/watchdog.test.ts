import { saveLog, sleep, thetadesk, type ChildRun, type RunningEngine } from './support/chaos-kit';
import { startEngineCase, type EngineCase } from './support/engine-case';

/**
 * The watchdog cannot be fooled by a process that looks alive: a `thetadesk worker` (it runs jobs but
 * owns no schedulers, so no monitor is ever due) with open positions, started at 09:32:40 ET with a
 * 3-minute limit, while its Redis is frozen. The timer reads only the journal and the clock.
 */
describe('chaos: the watchdog when no monitor completes during market hours', () => {
  let c: EngineCase;
  let worker: RunningEngine;
  let status: ChildRun;
  let enqueue: ChildRun;

  beforeAll(async () => {
    // 09:32:00 ET: the 3-minute limit since the open runs out at 09:33:00, however long start-up takes.
    c = await startEngineCase('watchdog', { runAt: Date.parse('2026-01-05T14:32:00Z'), command: 'worker' });
    worker = c.engine;
    await worker.waitFor(/ running \(tasks \+ orders/, 55_000);
    // Redis frozen: whatever the watchdog does, it does without Redis.
    c.redis.signal('SIGSTOP');
    const frozenAt = Date.now();
    const from = worker.lines.length;
    await worker.waitFor(/ watchdog: unified_monitor has not completed since /, 90_000, from);
    await sleep(Math.max(0, 12_000 - (Date.now() - frozenAt)));
    c.redis.signal('SIGCONT');
    await worker.waitFor(/ redis: back at /, 30_000);
    status = await thetadesk(['status', '--config', c.cfg, '--journal', c.journal, '--prefix', c.prefix], c.env, 30_000);
    const beforeEnqueue = worker.lines.length;
    enqueue = await thetadesk(['enqueue', 'unified_monitor', '--wait', ...c.flags], c.env, 60_000);
    await worker.waitFor(/ watchdog: unified_monitor completed /, 20_000, beforeEnqueue);
    await worker.stop('SIGTERM');
    saveLog('watchdog', worker, { 'status (while overdue)': status, 'enqueue unified_monitor --wait': enqueue });
  }, 180_000);

  afterAll(async () => {
    await c?.cleanup();
  });

  it('should raise one critical alert from the timer while Redis is frozen, naming what is not watched', () => {
    const alerts = worker.alerts('watchdog');
    expect(alerts[0]).toMatchObject({ severity: 'critical' });
    expect(alerts[0]?.message).toMatch(/^watchdog: unified_monitor has not completed since 2026-01-05T14:30:00\.000Z \(the open\): 3\.\d min during market hours \(limit 3\.0 min = 3 × 1\.0 min\); open positions are not being watched$/);
    expect(worker.matching(/ watchdog: unified_monitor has not completed/)).toHaveLength(1);
  });

  it('should show it in status: OVERDUE, when and by which process it alerted', () => {
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^watchdog: OVERDUE \(unified_monitor has not completed since 2026-01-05T14:30:00\.000Z \(the open\): .*\); alerted 2026-01-05T14:3\d:\d\d\.\d+Z by pid \d+$/m);
  });

  it('should clear once a monitor completes: health reported, one line and one info alert', () => {
    expect(enqueue.code).toBe(0);
    expect(enqueue.stdout).toMatch(/^unified_monitor \(job adhoc-unified_monitor-\d+\): ok: 2 open positions/);
    expect(worker.alerts('watchdog').map((a) => a.severity)).toEqual(['critical', 'info']);
  });
});
