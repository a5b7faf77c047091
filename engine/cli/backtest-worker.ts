import { backtestsWorker } from '../queue/backtest-jobs';
import { checkPrefix } from '../queue/queue-names';
import { BLOCKING_OVERRIDES, closeRedis, connectRedis, redisUrl } from '../queue/redis-connection';
import { runBacktest } from './backtest-runner';
import { untilStopSignal } from './until-stop-signal';

/**
 * `thetadesk worker --queues backtests`: a worker for sweep variants only. It needs Redis and
 * nothing else (no journal, broker or market: each job brings its config and runs its own backtest).
 * On SIGINT/SIGTERM it takes no new job and lets the running one finish within the grace.
 */
export async function serveBacktests(prefix: string, graceMs: number, log: (line: string) => void): Promise<void> {
  checkPrefix(prefix);
  const redis = await connectRedis(redisUrl(), { role: 'engine' });
  const conn = redis.duplicate(BLOCKING_OVERRIDES);
  const worker = backtestsWorker(conn, prefix, runBacktest, log);
  worker.on('failed', (job, e) => log(`backtest ${job?.data.sweep_id ?? '?'}/${job?.data.variant ?? '?'}: failed: ${e.message}`));
  worker.on('error', (e) => log(`backtests worker: ${e.message}`));
  await worker.waitUntilReady();
  const sig = await untilStopSignal(() => log(`running (backtests; prefix ${prefix}); Ctrl-C stops`));
  log(`${sig}: no new backtests; waiting up to ${Math.round(graceMs / 1000)} s for the running one`);
  const forced = new Promise<'forced'>((resolve) => setTimeout(() => resolve('forced'), graceMs).unref());
  if ((await Promise.race([worker.close().then(() => 'closed' as const), forced])) === 'forced') {
    log('grace over: the running backtest is abandoned (its job fails as stalled; run the sweep again for it)');
    await worker.close(true);
  }
  closeRedis(conn);
  closeRedis(redis);
  log('stopped');
}
