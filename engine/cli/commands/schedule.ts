import type { Command } from 'commander';
import { Queue } from 'bullmq';
import { DateTime } from 'luxon';
import { loadConfig } from '../../config/load-config';
import { nextRuns } from '../../queue/next-runs';
import { checkPrefix } from '../../queue/queue-names';
import { closeRedis, connectRedis } from '../../queue/redis-connection';
import { schedulerSpecs } from '../../queue/scheduler-specs';
import { syncSchedulers } from '../../queue/sync-schedulers';
import { systemClock } from '../../shared/clock';

interface ScheduleOptions {
  readonly config: string;
  readonly prefix: string;
  readonly json?: boolean;
}

export function register(program: Command): void {
  const schedule = program.command('schedule').description('The job schedulers made from schedules.yaml');
  schedule
    .command('sync')
    .description('Make the BullMQ job schedulers exactly schedules.yaml: upsert each, remove those no longer in the file, print the difference (running it twice changes nothing). Needs Redis (REDIS_URL).')
    .option('--config <dir>', 'config directory', '.')
    .option('--prefix <prefix>', 'BullMQ key prefix', 'thetadesk')
    .option('--json', 'print the difference as JSON')
    .action(async (opts: ScheduleOptions) => {
      const config = loadConfig(opts.config);
      checkPrefix(opts.prefix);
      const redis = await connectRedis();
      const queue = new Queue('tasks', { connection: redis, prefix: opts.prefix });
      try {
        const diff = await syncSchedulers(queue, schedulerSpecs(config.schedules), config.hash);
        if (opts.json) process.stdout.write(`${JSON.stringify(diff)}\n`);
        else {
          for (const [label, ids] of [['added', diff.added], ['updated', diff.updated], ['removed', diff.removed]] as const) for (const id of ids) process.stdout.write(`${label}: ${id}\n`);
          process.stdout.write(`${diff.unchanged.length} unchanged; config hash ${config.hash}\n`);
        }
      } finally {
        await queue.close();
        closeRedis(redis);
      }
    });
  schedule
    .command('list')
    .description("Each task's trigger and next run in ET (calendar-aware: holidays and closed markets skipped). No Redis needed.")
    .option('--config <dir>', 'config directory', '.')
    .option('--json', 'print as JSON')
    .action((opts: ScheduleOptions) => {
      const config = loadConfig(opts.config);
      const runs = nextRuns(config.schedules, systemClock.now());
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(runs.map((r) => ({ ...r, next: r.next === null ? null : new Date(r.next).toISOString() })))}\n`);
        return;
      }
      for (const r of runs) {
        const when = r.next === null ? '(dependency or event)' : (DateTime.fromMillis(r.next, { zone: config.schedules.timezone }).toFormat('ccc yyyy-LL-dd HH:mm ZZZZ') ?? '');
        process.stdout.write(`${r.task.padEnd(28)} ${when.padEnd(30)} ${r.trigger}\n`);
      }
    });
}
