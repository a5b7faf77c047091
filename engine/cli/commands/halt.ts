import type { Command } from 'commander';
import { halt, resume } from '../../ops/halt';
import type { HaltState } from '../../risk/kill-switch';
import { systemClock } from '../../shared/clock';
import { journalPath, type Db } from '../../store/journal';
import { withJournal } from '../store-options';

interface HaltOptions {
  readonly journal?: string;
  readonly reason?: string;
  readonly json?: boolean;
}

function withSwitch(file: string | undefined, fn: (db: Db) => HaltState): Promise<HaltState> {
  return withJournal(journalPath(file), fn);
}

/** `thetadesk halt` / `thetadesk resume`: the persisted kill switch. While halted only closing and reducing orders pass. */
export function register(program: Command): void {
  program
    .command('halt')
    .description('Stop all new entries (persisted in the journal; survives restarts). Closing and reducing orders still pass.')
    .option('--journal <path>', 'journal file (default THETADESK_JOURNAL or ./data/thetadesk.db)')
    .option('--reason <text>', 'why, recorded with the halt', 'manual halt')
    .option('--json', 'print the new state as JSON')
    .action(async (opts: HaltOptions) => {
      const state = await withSwitch(opts.journal, (db) => halt(db, opts.reason ?? 'manual halt', 'cli', systemClock.now()));
      process.stdout.write(opts.json ? `${JSON.stringify(state)}\n` : `halted: ${state.reason ?? ''} (thetadesk resume to lift)\n`);
    });
  program
    .command('resume')
    .description('Lift a halt: entries may pass the risk manager again.')
    .option('--journal <path>', 'journal file (default THETADESK_JOURNAL or ./data/thetadesk.db)')
    .option('--json', 'print the new state as JSON')
    .action(async (opts: HaltOptions) => {
      const state = await withSwitch(opts.journal, (db) => resume(db, 'cli', systemClock.now()));
      process.stdout.write(opts.json ? `${JSON.stringify(state)}\n` : 'resumed: entries allowed\n');
    });
}
