import type { Command } from 'commander';
import { exchangeInstant } from '../../shared/exchange-time';
import { DecisionsRepo, type DecisionRecord } from '../../store/decisions-repo';
import { dateOption } from '../parse-options';
import { existingJournal, withJournal } from '../store-options';
import { registerMaintenance } from './journal-maintenance';

/** A roll decision that rolled names the position it opens (the journal links them once it exists). */
function rolledTo(d: DecisionRecord): string {
  if (d.kind !== 'roll' || d.action !== 'roll') return '';
  const to = (d.trace as { to_position_id?: unknown } | null)?.to_position_id;
  return typeof to === 'string' ? ` (rolled_to ${to})` : '';
}

interface DecisionsOptions {
  readonly journal?: string;
  readonly since?: string;
  readonly json?: boolean;
}

export function register(program: Command): void {
  const journal = program.command('journal').description('Read, check and back up the journal');
  registerMaintenance(journal);
  journal
    .command('decisions')
    .description('Rules decisions (exit, entry, and roll: rolled or fell back, and why) with the rule that fired and its reason; --json includes every trace.')
    .option('--journal <path>', 'journal file (default THETADESK_JOURNAL or ./data/thetadesk.db)')
    .option('--since <date>', 'from this exchange date (YYYY-MM-DD, America/New_York)')
    .option('--json', 'print as JSON, traces included')
    .action(async (opts: DecisionsOptions) => {
      let since = 0;
      if (opts.since !== undefined) {
        since = exchangeInstant(dateOption('--since', opts.since), '00:00');
      }
      await withJournal(existingJournal(opts.journal), (db) => {
        const rows = new DecisionsRepo(db).since(since);
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
          return;
        }
        if (rows.length === 0) process.stdout.write('no decisions\n');
        for (const d of rows) process.stdout.write(`${new Date(d.at).toISOString()}  ${d.kind} ${d.subject}  ${d.action}${d.rule ? ` by ${d.rule}` : ''}: ${d.reason}${rolledTo(d)}\n`);
      });
    });
}
