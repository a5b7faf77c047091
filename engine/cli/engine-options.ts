import type { Command } from 'commander';
import { DEFAULT_PREFIX } from '../queue/queue-names';

/** The flags every engine command shares (run, worker, enqueue). */
export function engineOptions(cmd: Command): Command {
  return cmd
    .option('--config <dir>', 'config directory', '.')
    .option('--market <kind>', 'market data: sim, ib, csv:PATH (option history, README "Bring your own history") or recorded:PATH (a recording made with --record)', 'sim')
    .option('--strict', 'csv: reject the whole file when any row is bad (default: skip bad rows, listing each as FILE:LINE)')
    .option('--broker <kind>', 'where orders go: paper, or ib (TWS / IB Gateway; paper-trading port 4002 unless told otherwise)', 'paper')
    .option('--ib-host <host>', 'TWS / IB Gateway host (default THETADESK_IB_HOST or 127.0.0.1)')
    .option('--ib-port <port>', 'TWS / IB Gateway API port (default THETADESK_IB_PORT or 4002, the paper port)')
    .option('--ib-client-id <id>', 'client id of the worker; the order executor uses id + 1 (default THETADESK_IB_CLIENT_ID or 0)')
    .option('--live', 'allow a LIVE (non-paper) IB account; strategies.yaml must also say broker.allow_live: true (otherwise a live account is refused at connect)')
    .option('--seed <n>', 'seed of the simulated market and paper fills', '1')
    .option('--journal <path>', 'journal file (default THETADESK_JOURNAL or ./data/thetadesk.db)')
    .option('--paper-state <path>', "the paper broker's state file (default THETADESK_PAPER_STATE or ./data/paper.db)")
    .option('--prefix <prefix>', 'BullMQ key prefix', DEFAULT_PREFIX);
}
