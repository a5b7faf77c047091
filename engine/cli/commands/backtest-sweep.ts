import * as path from 'node:path';
import type { Command } from 'commander';
import { parseDuration } from '../../config/duration';
import { readSweepSpec } from '../../backtest/sweep-spec';
import { runSweep } from '../../backtest/sweep-run';
import { formatSweepTable } from '../../backtest/sweep-table';
import { checkPrefix, DEFAULT_PREFIX } from '../../queue/queue-names';
import { closeRedis, connectRedis, redisUrl } from '../../queue/redis-connection';
import { quoteValue } from '../../shared/quote-value';
import { runBacktest } from '../backtest-runner';
import { CliExit, EXIT } from '../exit-codes';

interface SweepCliOptions {
  readonly sweep: string;
  readonly out?: string;
  readonly prefix: string;
  readonly localWorkers: string;
  readonly timeout: string;
  readonly json?: boolean;
}

/**
 * `thetadesk backtest --sweep FILE`: the sweep half of `thetadesk backtest` (#16 item 6). The
 * single-config backtest (--from/--to/--out/--compare) is its own module; at merge both share one
 * `backtest` command and this action runs when --sweep is given (runSweepCommand).
 */
export async function runSweepCommand(opts: SweepCliOptions): Promise<void> {
  checkPrefix(opts.prefix);
  if (opts.localWorkers !== '0' && opts.localWorkers !== '1') throw new CliExit(EXIT.INPUT, `--local-workers must be 0 or 1, got ${quoteValue(opts.localWorkers)}; start more with thetadesk worker --queues backtests`);
  const timeoutMs = parseDuration(opts.timeout);
  if (timeoutMs === null) throw new CliExit(EXIT.INPUT, `--timeout must be a duration like 30m or 6h, got ${quoteValue(opts.timeout)}`);
  const spec = readSweepSpec(opts.sweep);
  const outDir = opts.out ?? path.join('data', 'sweeps', path.basename(opts.sweep).replace(/\.ya?ml$/, ''));
  const redis = await connectRedis(redisUrl(), { role: 'engine' });
  const tty = process.stdout.isTTY && !opts.json;
  const say = opts.json ? () => undefined : (l: string) => process.stdout.write(`${tty ? '\r\x1b[K' : ''}${l}\n`);
  try {
    const r = await runSweep({
      spec,
      outDir,
      redis,
      prefix: opts.prefix,
      localWorkers: opts.localWorkers === '1' ? 1 : 0,
      runBacktest,
      timeoutMs,
      log: (l) => {
        if (!/^backtest .*: started$/.test(l)) say(l);
      },
      progress: tty ? (d, n) => process.stdout.write(`\r\x1b[K  ${d}/${n} variant(s) done`) : undefined,
    });
    if (opts.json) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    else {
      for (const l of formatSweepTable(r.rows, r.axes, r.rank_by)) say(l);
      say(`${r.completed}/${r.variants} variant(s) completed; table in ${path.join(outDir, 'sweep.txt')} and ${path.join(outDir, 'sweep.json')}, variant configs in ${path.join(outDir, 'variants')}/`);
    }
    if (r.completed < r.variants) throw new CliExit(EXIT.INPUT, `${r.variants - r.completed} variant(s) did not complete (see the table)`);
  } finally {
    closeRedis(redis);
  }
}

export function register(program: Command): void {
  program
    .command('backtest')
    .description(
      'Sweeps: expand sweep.yaml (a base config and parameter grids) into variant configs, lint each, put one backtest job per variant on the BullMQ backtests queue ' +
        '(run by thetadesk worker --queues backtests on any machine sharing the Redis, and by this process with --local-workers 1), and print one ranked table. Needs Redis (REDIS_URL).',
    )
    .requiredOption('--sweep <file>', 'the sweep file (README "Sweeps")')
    .option('--out <dir>', 'where the variant configs, sweep.json and sweep.txt go (default data/sweeps/<sweep file name>)')
    .option('--prefix <prefix>', 'BullMQ key prefix (the workers must use the same)', DEFAULT_PREFIX)
    .option('--local-workers <n>', '0 or 1: run variants in this process too', '1')
    .option('--timeout <duration>', 'how long to wait for every variant', '6h')
    .option('--json', 'print the result as JSON')
    .action((opts: SweepCliOptions) => runSweepCommand(opts));
}
