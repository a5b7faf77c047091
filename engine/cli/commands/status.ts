import type { Command } from 'commander';
import * as fs from 'node:fs';
import { DateTime } from 'luxon';
import { loadConfig } from '../../config/load-config';
import { DEFAULT_PREFIX, checkPrefix } from '../../queue/queue-names';
import { closeRedis, connectRedis } from '../../queue/redis-connection';
import { journalStatus, queueStatus, statusReport, type JournalStatus } from '../../ops/status';
import { systemClock } from '../../shared/clock';
import { journalPath } from '../../store/journal';
import { openJournalAt } from '../store-options';

interface StatusOptions {
  readonly config: string;
  readonly journal?: string;
  readonly prefix: string;
  readonly json?: boolean;
}

const et = (ms: number | null | undefined, tz: string): string => (ms === null || ms === undefined ? '-' : DateTime.fromMillis(ms, { zone: tz }).toFormat('ccc LL-dd HH:mm ZZZZ'));

export function register(program: Command): void {
  program
    .command('status')
    .description('Schedulers and their next runs, queue counts, the last run of each task, circuit breaker and halt state. Needs Redis (REDIS_URL).')
    .option('--config <dir>', 'config directory', '.')
    .option('--journal <path>', 'journal file (default THETADESK_JOURNAL or ./data/thetadesk.db)')
    .option('--prefix <prefix>', 'BullMQ key prefix', DEFAULT_PREFIX)
    .option('--json', 'print as JSON')
    .action(async (opts: StatusOptions) => {
      const config = loadConfig(opts.config);
      checkPrefix(opts.prefix);
      const tz = config.schedules.timezone;
      // The journal first: it is local, and a broken one is refused (exit 1) before Redis is touched.
      const file = journalPath(opts.journal);
      let journal: JournalStatus | null = null;
      if (fs.existsSync(file)) {
        const db = openJournalAt(file);
        try {
          journal = journalStatus(db, config, systemClock.now());
        } finally {
          db.close();
        }
      }
      const redis = await connectRedis();
      try {
        const { schedulers, counts } = await queueStatus(redis, opts.prefix);
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(statusReport(opts.prefix, config, { schedulers, counts }, journal ? { file, ...journal } : null), null, 2)}\n`);
          return;
        }
        process.stdout.write(`schedulers (${schedulers.length}, prefix ${opts.prefix}):\n`);
        for (const s of schedulers.sort((a, b) => (a.next ?? 0) - (b.next ?? 0))) process.stdout.write(`  ${s.id.padEnd(30)} next ${et(s.next, tz).padEnd(24)} ${s.pattern ?? ''}\n`);
        if (schedulers.length === 0) process.stdout.write('  none: run `thetadesk schedule sync` or `thetadesk run`\n');
        for (const [name, c] of Object.entries(counts)) process.stdout.write(`queue ${name}: ${Object.entries(c).map(([k, v]) => `${k} ${v}`).join(', ')}\n`);
        if (!journal) {
          process.stdout.write(`no journal at ${file}: no runs yet\n`);
          return;
        }
        process.stdout.write(`trading: ${journal.halted.halted ? `HALTED (${journal.halted.reason ?? ''})` : 'allowed'}; circuit breaker ${journal.breaker}\n`);
        const wd = journal.watchdog;
        const alerted = journal.watchdog_last?.state === 'overdue' ? `; alerted ${new Date(journal.watchdog_last.at).toISOString()} by pid ${journal.watchdog_last.pid}` : '';
        process.stdout.write(`watchdog: ${wd.state === 'overdue' ? 'OVERDUE' : wd.state} (${wd.detail})${wd.state === 'overdue' ? alerted : ''}\n`);
        process.stdout.write('last runs:\n');
        for (const r of journal.runs) process.stdout.write(`  ${r.task.padEnd(28)} ${r.last.status.padEnd(8)} ${et(r.last.started_at, tz).padEnd(24)} last ok ${et(r.last_ok?.started_at, tz)}  ${r.last.detail ?? ''}\n`);
        if (journal.runs.length === 0) process.stdout.write('  none yet\n');
      } finally {
        closeRedis(redis);
      }
    });
}
