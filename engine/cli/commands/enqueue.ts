import type { Command } from 'commander';
import { QueueEvents } from 'bullmq';
import { loadConfig } from '../../config/load-config';
import { dryRunTask, enqueueTask, resolveTask } from '../../ops/enqueue';
import { BLOCKING_OVERRIDES, closeRedis } from '../../queue/redis-connection';
import { waitForJob } from '../../queue/wait-for-job';
import { openEngine, type EngineCliOptions } from '../engine-factory';
import { engineOptions } from '../engine-options';
import { clockAt } from '../parse-options';
import { planLines } from '../../ops/plan-lines';
import { printable } from '../../shared/quote-value';
import { CliExit, EXIT } from '../exit-codes';

/** How long `--wait` allows beyond the task's own timeouts (queueing behind other jobs). */
const WAIT_MARGIN_MS = 30_000;

interface EnqueueOptions extends EngineCliOptions {
  readonly config: string;
  readonly symbol?: string;
  readonly data?: string;
  readonly dryRun?: boolean;
  readonly at?: string;
  readonly wait?: boolean;
  readonly json?: boolean;
}

function parseParams(opts: EnqueueOptions): Record<string, unknown> {
  let params: Record<string, unknown> = {};
  if (opts.data !== undefined) {
    let v: unknown;
    try {
      v = JSON.parse(opts.data);
    } catch (e) {
      throw new CliExit(EXIT.INPUT, `--data is not JSON: ${printable((e as Error).message.replace(/, ".*" is not valid JSON$/s, ''))}`);
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new CliExit(EXIT.INPUT, '--data must be a JSON object, e.g. {"symbol":"SPY"}');
    params = v as Record<string, unknown>;
  }
  if (opts.symbol !== undefined) params = { ...params, symbol: opts.symbol };
  return params;
}

export function register(program: Command): void {
  engineOptions(
    program
      .command('enqueue <task>')
      .description(
        'Add an ad-hoc job for a task of schedules.yaml; it passes the same checks as a scheduled one (calendar, config hash, risk). ' +
          '--dry-run runs it here and prints the plan (candidates, decisions, the orders that would be sent) and sends nothing. Needs Redis (REDIS_URL).',
      ),
  )
    .option('--symbol <symbol>', 'limit the task to one underlying')
    .option('--data <json>', 'extra job parameters as a JSON object')
    .option('--dry-run', 'run the workflow here, print its plan, send and journal nothing')
    .option('--at <iso-time>', 'dry runs on the simulated market: as of this instant')
    .option('--wait', 'wait for a worker to finish the job and print its result')
    .option('--json', 'print as JSON')
    .action(async (task: string, opts: EnqueueOptions) => {
      const config = loadConfig(opts.config);
      const { task: t, params } = resolveTask(config, task, parseParams(opts));
      if (opts.at !== undefined && (!opts.dryRun || opts.market !== 'sim')) throw new CliExit(EXIT.INPUT, '--at is for dry runs on the simulated market (--dry-run --market sim)');
      const clock = clockAt(opts.at);
      const logs: string[] = [];
      const engine = await openEngine(config, opts, clock, (l) => logs.push(l));
      try {
        const now = clock.now();
        if (opts.dryRun) {
          const out = await dryRunTask(engine.runtime, config, t, params, now);
          if (opts.json) process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
          else {
            for (const l of [...logs, ...planLines(out.data)]) process.stdout.write(`${l}\n`);
            process.stdout.write(`[dry run] ${t.name}: ${out.status}: ${out.summary}\nnothing was sent or journaled\n`);
          }
          return;
        }
        const queued = await enqueueTask(engine.runtime, config, t, params, now);
        const job = { id: queued.job_id };
        if (!opts.wait) {
          process.stdout.write(opts.json ? `${JSON.stringify(queued)}\n` : `enqueued ${t.name} as job ${job.id ?? '?'} (a running \`thetadesk run\` or \`thetadesk worker\` picks it up)\n`);
          return;
        }
        // Listening before reading the job's state: the job may already be done (the worker is fast).
        const eventsConnection = engine.runtime.redis.duplicate(BLOCKING_OVERRIDES);
        const events = new QueueEvents('tasks', { connection: eventsConnection, prefix: opts.prefix });
        const limitMs = t.timeout_ms * t.max_attempts + WAIT_MARGIN_MS;
        try {
          await events.waitUntilReady();
          const out = await waitForJob(engine.runtime.tasks, events, job.id ?? '', limitMs);
          if (out.state === 'timeout') throw new CliExit(EXIT.UNAVAILABLE, `${t.name} (job ${job.id ?? '?'}) is still ${out.last} after ${Math.round(limitMs / 1000)} s (the task's timeout × attempts + ${WAIT_MARGIN_MS / 1000} s): is \`thetadesk run\` or \`thetadesk worker\` running against this Redis and --prefix ${opts.prefix}?`);
          if (out.state === 'gone') throw new CliExit(EXIT.INPUT, `${t.name} (job ${job.id ?? '?'}) was removed from the queue before it finished`);
          if (out.state === 'failed') throw new CliExit(EXIT.INPUT, `${t.name} (job ${job.id ?? '?'}) failed: ${out.failedReason}`);
          const result = out.returnvalue as { status: string; summary: string };
          process.stdout.write(opts.json ? `${JSON.stringify({ job_id: job.id, ...result })}\n` : `${t.name} (job ${job.id ?? '?'}): ${result.status}: ${result.summary}\n`);
        } finally {
          await events.close();
          closeRedis(eventsConnection);
        }
      } finally {
        await engine.runtime.stop(1000);
        await engine.close();
      }
    });
}
