import { demoBacktest } from '../backtest/demo-backtest';
import type { RunBacktest } from '../queue/backtest-jobs';

/**
 * The backtest every sweep variant runs, in `thetadesk worker --queues backtests` and in a sweep's
 * own workers. The one place to switch to the in-process `thetadesk backtest` runner (#16 item 1)
 * when it lands: `(configDir, opts) => Promise<{ summary }>`.
 */
export const runBacktest: RunBacktest = demoBacktest;
