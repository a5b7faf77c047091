import type { Command } from 'commander';
import { loadConfig } from '../../config/load-config';
import { schedulerSpecs } from '../../queue/scheduler-specs';
import { syncSchedulers } from '../../queue/sync-schedulers';
import { parseDuration } from '../../config/duration';
import { systemClock } from '../../shared/clock';
import { RedisSupervisor } from '../../runtime/redis-outage';
import { checkMarketAtStart } from '../../runtime/startup-checks';
import { openEngine, type EngineCliOptions } from '../engine-factory';
import { engineOptions } from '../engine-options';
import { CliExit, EXIT } from '../exit-codes';
import { serveBacktests } from '../backtest-worker';
import { untilStopSignal } from '../until-stop-signal';

interface RunOptions extends EngineCliOptions {
  readonly config: string;
  readonly grace: string;
  readonly queues?: string;
}

const RECORD_HELP = 'record every market answer (and, at each analysis, the strikes around the configured windows) into a new SQLite file for --market recorded:FILE; without FILE, recordings/market-<time>.db beside the journal';

/** Seconds after the grace at which a stopping process exits whatever it is waiting on. */
const HARD_STOP_S = 5;

const log = (line: string): void => {
  process.stdout.write(`${new Date().toISOString()} ${line}\n`);
};

/**
 * Runs until SIGINT/SIGTERM: stop fetching and stop order walks at once (orders.on_shutdown), let
 * running jobs finish within the grace, force-close, exit 0 — or 1 a few seconds after the grace.
 */
async function serve(opts: RunOptions, syncFirst: boolean): Promise<void> {
  const graceMs = parseDuration(opts.grace);
  if (graceMs === null) throw new CliExit(EXIT.INPUT, `--grace must be a duration like 30s or 2m, got "${opts.grace}"`);
  const queues = (opts.queues ?? 'tasks,orders').split(',').map((q) => q.trim());
  const bad = queues.filter((q) => q !== 'tasks' && q !== 'orders' && q !== 'backtests');
  if (bad.length > 0) throw new CliExit(EXIT.INPUT, `--queues takes tasks and/or orders, got ${bad.join(', ')}; or backtests alone`);
  if (queues.includes('backtests')) {
    // Sweep variants need no journal, broker or market of this process: a worker of their own.
    if (syncFirst || queues.length > 1) throw new CliExit(EXIT.INPUT, '--queues backtests runs alone, in `thetadesk worker --queues backtests` (a backtest worker needs no journal, broker or market)');
    return serveBacktests(opts.prefix, graceMs, log);
  }
  const config = loadConfig(opts.config);
  const engine = await openEngine(config, opts, systemClock, log, 'engine');
  const { runtime } = engine;
  const redis = new RedisSupervisor({ runtime, url: engine.url, log, owns: { schedulers: syncFirst, orders: queues.includes('orders') } });
  runtime.setErrorSink((e, source) => redis.onError(e, source));
  try {
    // Every port the command uses answers before anything starts (Redis did in openEngine).
    await checkMarketAtStart(runtime.context.market, Object.keys(config.strategies.underlyings));
    await runtime.context.broker.connect();
    if (syncFirst) {
      const diff = await syncSchedulers(runtime.tasks, schedulerSpecs(config.schedules), config.hash);
      log(`schedulers: ${diff.added.length} added, ${diff.updated.length} updated, ${diff.removed.length} removed, ${diff.unchanged.length} unchanged`);
    }
    await runtime.start({ tasks: queues.includes('tasks'), orders: queues.includes('orders') });
    await redis.start();
  } catch (e) {
    // A broker or Redis that is not there: close what was opened so the process can exit with the error.
    await redis.stop().catch(() => undefined);
    await runtime.stop(1_000).catch(() => undefined);
    await engine.close().catch(() => undefined);
    throw e;
  }
  // Every start says which account it trades: PAPER or LIVE, the id redacted.
  log(engine.describeAccount());
  // Timers of this process, independent of Redis: the monitor's watchdog and the journal's recovery check.
  runtime.watchdog.start();
  runtime.journalGuard.start();
  const wd = config.schedules.watchdog;
  const sig = await untilStopSignal(() =>
    log(`running (${queues.join(' + ')}; config ${config.hash.slice(0, 12)}; market ${opts.market}; broker ${opts.broker}; prefix ${opts.prefix}; watchdog ${wd.enabled ? `${+(wd.limit_ms / 60_000).toFixed(1)} min` : 'off'}); Ctrl-C stops`),
  );
  log(`${sig}: no new jobs; order walks stop now (orders.on_shutdown); waiting up to ${Math.round(graceMs / 1000)} s for running jobs`);
  // The second deadline: whatever still holds the process after the grace and the forced close
  // (a broker call that never answers), it exits a few seconds later and says so.
  const hard = setTimeout(() => {
    log(`still stopping ${Math.round(graceMs / 1000) + HARD_STOP_S} s after the signal: exiting now; working orders are reconciled at the next start`);
    process.exit(1);
  }, graceMs + HARD_STOP_S * 1000);
  hard.unref();
  await redis.stop();
  await runtime.stop(graceMs);
  await engine.close();
  clearTimeout(hard);
  log('stopped');
}

export function register(program: Command): void {
  engineOptions(
    program
      .command('run')
      .description('Sync the job schedulers from schedules.yaml, reconcile with the broker, then run the task and order workers until SIGINT/SIGTERM. Needs Redis (REDIS_URL); exits 3 when Redis, market data or the broker does not answer at start, and rides out Redis outages later (one line each way, missed runs caught up).'),
  )
    .option('--grace <duration>', 'how long running jobs may finish after a stop signal (order walks stop at once, per orders.on_shutdown)', '30s')
    .option('--record [file]', RECORD_HELP)
    .action((opts: RunOptions) => serve(opts, true));
  engineOptions(
    program
      .command('worker')
      .description('Run workers without touching the schedulers (scale out, or a separate order executor with --queues orders). Needs Redis (REDIS_URL).'),
  )
    .option('--grace <duration>', 'how long running jobs may finish after a stop signal (order walks stop at once, per orders.on_shutdown)', '30s')
    .option('--queues <list>', 'which queues to work: tasks, orders or both; or backtests alone (sweep variants, needs only Redis)', 'tasks,orders')
    .option('--record [file]', RECORD_HELP)
    .action((opts: RunOptions) => serve(opts, false));
}
