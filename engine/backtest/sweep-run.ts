import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { QueueEvents, type Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { BACKTEST_JOB_OPTIONS, BACKTESTS_QUEUE, backtestsQueue, backtestsWorker, type BacktestJobData, type BacktestJobResult, type RunBacktest } from '../queue/backtest-jobs';
import { BLOCKING_OVERRIDES, closeRedis } from '../queue/redis-connection';
import { waitForJob } from '../queue/wait-for-job';
import { expandSweep } from './sweep-expand';
import type { SweepBacktestOptions, SweepSpec, SummaryKey } from './sweep-spec';
import { formatSweepTable, rankRows, type SweepRow } from './sweep-table';

export interface SweepRunOptions {
  readonly spec: SweepSpec;
  /** Variant config folders, sweep.json and sweep.txt go here. */
  readonly outDir: string;
  readonly redis: Redis;
  readonly prefix: string;
  /** Backtest workers in this process (0: only `thetadesk worker --queues backtests` elsewhere run them). */
  readonly localWorkers: 0 | 1;
  readonly runBacktest: RunBacktest;
  /** How long to wait for all variants. */
  readonly timeoutMs: number;
  readonly log: (line: string) => void;
  /** Called as variants finish (done, total). */
  readonly progress?: (done: number, total: number) => void;
}

export interface SweepResult {
  readonly sweep_id: string;
  readonly file: string;
  readonly base: string;
  readonly backtest: SweepBacktestOptions;
  readonly rank_by: SummaryKey;
  readonly order: 'asc' | 'desc';
  readonly axes: readonly string[];
  readonly variants: number;
  readonly completed: number;
  readonly rows: readonly SweepRow[];
  readonly out: string;
}

/**
 * A sweep: every variant expanded and linted, one job each on the `backtests` queue, run by
 * whichever workers share the Redis (this process's own when `localWorkers` is 1), and gathered
 * into one ranked table. The variants' folders and the table stay in `outDir`.
 */
export async function runSweep(o: SweepRunOptions): Promise<SweepResult> {
  const { spec } = o;
  const sweepId = `sweep-${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${crypto.randomBytes(3).toString('hex')}`;
  fs.mkdirSync(o.outDir, { recursive: true });
  const variants = expandSweep(spec, path.join(o.outDir, 'variants'));
  o.log(`${sweepId}: ${variants.length} variant(s) of ${spec.file} linted; enqueued on ${o.prefix}:${BACKTESTS_QUEUE}${o.localWorkers ? ' (one worker in this process)' : ' (run them with thetadesk worker --queues backtests)'}`);
  const queue = backtestsQueue(o.redis, o.prefix);
  const eventsConn = o.redis.duplicate(BLOCKING_OVERRIDES);
  const events = new QueueEvents(BACKTESTS_QUEUE, { connection: eventsConn, prefix: o.prefix });
  const workers: Worker[] = [];
  const conns: Redis[] = [eventsConn];
  try {
    await events.waitUntilReady();
    const jobs = await queue.addBulk(
      variants.map((v) => ({
        name: v.name,
        data: { sweep_id: sweepId, variant: v.name, params: v.params, files: v.files, config_hash: v.config_hash, opts: spec.backtest } satisfies BacktestJobData,
        opts: { ...BACKTEST_JOB_OPTIONS, jobId: `${sweepId}--${v.name}` },
      })),
    );
    for (let i = 0; i < o.localWorkers; i++) {
      const c = o.redis.duplicate(BLOCKING_OVERRIDES);
      conns.push(c);
      workers.push(backtestsWorker(c, o.prefix, o.runBacktest, o.log));
    }
    let done = 0;
    const deadline = Date.now() + o.timeoutMs;
    const rows = await Promise.all(
      jobs.map(async (job, i) => {
        const v = variants[i] as (typeof variants)[number];
        const out = await waitForJob(queue, events, job.id as string, Math.max(0, deadline - Date.now()));
        o.progress?.(++done, variants.length);
        const base = { variant: v.name, params: v.params, config_hash: v.config_hash };
        if (out.state === 'completed') {
          const r = out.returnvalue as BacktestJobResult;
          return { ...base, status: 'completed' as const, summary: r.summary, error: null, worker: r.worker, ms: r.ms };
        }
        return { ...base, status: out.state === 'failed' ? ('failed' as const) : ('timeout' as const), summary: null, error: out.state === 'failed' ? out.failedReason : out.state === 'timeout' ? `not finished (${out.last}) when the sweep stopped waiting` : 'the job disappeared from Redis', worker: null, ms: null };
      }),
    );
    // Variants still waiting when the sweep stops waiting would be run later for nobody: withdrawn
    // (a running one cannot be, and finishes on its worker).
    for (const r of rows) if (r.status === 'timeout') await queue.remove(`${sweepId}--${r.variant}`).catch(() => 0);
    const ranked = rankRows(rows, spec.rank_by, spec.order);
    const result: SweepResult = { sweep_id: sweepId, file: spec.file, base: spec.base, backtest: spec.backtest, rank_by: spec.rank_by, order: spec.order, axes: spec.grid.map((a) => a.name), variants: variants.length, completed: rows.filter((r) => r.status === 'completed').length, rows: ranked, out: o.outDir };
    fs.writeFileSync(path.join(o.outDir, 'sweep.json'), `${JSON.stringify(result, null, 2)}\n`);
    fs.writeFileSync(path.join(o.outDir, 'sweep.txt'), `${formatSweepTable(ranked, result.axes, spec.rank_by).join('\n')}\n`);
    return result;
  } finally {
    await Promise.all(workers.map((w) => w.close()));
    await events.close();
    await queue.close();
    for (const c of conns) closeRedis(c);
  }
}
