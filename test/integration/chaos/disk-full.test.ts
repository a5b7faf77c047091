import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import type { Redis } from 'ioredis';
import { PaperBroker } from '../../../engine/adapters/sim/paper-broker';
import { SimMarket } from '../../../engine/adapters/sim/sim-market';
import { driveSchedule } from '../../../engine/backtest/virtual-time-driver';
import { VirtualTimers } from '../../../engine/backtest/virtual-timers';
import { waitQueuesSettled } from '../../../engine/backtest/queue-settle';
import type { TaskName } from '../../../engine/config/types';
import type { TaskJobData } from '../../../engine/queue/job-guard';
import { RETENTION } from '../../../engine/queue/queue-names';
import { closeRedis, connectRedis } from '../../../engine/queue/redis-connection';
import { removeQueues } from '../../../engine/queue/remove-queues';
import { KillSwitch } from '../../../engine/risk/kill-switch';
import { EngineRuntime } from '../../../engine/runtime/engine-runtime';
import { ManualClock } from '../../../engine/shared/clock';
import { exchangeInstant } from '../../../engine/shared/exchange-time';
import { EngineStateRepo } from '../../../engine/store/engine-state-repo';
import { openJournal, type Db } from '../../../engine/store/journal';
import { shippedConfig } from '../../helpers/config';
import { BIN, PrivateRedis, saveLog, tempDir, thetadesk, type ChildRun } from './support/chaos-kit';

// Seed 1 of the shipped config opens QQQ bear calls on 01-06 and 01-07 and takes profit on the
// first at 11:35 on 01-08: the disk fills at 11:00 that day, with positions open and a close due.
const BEFORE = ['2026-01-06', '2026-01-07'];
const DAY1 = '2026-01-08';
const FAULT = '11:00';
const DAY2 = '2026-01-09';
const config = shippedConfig();
const LIMIT_MS = config.schedules.watchdog.limit_ms;

interface Row {
  [k: string]: unknown;
}

/**
 * The disk fills mid-morning of a trading day (SQLite's max_page_count gives the SQLITE_FULL of a full
 * disk without root): the real runtime on BullMQ (a private redis-server), the paper broker and the
 * shipped schedule played by the virtual-time driver, so the whole day takes seconds.
 */
describe('chaos: the disk fills mid-day', () => {
  let redis: PrivateRedis;
  let client: Redis;
  let dir: string;
  let journal: string;
  let db: Db;
  let clock: ManualClock;
  let paper: PaperBroker;
  let runtime: EngineRuntime;
  let timers: VirtualTimers;
  const prefix = `chaos-diskfull-${process.pid}`;
  const logs: string[] = [];
  let faultAt = 0;
  let recovered = false;
  let resume: ChildRun;

  const all = (sql: string, ...args: unknown[]): Row[] => db.prepare(sql).all(...args) as Row[];
  const alerts = (kind: string): Array<{ severity: string; message: string }> =>
    logs.map((l) => l.replace(/^\S+ /, '')).filter((l) => l.startsWith(`{"alert":"${kind}"`)).map((l) => JSON.parse(l) as { severity: string; message: string });

  async function play(day: string, from: string, to: string): Promise<void> {
    clock.set(Math.max(clock.now(), exchangeInstant(day, from)));
    await paper.processAt(clock.now());
    await driveSchedule(config.schedules, clock, exchangeInstant(day, to), {
      run: async (task: TaskName, at: number) => {
        await paper.processAt(clock.now());
        const t = config.schedules.tasks.find((x) => x.name === task);
        const data: TaskJobData = { task, config_hash: config.hash, scheduled_for: at, params: {} };
        const job = await runtime.tasks.add(task, data, { jobId: `vt-${task}-${at}`, priority: t?.priority ?? 1, attempts: 1, ...RETENTION });
        await waitQueuesSettled(runtime, () => timers.sleeping);
        const done = await runtime.tasks.getJob(job.id ?? '');
        return (done?.returnvalue ?? { status: 'failed', summary: done?.failedReason ?? '' }) as { status: string; summary: string };
      },
      settle: () => waitQueuesSettled(runtime, () => timers.sleeping),
    }, timers);
  }

  beforeAll(async () => {
    redis = await PrivateRedis.start(false);
    client = await connectRedis(redis.url);
    dir = tempDir('diskfull');
    journal = path.join(dir, 'journal.db');
    clock = new ManualClock(exchangeInstant(BEFORE[0] as string, '07:00'));
    const market = new SimMarket({ seed: 1, clock, symbols: Object.keys(config.strategies.underlyings) });
    paper = new PaperBroker({ market, clock, seed: 1, stateFile: path.join(dir, 'paper.db'), startingCash: 100_000 });
    db = openJournal(journal);
    timers = new VirtualTimers(clock, (now) => paper.processAt(now));
    runtime = new EngineRuntime({ config, clock, market, broker: paper, db, redis: client, prefix, log: (l) => logs.push(`${new Date(clock.now()).toISOString()} ${l}`), sleep: timers.sleep });
    await runtime.start();
    // Two days as usual (entries at 10:00), then no page more for the journal from 11:00.
    for (const day of BEFORE) await play(day, '07:00', '23:59');
    await play(DAY1, '07:00', FAULT);
    clock.set(exchangeInstant(DAY1, FAULT));
    faultAt = clock.now();
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    await play(DAY1, FAULT, '23:59');
    // Space is freed; the engine notices on its own; an operator lifts the halt with the CLI.
    db.pragma('max_page_count = 1073741823');
    recovered = runtime.journalGuard.tick();
    resume = await thetadesk(['resume', '--journal', journal]);
    await play(DAY2, '07:00', '23:59');
  }, 240_000);

  afterAll(async () => {
    saveLog('disk-full', null, { 'thetadesk run (in process, virtual time)': { code: 0, stdout: logs.join('\n'), stderr: '' }, 'resume (after space was freed)': resume });
    await runtime?.stop(5_000);
    await removeQueues(client, prefix);
    closeRedis(client);
    await redis?.stop();
    paper?.close();
    db?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('should raise one critical alert naming the journal, what failed and what to do', () => {
    const a = alerts('journal_failure');
    expect(a[0]).toMatchObject({ severity: 'critical' });
    expect(a[0]?.message).toContain(`journal ${journal}: write failed (SQLITE_FULL: database or disk is full): new entries halted (persisted in the journal); released the 2.0 MB reserve`);
    expect(a[0]?.message).toContain('free disk space (or restore the journal), then `thetadesk resume`');
    // Once for the failure, once when the journal took writes again.
    expect(a.map((x) => x.severity)).toEqual(['critical', 'warning']);
  });

  it('should halt new entries through the persisted kill switch, and run no data task while the journal is full', () => {
    const openedAfter = all("SELECT id FROM order_intents WHERE kind = 'open' AND created_at >= ? AND created_at < ?", faultAt, exchangeInstant(DAY2, '00:00'));
    expect(openedAfter).toEqual([]);
    const haltedAt = all("SELECT updated_at FROM engine_state WHERE key = 'halt'")[0]?.updated_at as number;
    expect(haltedAt).toBeGreaterThanOrEqual(faultAt);
    const dataRuns = all("SELECT job_id FROM runs WHERE task IN ('collect_option_data', 'collect_futures_data', 'calculate_daily_statistics', 'validate_data_quality') AND started_at >= ? AND started_at < ?", faultAt, exchangeInstant(DAY2, '00:00'));
    expect(dataRuns).toEqual([]);
    expect(logs.some((l) => /collect_option_data: not run: the journal .* failed a write \(SQLITE_FULL\)/.test(l))).toBe(true);
  });

  it('should keep the monitor evaluating and close the positions by the rules, journal and broker agreeing', async () => {
    const closed = all("SELECT id, closed_at FROM strategy_positions WHERE status = 'closed' AND closed_at > ? AND closed_at < ?", faultAt, exchangeInstant(DAY2, '00:00'));
    expect(closed.length).toBeGreaterThanOrEqual(1);
    const byRule = all("SELECT DISTINCT rule FROM decisions WHERE kind = 'exit' AND action = 'close' AND at > ? AND at < ?", faultAt, exchangeInstant(DAY2, '00:00')).map((r) => r.rule);
    expect(byRule.length).toBeGreaterThanOrEqual(1);
    // Every fill reached the journal: the broker holds exactly the legs of the positions the journal has open.
    const openLegs = all("SELECT COUNT(*) AS n FROM strategy_positions WHERE status = 'open'")[0]?.n as number;
    const brokerLegs = (await paper.positions()).filter((p) => p.quantity !== 0).length;
    expect(brokerLegs).toBe(openLegs * 2);
  });

  it('should never leave the monitor silent longer than the watchdog allows during market hours after the fault', () => {
    const ends = all("SELECT ended_at FROM runs WHERE task = 'unified_monitor' AND status = 'ok' AND ended_at BETWEEN ? AND ? ORDER BY ended_at", faultAt, exchangeInstant(DAY1, '16:00')).map((r) => r.ended_at as number);
    const points = [faultAt, ...ends, exchangeInstant(DAY1, '16:00')];
    const gaps = points.slice(1).map((t, i) => t - (points[i] as number));
    expect(Math.max(...gaps)).toBeLessThanOrEqual(LIMIT_MS);
    expect(alerts('watchdog')).toEqual([]);
  });

  it('should report it: health_check unhealthy naming the journal', () => {
    const health = all("SELECT detail FROM runs WHERE task = 'health_check' AND status = 'ok' AND started_at BETWEEN ? AND ?", faultAt, exchangeInstant(DAY1, '16:00')).map((r) => r.detail as string);
    expect(health.length).toBeGreaterThan(0);
    for (const h of health) expect(h).toContain(`journal ${journal} failed a write (SQLITE_FULL: database or disk is full)`);
  });

  it('should trade again after space is freed and an operator runs `thetadesk resume`', () => {
    expect(recovered).toBe(true);
    expect(logs.some((l) => l.includes(`journal ${journal}: takes writes again`))).toBe(true);
    expect({ code: resume.code, stdout: resume.stdout }).toEqual({ code: 0, stdout: 'resumed: entries allowed\n' });
    expect(new KillSwitch(new EngineStateRepo(db)).get().halted).toBe(false);
    const opened = all("SELECT id, status FROM order_intents WHERE kind = 'open' AND created_at >= ?", exchangeInstant(DAY2, '00:00'));
    expect(opened.length).toBeGreaterThanOrEqual(1);
    expect(all("SELECT reasons_json FROM risk_refusals WHERE at >= ?", exchangeInstant(DAY2, '00:00')).filter((r) => String(r.reasons_json).includes('halted'))).toEqual([]);
  });
});

/**
 * The demo as a user runs it, on a file system that stops taking bytes (the shell's file-size limit:
 * writes past it fail with EFBIG, which SQLite reports as an I/O error): it must exit non-zero and
 * say the journal failed, not print a report and exit 0.
 */
describe('chaos: the demo when its journal stops taking writes', () => {
  let out: { code: number | null; stdout: string; stderr: string };
  let dir: string;

  beforeAll(async () => {
    dir = tempDir('demo-full');
    const journal = path.join(dir, 'demo', 'journal.db');
    out = await new Promise((resolve) => {
      // 3.6 MB a file: the 2 MB reserve and the morning fit, the day does not.
      const child = spawn('bash', ['-c', `ulimit -f 3600; trap '' XFSZ; exec "${process.execPath}" "${BIN}" demo --days 1 --symbols SPY,QQQ --dir "${path.dirname(journal)}"`], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    saveLog('demo-journal-full', null, { 'demo --days 1 (ulimit -f 3600)': out });
  }, 180_000);

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('should exit 1, its report and its last line naming the failed journal', () => {
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(/"alert":"journal_failure","severity":"critical","message":"journal \S+journal\.db: write failed \(SQLITE_(IOERR\w*|FULL)/);
    expect(out.stdout).toMatch(/ {2}JOURNAL FAILED: journal \S+journal\.db failed a write/);
    expect(out.stderr).toMatch(/^thetadesk: journal \S+journal\.db failed a write .*: the report above is incomplete\n$/);
  });
});
