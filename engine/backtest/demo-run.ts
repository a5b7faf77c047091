import { SimMarket } from '../adapters/sim/sim-market';
import type { CompiledConfig } from '../config/types';
import type { MarketData } from '../market/market-data';
import type { Clock } from '../shared/clock';
import { demoReport, type DemoReport } from './demo-report';
import type { DemoBroker } from './demo-venue';
import { narrowSymbols, playDays, tradingDaysFrom } from './play-days';
import { recordingMarket } from './recording';
import type { RunnerKind } from './task-runner';

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
  /** bullmq (default), in-process, or auto: BullMQ when a Redis can be had, in-process otherwise. */
  readonly runner?: RunnerKind | 'auto';
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

export interface DemoResult extends DemoReport {
  /** Which task runner played the days (bullmq or in-process). */
  readonly runner: RunnerKind;
}

const SHOWN = /^(entry |pos-|No strategies|strategy_analysis: |.*"alert":)/;

/**
 * N trading days of the real engine on virtual time: the schedule played by the virtual-time
 * driver into the real BullMQ queues (or the in-process runner), the workflows, rules, risk
 * manager, order manager and journal, on the seeded simulated market and a fresh paper account.
 */
export async function runDemo(o: DemoOptions): Promise<DemoResult> {
  const days = tradingDaysFrom(o.start, o.days);
  const config = narrowSymbols(o.config, o.symbols);
  let n = 0;
  return playDays(
    {
      config,
      days,
      seed: o.seed,
      dir: o.dir,
      journal: o.journal,
      startingCash: o.startingCash,
      broker: o.broker,
      runner: o.runner ?? 'bullmq',
      market: demoMarket(o, config),
      log: (l) => {
        if (SHOWN.test(l)) o.out(`  ${l}`);
      },
      onStart: (r) => o.out(`thetadesk demo: ${o.days} trading day(s) from ${days[0]}, seed ${o.seed}, ${Object.keys(config.strategies.underlyings).join(' ')}; broker ${o.broker ?? 'paper'}; runner ${r.kind}; ${r.source}`),
      onFill: (e) => o.out(`  fill ${e.symbol} ${e.quantity} @ ${e.price.toFixed(2)} (${e.order_ref})`),
      onDayStart: (i, day) => o.out(`— day ${i + 1}/${days.length} ${day}`),
      onRun: (day, task, nowMs, rv) => {
        n++;
        const hhmm = new Date(nowMs).toLocaleTimeString('en-US', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', hour12: false });
        o.progress?.(`  [${'#'.repeat(Math.round((n % 80) / 4)).padEnd(20, '.')}] ${day} ${hhmm} ET  ${task.padEnd(26)}`);
        if (rv.status === 'failed') o.out(`  ${task} failed: ${rv.summary}`);
      },
      onDayEnd: () => o.progress?.(''),
    },
    async (c) => ({ ...(await demoReport(c.db, c.market, c.config, c.nowMs, { seed: o.seed, days, starting_cash: o.startingCash, max_drawdown: c.maxDrawdown, journal_failure: c.journalFailure })), runner: c.runner.kind }),
  );
}

/** The market the venue trades on when it is not the plain sim: a given source, recorded when asked. */
function demoMarket(o: DemoOptions, config: CompiledConfig): ((clock: Clock) => MarketData) | undefined {
  if (!o.market && !o.record) return undefined;
  return (clock) => {
    const base = o.market ? o.market(clock) : new SimMarket({ seed: o.seed, clock, symbols: Object.keys(config.strategies.underlyings) });
    return o.record ? recordingMarket(base, o.record, clock, config) : base;
  };
}
