import type { Command } from 'commander';
import { QueueEvents } from 'bullmq';
import { loadConfig } from '../../config/load-config';
import type { TaskJobData } from '../../queue/job-guard';
import { RETENTION } from '../../queue/queue-names';
import { BLOCKING_OVERRIDES, closeRedis } from '../../queue/redis-connection';
import { waitForJob } from '../../queue/wait-for-job';
import { openEngine, type EngineCliOptions } from '../engine-factory';
import { engineOptions } from '../engine-options';
import { clockAt } from '../parse-options';
import { planLines } from '../plan-format';
import { didYouMean } from '../../shared/closest-name';
import { printable, quoteValue } from '../../shared/quote-value';
import { checkTaskParams } from '../../workflows/task-params';
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
      const t = config.schedules.tasks.find((x) => x.name === task);
      const names = config.schedules.tasks.map((x) => x.name);
      if (!t) throw new CliExit(EXIT.INPUT, `no task ${quoteValue(task)} in schedules.yaml${didYouMean(task, names)}; tasks: ${names.join(', ')}`);
      const params = checkTaskParams(t.name, parseParams(opts), Object.keys(config.strategies.underlyings));
      if (opts.at !== undefined && (!opts.dryRun || opts.market !== 'sim')) throw new CliExit(EXIT.INPUT, '--at is for dry runs on the simulated market (--dry-run --market sim)');
      const clock = clockAt(opts.at);
      const logs: string[] = [];
      const engine = await openEngine(config, opts, clock, (l) => logs.push(l));
      try {
        const now = clock.now();
        const data: TaskJobData = { task: t.name, config_hash: config.hash, scheduled_for: now, params };
        if (opts.dryRun) {
          const out = await engine.runtime.runTask({ id: `dry-run-${t.name}-${now}`, name: t.name, data: { ...data, dry_run: true }, timestamp: now, opts: {} });
          if (opts.json) process.stdout.write(`${JSON.stringify({ dry_run: true, ...out }, null, 2)}\n`);
          else {
            for (const l of [...logs, ...planLines(out.data)]) process.stdout.write(`${l}\n`);
            process.stdout.write(`[dry run] ${t.name}: ${out.status}: ${out.summary}\nnothing was sent or journaled\n`);
          }
          return;
        }
        const job = await engine.runtime.tasks.add(t.name, data, { jobId: `adhoc-${t.name}-${now}`, priority: t.priority, attempts: t.max_attempts, ...RETENTION });
        if (!opts.wait) {
          process.stdout.write(opts.json ? `${JSON.stringify({ job_id: job.id, task: t.name })}\n` : `enqueued ${t.name} as job ${job.id ?? '?'} (a running \`thetadesk run\` or \`thetadesk worker\` picks it up)\n`);
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
