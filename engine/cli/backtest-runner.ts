import { runBacktest as runInProcess } from '../backtest/backtest-run';
import { loadConfig } from '../config/load-config';
import type { RunBacktest } from '../queue/backtest-jobs';
import { createMarketData } from './market-factory';

/**
 * The backtest every sweep variant runs, in `thetadesk worker --queues backtests` and in a sweep's
 * own workers: the in-process `thetadesk backtest` (engine/backtest/backtest-run.ts), on the market
 * the sweep names through the same factory as `--market`. `demoBacktest` (the BullMQ demo path)
 * gives the same decisions, slower.
 */
export const runBacktest: RunBacktest = async (configDir, o) => {
  const r = await runInProcess({
    config: loadConfig(configDir),
    from: o.from,
    to: o.to,
    seed: o.seed,
    symbols: o.symbols,
    market: { name: o.market, make: (clock, symbols) => createMarketData(o.market, { clock, seed: o.seed, symbols }) },
    journal: null,
    startingCash: 100_000,
  });
  if (r.summary.journal_failure) throw new Error(`the backtest's journal failed: ${r.summary.journal_failure}`);
  return { summary: r.summary };
};
