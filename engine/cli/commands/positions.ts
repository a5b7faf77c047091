import type { Command } from 'commander';
import * as fs from 'node:fs';
import { PaperBroker } from '../../adapters/sim/paper-broker';
import { loadConfig } from '../../config/load-config';
import { ReadOnlyPositionState } from '../../rules/position-state';
import { openJournal } from '../../store/journal';
import { SqlitePositionStateStore } from '../../store/position-state-sqlite';
import { PositionsRepo } from '../../store/positions-repo';
import { gatherPositionView } from '../../workflows/position-facts-gather';
import { CliExit, EXIT } from '../exit-codes';
import { createMarketData } from '../market-factory';
import { clockAt } from '../parse-options';
import { existingJournal, paperStatePath } from '../store-options';

interface PositionsOptions {
  readonly journal?: string;
  readonly paperState?: string;
  readonly market: string;
  readonly seed: string;
  readonly at?: string;
  readonly config: string;
  readonly json?: boolean;
}

export function register(program: Command): void {
  program
    .command('positions')
    .description('Open strategy positions from the journal with live P&L and the facts the 12 rules would see; with a paper account, its legs and account summary too.')
    .option('--journal <path>', 'journal file (default THETADESK_JOURNAL or ./data/thetadesk.db)')
    .option('--paper-state <path>', "the paper broker's state file (default THETADESK_PAPER_STATE or ./data/paper.db, when it exists)")
    .option('--market <kind>', 'market data for marks: sim or ib', 'sim')
    .option('--seed <n>', 'seed of the simulated market', '1')
    .option('--at <iso-time>', 'mark as of this instant (simulated market; default now)')
    .option('--config <dir>', 'config directory', '.')
    .option('--json', 'print as JSON')
    .action(async (opts: PositionsOptions) => {
      const config = loadConfig(opts.config);
      const clock = clockAt(opts.at);
      const db = openJournal(existingJournal(opts.journal));
      const md = createMarketData(opts.market, { clock, seed: Number(opts.seed), symbols: Object.keys(config.strategies.underlyings) });
      try {
        const state = new ReadOnlyPositionState(new SqlitePositionStateStore(db));
        const views = [];
        for (const p of new PositionsRepo(db).list('open')) views.push(await gatherPositionView(p, md, config, clock.now(), state));
        const paperFile = paperStatePath(opts.paperState);
        let paper: { account: unknown; legs: unknown } | null = null;
        if (fs.existsSync(paperFile)) {
          const broker = new PaperBroker({ market: md, clock, seed: Number(opts.seed), stateFile: paperFile });
          paper = { account: await broker.accountSummary(), legs: await broker.positions() };
          broker.close();
        } else if (opts.paperState) {
          throw new CliExit(EXIT.INPUT, `no paper broker state at ${paperFile}`);
        }
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ positions: views, paper }, null, 2)}\n`);
          return;
        }
        if (views.length === 0) process.stdout.write('no open strategy positions\n');
        for (const v of views) {
          const legs = v.position.legs.map((l) => `${l.action === 'SELL' ? '-' : '+'}${l.strike}${l.right}`).join(' ');
          const pnl = v.unrealized_pnl === null ? 'n/a' : v.unrealized_pnl.toFixed(2);
          process.stdout.write(`${v.position.id}  ${v.position.symbol} ${v.position.strategy} ${v.position.legs[0]?.expiry ?? ''} ${legs} x${v.position.quantity}  credit ${v.position.entry_credit.toFixed(2)}  close ${v.close_cost?.toFixed(2) ?? 'n/a'}  P&L ${pnl}\n`);
          process.stdout.write(`  facts: ${Object.entries(v.facts).map(([k, x]) => `${k}=${typeof x === 'number' ? Number(x.toFixed(4)) : String(x)}`).join(' ')}\n`);
        }
        if (paper) process.stdout.write(`paper account: ${JSON.stringify(paper.account)}\n`);
      } finally {
        db.close();
        await md.close?.();
      }
    });
}
