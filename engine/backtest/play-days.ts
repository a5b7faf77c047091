import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CompiledConfig } from '../config/types';
import type { MarketData } from '../market/market-data';
import { ManualClock, type Clock } from '../shared/clock';
import { exchangeInstant } from '../shared/exchange-time';
import { nextTradingDay, isTradingDay } from '../shared/market-calendar';
import { openJournal, type Db } from '../store/journal';
import { prepareDemoDir } from './demo-dir';
import { makeScratch } from './scratch-journal';
import { openVenue, type DemoBroker } from './demo-venue';
import { openRunner, type RunnerKind, type TaskRunner } from './task-runner';
import { driveSchedule } from './virtual-time-driver';
import { VirtualTimers } from './virtual-timers';

export interface PlayOptions {
  /** Already narrowed to the symbols played (see narrowSymbols). */
  readonly config: CompiledConfig;
  readonly days: readonly string[];
  readonly seed: number;
  /** Keep the journal and paper account in this folder (a demo folder, see demo-dir.ts); a temporary one when null. */
  readonly dir?: string | null;
  /** A new journal file instead of DIR/journal.db. */
  readonly journal?: string | null;
  readonly startingCash: number;
  readonly broker?: DemoBroker;
  /** The market source (default: the seeded sim); built on the run's virtual clock. */
  readonly market?: (clock: Clock, symbols: readonly string[]) => MarketData;
  readonly runner: RunnerKind | 'auto';
  /**
   * A backtest's journal is its output, not a record of money: written without an fsync per commit
   * (SQLite synchronous=OFF; a crash loses the run, which is run again) and the paper account in
   * memory. The per-commit fsyncs were most of a simulated day's wall time.
   */
  readonly scratch?: boolean;
  /** Engine log lines (the demo shows some). */
  readonly log: (line: string) => void;
  /** Once the runner is open, before the first day (the demo's opening line names the runner). */
  readonly onStart?: (runner: TaskRunner) => void;
  readonly onFill?: (e: { symbol: string; quantity: number; price: number; order_ref: string }) => void;
  readonly onDayStart?: (index: number, day: string) => void;
  /** After each due run (the demo's progress bar). */
  readonly onRun?: (day: string, task: string, nowMs: number, outcome: { status: string; summary: string }) => void;
  /** After each day, with the account's net liquidation then and the journal (still open). */
  readonly onDayEnd?: (index: number, day: string, netLiquidation: number, db: Db) => void;
}

export interface PlayContext {
  readonly db: Db;
  readonly market: MarketData;
  readonly config: CompiledConfig;
  /** The end of the last day played. */
  readonly nowMs: number;
  readonly runner: TaskRunner;
  readonly maxDrawdown: number;
  readonly journalFailure: string | null;
}

/** The first `count` trading days from `start` (itself when a trading day). */
export function tradingDaysFrom(start: string, count: number): string[] {
  const days: string[] = [];
  for (let d = isTradingDay(start) ? start : nextTradingDay(start); days.length < count; d = nextTradingDay(d)) days.push(d);
  return days;
}

/** Every trading day in [from, to]. */
export function tradingDaysInRange(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = isTradingDay(from) ? from : nextTradingDay(from); d <= to; d = nextTradingDay(d)) days.push(d);
  return days;
}

/** The config with only these underlyings (an unknown one is an error naming the flag). */
export function narrowSymbols(config: CompiledConfig, symbols: readonly string[] | null): CompiledConfig {
  if (!symbols) return config;
  const underlyings = Object.fromEntries(
    symbols.map((s) => {
      const u = config.strategies.underlyings[s];
      if (!u) throw new RangeError(`--symbols: ${s} is not an underlying in strategies.yaml`);
      return [s, u];
    }),
  );
  return { ...config, strategies: { ...config.strategies, underlyings } };
}

/**
 * Trading days of the real engine on virtual time: the venue (seeded sim market, fresh paper
 * account), a journal, the schedule played by the virtual-time driver into a task runner (BullMQ or
 * in-process: the same services behind either), then `finish` while the journal is still open.
 */
export async function playDays<T>(o: PlayOptions, finish: (c: PlayContext) => Promise<T>): Promise<T> {
  const first = o.days[0];
  if (first === undefined) throw new RangeError('no trading day to play: widen the dates');
  const config = o.config;
  if (o.journal && fs.existsSync(o.journal)) throw new RangeError(`--journal ${o.journal} exists: a run starts from a fresh journal; pick a new path`);
  const kept = o.dir ? prepareDemoDir(o.dir) : null;
  const tmp = kept ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'thetadesk-play-'));
  const dir = kept?.dir ?? (tmp as string);
  const clock = new ManualClock(exchangeInstant(first, '07:00'));
  const venue = await openVenue({ kind: o.broker ?? 'paper', seed: o.seed, clock, symbols: Object.keys(config.strategies.underlyings), startingCash: o.startingCash, dir, paperFile: o.scratch ? ':memory:' : undefined, market: o.market?.(clock, Object.keys(config.strategies.underlyings)) });
  const db = openJournal(o.journal ?? kept?.journal ?? path.join(dir, 'journal.db'));
  if (o.scratch) makeScratch(db);
  const timers = new VirtualTimers(clock, (now) => venue.tick(now));
  let runner: TaskRunner | null = null;
  try {
    runner = await openRunner(o.runner, { config, clock, market: venue.market, broker: venue.broker, db, log: o.log, sleep: timers.sleep, asleep: () => timers.sleeping });
    if (o.onFill) venue.onFill(o.onFill);
    // The account changes only with the clock or a fill: the runs due at one instant (a monitor, two
    // collectors) share one valuation, which marks every leg held.
    let fills = 0;
    venue.onFill(() => fills++);
    let last: { at: number; fills: number; nlv: number } | null = null;
    const netLiquidation = async (): Promise<number> => {
      if (last && last.at === clock.now() && last.fills === fills) return last.nlv;
      last = { at: clock.now(), fills, nlv: (await venue.account()).net_liquidation };
      return last.nlv;
    };
    o.onStart?.(runner);
    const r = runner;
    let peak = o.startingCash;
    let maxDd = 0;
    await r.start();
    for (const [i, day] of o.days.entries()) {
      clock.set(Math.max(clock.now(), exchangeInstant(day, '07:00')));
      await venue.tick(clock.now());
      o.onDayStart?.(i, day);
      await driveSchedule(
        config.schedules,
        clock,
        exchangeInstant(day, '23:59'),
        {
          run: async (task, at) => {
            await venue.tick(clock.now());
            const outcome = await r.run(task, at);
            const nlv = await netLiquidation();
            peak = Math.max(peak, nlv);
            maxDd = Math.max(maxDd, peak - nlv);
            o.onRun?.(day, task, clock.now(), outcome);
            return outcome;
          },
          settle: () => r.settle(),
        },
        timers,
      );
      o.onDayEnd?.(i, day, await netLiquidation(), db);
    }
    const failed = r.journalGuard.failed ? r.journalGuard.status().detail : null;
    return await finish({ db, market: venue.market, config, nowMs: clock.now(), runner: r, maxDrawdown: maxDd, journalFailure: failed });
  } finally {
    await runner?.stop();
    await venue.close();
    db.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}
