/**
 * `backtest`: one trading year (252 NYSE days from 2025-01-02) × the shipped three underlyings on
 * the sim market with the shipped config, on the in-process runner — against the BullMQ demo path
 * (the same engine through Redis) over its first few days, measured in the same run. Parity: the
 * in-process and BullMQ journals of those common days are equal (journal-digest.ts). Target: the
 * year in ≤ 60 s and ≥ 10× the demo's days per second.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runBacktest } from '../engine/backtest/backtest-run';
import { runDemo } from '../engine/backtest/demo-run';
import { digestDifference, journalDigest } from '../engine/backtest/journal-digest';
import { tradingDaysFrom } from '../engine/backtest/play-days';
import { loadConfig } from '../engine/config/load-config';
import { openJournal } from '../engine/store/journal';

const YEAR_DAYS = 252;
const DEMO_DAYS = 3;
const START = '2025-01-02';
const SEED = 1;

export async function run(): Promise<Record<string, unknown>> {
  const config = loadConfig(path.resolve(__dirname, '..'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'thetadesk-bench-backtest-'));
  try {
    const year = tradingDaysFrom(START, YEAR_DAYS);
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const bt = await runBacktest({ config, from: START, to: year[year.length - 1] as string, seed: SEED, symbols: null, market: { name: 'sim' }, journal: null, startingCash: 100_000 });
    const wallS = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);

    const common = tradingDaysFrom(START, DEMO_DAYS);
    const demoJournal = path.join(dir, 'demo.db');
    const t1 = performance.now();
    await runDemo({ config, days: DEMO_DAYS, seed: SEED, start: START, symbols: null, journal: demoJournal, startingCash: 100_000, runner: 'bullmq', out: () => undefined, progress: null });
    const demoS = (performance.now() - t1) / 1000;
    const short = await runBacktest({ config, from: START, to: common[common.length - 1] as string, seed: SEED, symbols: null, market: { name: 'sim' }, journal: null, startingCash: 100_000 });
    const db = openJournal(demoJournal);
    const difference = digestDifference(journalDigest(db), short.digest);
    db.close();

    const daysPerS = bt.days.length / wallS;
    const demoDaysPerS = DEMO_DAYS / demoS;
    const ratio = daysPerS / demoDaysPerS;
    const r = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;
    return {
      days: bt.days.length,
      symbols: Object.keys(config.strategies.underlyings).length,
      wall_s: r(wallS, 1),
      // This process's CPU time over the year: on a shared machine, wall_s minus this is waiting for a core.
      cpu_s: r((cpu.user + cpu.system) / 1e6, 1),
      days_per_s: r(daysPerS),
      demo_days: DEMO_DAYS,
      demo_days_per_s: r(demoDaysPerS, 3),
      ratio: r(ratio, 1),
      parity: difference === null,
      ...(difference === null ? {} : { parity_difference: difference.slice(0, 300) }),
      trades: bt.summary.trades,
      total_pnl: bt.summary.total_pnl,
      met: wallS <= 60 && ratio >= 10 && difference === null,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
