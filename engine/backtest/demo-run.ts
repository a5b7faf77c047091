import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CompiledConfig, TaskName } from '../config/types';
import { nextTradingDay, isTradingDay } from '../shared/market-calendar';
import { RETENTION } from '../queue/queue-names';
import { removeQueues } from '../queue/remove-queues';
import { demoRedis } from '../queue/demo-redis';
import type { TaskJobData } from '../queue/job-guard';
import { EngineRuntime } from '../runtime/engine-runtime';
import { SimMarket } from '../adapters/sim/sim-market';
import { ManualClock, type Clock } from '../shared/clock';
import type { MarketData } from '../market/market-data';
import { recordingMarket } from './recording';
import { exchangeInstant } from '../shared/exchange-time';
import { openJournal } from '../store/journal';
import { prepareDemoDir } from './demo-dir';
import { demoReport, type DemoReport } from './demo-report';
import { openVenue, type DemoBroker } from './demo-venue';
import { driveSchedule } from './virtual-time-driver';
import { VirtualTimers } from './virtual-timers';
import { waitQueuesSettled } from './queue-settle';

export interface DemoOptions {
  readonly config: CompiledConfig;
  readonly days: number;
  readonly seed: number;
  /** First trading day (YYYY-MM-DD); fixed by default so a seed always replays the same days. */
  readonly start: string;
  readonly symbols: readonly string[] | null;
  /**
   * Keeps the journal (DIR/journal.db) and the paper account (DIR/paper.db) in this folder after the
   * run, replacing a previous demo's (`thetadesk demo` uses data/demo); a temporary folder, removed
   * at the end, when null or absent.
   */
  readonly dir?: string | null;
  /** A new journal file instead of DIR/journal.db (tests keep theirs apart). */
  readonly journal?: string | null;
  readonly startingCash: number;
  /** paper: in process; ib-sim: through the fake IB Gateway and the real IB client over loopback. */
  readonly broker?: DemoBroker;
  /**
   * The market the days are played on, made on the demo's clock (a replay `recorded:PATH`, a CSV
   * history); the seeded sim when absent. Paper broker only.
   */
  readonly market?: ((clock: Clock) => MarketData) | null;
  /** Records every market answer of the run into this new file (a market recording for `--market recorded:PATH`). */
  readonly record?: string | null;
  /** Lines for a person watching (progress, analyses, entries, exits, fills, alerts). */
  readonly out: (line: string) => void;
  /** Rewrites the current line (progress bar) where the output is a terminal. */
  readonly progress: ((line: string) => void) | null;
}

const SHOWN = /^(entry |pos-|No strategies|strategy_analysis: |.*"alert":)/;

/**
 * N trading days of the real engine on virtual time: the schedule played by the virtual-time
 * driver into the real BullMQ queues, the workflows, rules, risk manager, order manager and
 * journal, on the seeded simulated market and a fresh paper account.
 */
export async function runDemo(o: DemoOptions): Promise<DemoReport> {
  const days: string[] = [];
  for (let d = isTradingDay(o.start) ? o.start : nextTradingDay(o.start); days.length < o.days; d = nextTradingDay(d)) days.push(d);
  const first = days[0] as string;
  const config = o.symbols ? { ...o.config, strategies: { ...o.config.strategies, underlyings: Object.fromEntries(o.symbols.map((s) => { const u = o.config.strategies.underlyings[s]; if (!u) throw new RangeError(`--symbols: ${s} is not an underlying in strategies.yaml`); return [s, u]; })) } } : o.config;
  if (o.journal && fs.existsSync(o.journal)) throw new RangeError(`--journal ${o.journal} exists: the demo starts from a fresh journal; pick a new path`);
  const kept = o.dir ? prepareDemoDir(o.dir) : null;
  const tmp = kept ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'thetadesk-demo-'));
  const dir = kept?.dir ?? (tmp as string);
  const journalFile = o.journal ?? kept?.journal ?? path.join(dir, 'journal.db');
  const clock = new ManualClock(exchangeInstant(first, '07:00'));
  const venue = await openVenue({ kind: o.broker ?? 'paper', seed: o.seed, clock, symbols: Object.keys(config.strategies.underlyings), startingCash: o.startingCash, dir, market: demoMarket(o, config, clock) });
  const { market, broker } = venue;
  const db = openJournal(journalFile);
  const timers = new VirtualTimers(clock, (now) => venue.tick(now));
  const r = await demoRedis();
  const prefix = `thetadesk-demo-${process.pid}-${Date.now()}`;
  const runtime = new EngineRuntime({
    config,
    clock,
    market,
    broker,
    db,
    redis: r.redis,
    prefix,
    log: (l) => {
      if (SHOWN.test(l)) o.out(`  ${l}`);
    },
    sleep: timers.sleep,
  });
  venue.onFill((e) => o.out(`  fill ${e.symbol} ${e.quantity} @ ${e.price.toFixed(2)} (${e.order_ref})`));
  let peak = o.startingCash;
  let maxDd = 0;
  try {
    o.out(`thetadesk demo: ${o.days} trading day(s) from ${first}, seed ${o.seed}, ${Object.keys(config.strategies.underlyings).join(' ')}; broker ${o.broker ?? 'paper'}; Redis: ${r.source}`);
    await runtime.start();
    let n = 0;
    for (const [i, day] of days.entries()) {
      clock.set(Math.max(clock.now(), exchangeInstant(day, '07:00')));
      await venue.tick(clock.now());
      const end = exchangeInstant(day, '23:59');
      o.out(`— day ${i + 1}/${days.length} ${day}`);
      await driveSchedule(config.schedules, clock, end, {
        run: async (task: TaskName, at: number) => {
          await venue.tick(clock.now());
          const t = config.schedules.tasks.find((x) => x.name === task);
          const data: TaskJobData = { task, config_hash: config.hash, scheduled_for: at, params: {} };
          const job = await runtime.tasks.add(task, data, { jobId: `vt-${task}-${at}`, priority: t?.priority ?? 1, attempts: 1, ...RETENTION });
          await waitQueuesSettled(runtime, () => timers.sleeping);
          const done = await runtime.tasks.getJob(job.id ?? '');
          const nlv = (await venue.account()).net_liquidation;
          peak = Math.max(peak, nlv);
          maxDd = Math.max(maxDd, peak - nlv);
          n++;
          const hhmm = new Date(clock.now()).toLocaleTimeString('en-US', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', hour12: false });
          o.progress?.(`  [${'#'.repeat(Math.round((n % 80) / 4)).padEnd(20, '.')}] ${day} ${hhmm} ET  ${task.padEnd(26)}`);
          const rv = (done?.returnvalue ?? { status: done?.failedReason ? 'failed' : 'unknown', summary: done?.failedReason ?? '' }) as { status: string; summary: string };
          if (rv.status === 'failed' || done?.failedReason) o.out(`  ${task} failed: ${done?.failedReason ?? rv.summary}`);
          return rv;
        },
        settle: () => waitQueuesSettled(runtime, () => timers.sleeping),
      }, timers);
      o.progress?.('');
    }
    const failed = runtime.journalGuard.failed ? runtime.journalGuard.status().detail : null;
    return await demoReport(db, market, config, clock.now(), { seed: o.seed, days, starting_cash: o.startingCash, max_drawdown: maxDd, journal_failure: failed });
  } finally {
    await runtime.stop(5_000);
    await removeQueues(r.redis, prefix);
    await r.stop();
    r.redis.disconnect();
    await venue.close();
    db.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** The market the venue trades on when it is not the plain sim: a given source, recorded when asked. */
function demoMarket(o: DemoOptions, config: CompiledConfig, clock: Clock): MarketData | undefined {
  if (!o.market && !o.record) return undefined;
  const base = o.market ? o.market(clock) : new SimMarket({ seed: o.seed, clock, symbols: Object.keys(config.strategies.underlyings) });
  return o.record ? recordingMarket(base, o.record, clock, config) : base;
}
