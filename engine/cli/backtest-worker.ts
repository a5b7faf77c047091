import { backtestsWorker } from '../queue/backtest-jobs';
import { checkPrefix } from '../queue/queue-names';
import { BLOCKING_OVERRIDES, closeRedis, connectRedis, redisUrl } from '../queue/redis-connection';
import { runBacktest } from './backtest-runner';

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
  await new Promise<void>((resolve) => {
    const stop = (sig: string): void => {
      log(`${sig}: no new backtests; waiting up to ${Math.round(graceMs / 1000)} s for the running one`);
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve();
    };
    const onInt = (): void => stop('SIGINT');
    const onTerm = (): void => stop('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    log(`running (backtests; prefix ${prefix}); Ctrl-C stops`);
  });
  const forced = new Promise<'forced'>((resolve) => setTimeout(() => resolve('forced'), graceMs).unref());
  if ((await Promise.race([worker.close().then(() => 'closed' as const), forced])) === 'forced') {
    log('grace over: the running backtest is abandoned (its job fails as stalled; run the sweep again for it)');
    await worker.close(true);
  }
  closeRedis(conn);
  closeRedis(redis);
  log('stopped');
}
