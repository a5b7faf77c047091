import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { CONFIG_FILES } from '../config/lint-context';
import { ConfigError } from '../shared/errors';

/** The queue sweeps put their variants on; `thetadesk worker --queues backtests` works it. */
export const BACKTESTS_QUEUE = 'backtests';

/** What the report.json summary of one backtest holds (the figures a sweep ranks by). */
export interface BacktestSummary {
  readonly trading_days: number;
  readonly trades: number;
  readonly win_rate_pct: number | null;
  readonly realized_pnl: number;
  readonly unrealized_pnl: number;
  readonly fees: number;
  readonly max_drawdown: number;
}

/** The run options a variant's backtest gets (a sweep's `backtest:` section). */
export interface BacktestRunOptions {
  readonly from: string;
  readonly to: string;
  readonly seed: number;
  readonly symbols: readonly string[] | null;
  readonly market: string;
}

/**
 * Runs one backtest of the config in `configDir` and resolves to its report's summary. Injected:
 * the queue knows nothing of how a backtest runs (engine/backtest provides it).
 */
export type RunBacktest = (configDir: string, opts: BacktestRunOptions) => Promise<{ readonly summary: BacktestSummary }>;

export interface BacktestJobData {
  readonly sweep_id: string;
  readonly variant: string;
  readonly params: Readonly<Record<string, number | string | boolean>>;
  /** The variant's config files by relative path: a worker on another machine needs no shared disk. */
  readonly files: Readonly<Record<string, string>>;
  readonly config_hash: string;
  readonly opts: BacktestRunOptions;
}

export interface BacktestJobResult {
  readonly summary: BacktestSummary;
  /** host:pid of the worker that ran it. */
  readonly worker: string;
  readonly ms: number;
}

const ALLOWED = new Set<string>(Object.values(CONFIG_FILES));

/** The variant's config folder in a fresh temp dir; only the four config files, never another path. */
function materialize(files: Readonly<Record<string, string>>): string {
  const bad = Object.keys(files).filter((f) => !ALLOWED.has(f));
  if (bad.length > 0) throw new ConfigError('E_BACKTEST_JOB', `backtest job carries files other than the config's (${bad.join(', ')}): refused`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'thetadesk-variant-'));
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
  return dir;
}

/** The processor: the variant's config written out, the injected backtest run on it, the folder removed. */
export function backtestProcessor(runBacktest: RunBacktest, log: (line: string) => void): (job: Job<BacktestJobData>) => Promise<BacktestJobResult> {
  return async (job) => {
    const started = Date.now();
    const dir = materialize(job.data.files);
    try {
      log(`backtest ${job.data.sweep_id}/${job.data.variant}: started`);
      const { summary } = await runBacktest(dir, job.data.opts);
      const ms = Date.now() - started;
      log(`backtest ${job.data.sweep_id}/${job.data.variant}: done in ${(ms / 1000).toFixed(1)} s, ${summary.trades} trade(s), realized ${summary.realized_pnl.toFixed(2)}`);
      return { summary, worker: `${os.hostname()}:${process.pid}`, ms };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
}

/** A backtest is long and deterministic: no retry (a failure is the config's or the data's), a lock it renews. */
export const BACKTEST_JOB_OPTIONS = { attempts: 1, removeOnComplete: { age: 7 * 86_400, count: 10_000 }, removeOnFail: { age: 30 * 86_400, count: 10_000 } } as const;

export function backtestsQueue(connection: ConnectionOptions, prefix: string): Queue<BacktestJobData, BacktestJobResult> {
  return new Queue<BacktestJobData, BacktestJobResult>(BACKTESTS_QUEUE, { connection, prefix });
}

/**
 * A backtest keeps the CPU busy for long stretches: a lock renewed late must not look stalled and be
 * run twice, so the lock is long (renewed at half of it).
 */
const LOCK_MS = 5 * 60_000;

/** One worker on the backtests queue; `concurrency` backtests at a time in this process (default 1: each is CPU-bound). */
export function backtestsWorker(connection: ConnectionOptions, prefix: string, runBacktest: RunBacktest, log: (line: string) => void, concurrency = 1): Worker<BacktestJobData, BacktestJobResult> {
  return new Worker<BacktestJobData, BacktestJobResult>(BACKTESTS_QUEUE, backtestProcessor(runBacktest, log), { connection, prefix, concurrency, lockDuration: LOCK_MS });
}
