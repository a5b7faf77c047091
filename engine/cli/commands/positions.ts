import type { Command } from 'commander';
import * as fs from 'node:fs';
import { IbBroker } from '../../adapters/ib/ib-broker';
import { ibSettings } from '../../adapters/ib/ib-config';
import { PaperBroker } from '../../adapters/sim/paper-broker';
import { loadConfig } from '../../config/load-config';
import { ReadOnlyPositionState } from '../../rules/position-state';
import type { MarketData } from '../../market/market-data';
import { quoteValue } from '../../shared/quote-value';
import type { Db } from '../../store/journal';
import { SqlitePositionStateStore } from '../../store/position-state-sqlite';
import { PositionsRepo } from '../../store/positions-repo';
import { gatherPositionView } from '../../workflows/position-facts-gather';
import { CliExit, EXIT } from '../exit-codes';
import { createMarketData } from '../market-factory';
import { clockAt, integerOption } from '../parse-options';
import { existingJournal, paperStatePath, sqliteFileError, withJournal } from '../store-options';

interface PositionsOptions {
  readonly journal?: string;
  readonly paperState?: string;
  readonly market: string;
  readonly broker: string;
  readonly ibHost?: string;
  readonly ibPort?: string;
  readonly ibClientId?: string;
  readonly seed: string;
  readonly at?: string;
  readonly config: string;
  readonly json?: boolean;
}

export function register(program: Command): void {
  program
    .command('positions')
    .description('Open strategy positions from the journal with live P&L and the facts the 12 rules would see; the broker\'s legs and account summary too (the paper account when its state file exists, or IB with --broker ib).')
    .option('--journal <path>', 'journal file (default THETADESK_JOURNAL or ./data/thetadesk.db)')
    .option('--paper-state <path>', "the paper broker's state file (default THETADESK_PAPER_STATE or ./data/paper.db, when it exists)")
    .option('--market <kind>', 'market data for marks: sim or ib', 'sim')
    .option('--broker <kind>', 'whose legs and account to show: paper (when its state exists) or ib', 'paper')
    .option('--ib-host <host>', 'TWS / IB Gateway host (default THETADESK_IB_HOST or 127.0.0.1)')
    .option('--ib-port <port>', 'TWS / IB Gateway API port (default THETADESK_IB_PORT or 4002)')
    .option('--ib-client-id <id>', 'client id (default THETADESK_IB_CLIENT_ID or 0; this command uses id + 1, the executor\'s)')
    .option('--seed <n>', 'seed of the simulated market', '1')
    .option('--at <iso-time>', 'mark as of this instant (simulated market; default now)')
    .option('--config <dir>', 'config directory', '.')
    .option('--json', 'print as JSON')
    .action(async (opts: PositionsOptions) => {
      const config = loadConfig(opts.config);
      const clock = clockAt(opts.at);
      const seed = integerOption('--seed', opts.seed);
      if (opts.broker !== 'paper' && opts.broker !== 'ib') throw new CliExit(EXIT.INPUT, `unknown --broker ${quoteValue(opts.broker)}; choose paper or ib`);
      const journal = existingJournal(opts.journal);
      const md = createMarketData(opts.market, { clock, seed, symbols: Object.keys(config.strategies.underlyings), ib: opts });
      try {
        await withJournal(journal, (db) => show(db, md));
      } finally {
        await md.close?.();
      }

      async function show(db: Db, md: MarketData): Promise<void> {
        const state = new ReadOnlyPositionState(new SqlitePositionStateStore(db));
        const views = [];
        for (const p of new PositionsRepo(db).list('open')) views.push(await gatherPositionView(p, md, config, clock.now(), state));
        const paperFile = paperStatePath(opts.paperState);
        let held: { account: unknown; legs: unknown } | null = null;
        if (opts.broker === 'ib') {
          const ib = new IbBroker({ settings: ibSettings(opts, process.env, 'executor'), clock });
          try {
            await ib.connect();
            held = { account: await ib.accountSummary(), legs: await ib.positions() };
          } finally {
            await ib.disconnect();
          }
        } else if (fs.existsSync(paperFile)) {
          let broker: PaperBroker;
          try {
            broker = new PaperBroker({ market: md, clock, seed, stateFile: paperFile });
            held = { account: await broker.accountSummary(), legs: await broker.positions() };
          } catch (e) {
            throw sqliteFileError('paper state', paperFile, e);
          }
          broker.close();
        } else if (opts.paperState) {
          throw new CliExit(EXIT.INPUT, `no paper broker state at ${paperFile}`);
        }
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ positions: views, broker: held ? opts.broker : null, paper: held }, null, 2)}\n`);
          return;
        }
        if (views.length === 0) process.stdout.write('no open strategy positions\n');
        for (const v of views) {
          const legs = v.position.legs.map((l) => `${l.action === 'SELL' ? '-' : '+'}${l.strike}${l.right}`).join(' ');
          const pnl = v.unrealized_pnl === null ? 'n/a' : v.unrealized_pnl.toFixed(2);
          process.stdout.write(`${v.position.id}  ${v.position.symbol} ${v.position.strategy} ${v.position.legs[0]?.expiry ?? ''} ${legs} x${v.position.quantity}  credit ${v.position.entry_credit.toFixed(2)}  close ${v.close_cost?.toFixed(2) ?? 'n/a'}  P&L ${pnl}\n`);
          process.stdout.write(`  facts: ${Object.entries(v.facts).map(([k, x]) => `${k}=${typeof x === 'number' ? Number(x.toFixed(4)) : String(x)}`).join(' ')}\n`);
        }
        if (held) {
          process.stdout.write(`${opts.broker} account: ${JSON.stringify(held.account)}\n`);
          process.stdout.write(`${opts.broker} legs: ${JSON.stringify(held.legs)}\n`);
        }
      }
    });
}
