import type { Command } from 'commander';
import { DEFAULT_PREFIX } from '../queue/queue-names';

/** The flags every engine command shares (run, worker, enqueue). */
export function engineOptions(cmd: Command): Command {
  return cmd
    .option('--config <dir>', 'config directory', '.')
    .option('--market <kind>', 'market data: sim or ib', 'sim')
    .option('--broker <kind>', 'where orders go: paper', 'paper')
    .option('--seed <n>', 'seed of the simulated market and paper fills', '1')
    .option('--journal <path>', 'journal file (default THETADESK_JOURNAL or ./data/thetadesk.db)')
    .option('--paper-state <path>', "the paper broker's state file (default THETADESK_PAPER_STATE or ./data/paper.db)")
    .option('--prefix <prefix>', 'BullMQ key prefix', DEFAULT_PREFIX);
}
