import type { Command } from 'commander';
import * as fs from 'node:fs';
import { IbBroker } from '../../adapters/ib/ib-broker';
import { ibSettings } from '../../adapters/ib/ib-config';
import { PaperBroker } from '../../adapters/sim/paper-broker';
import { loadConfig } from '../../config/load-config';
import { ReadOnlyPositionState } from '../../rules/position-state';
import type { MarketData } from '../../market/market-data';
import { quoteValue } from '../../shared/quote-value';
import { journalPath, type Db } from '../../store/journal';
import type { Clock } from '../../shared/clock';
import type { CompiledConfig } from '../../config/types';
import { SqlitePositionStateStore } from '../../store/position-state-sqlite';
import { PositionsRepo } from '../../store/positions-repo';
import { RollsRepo, type RollLink } from '../../store/rolls-repo';
import { gatherPositionView, type PositionView } from '../../workflows/position-facts-gather';
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
    .description('Open strategy positions from the journal with live P&L and the facts the 12 rules would see, and the position each was rolled from (rolled_from); the broker\'s legs and account summary too (the paper account when its state file exists, or IB with --broker ib).')
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
      const file = journalPath(opts.journal);
      // The IB account is worth seeing before the engine ever ran (the README's gateway example);
      // anything else without a journal has nothing to show.
      const defaultJournal = opts.journal === undefined && process.env.THETADESK_JOURNAL === undefined;
      const journal = opts.broker === 'ib' && defaultJournal && !fs.existsSync(file) ? null : existingJournal(opts.journal);
      const md = createMarketData(opts.market, { clock, seed, symbols: Object.keys(config.strategies.underlyings), ib: opts });
      try {
        const views = journal === null ? [] : await withJournal(journal, async (db) => withRolls(db, await gatherViews(db, md, config, clock.now())));
        const held = await brokerView(opts, md, clock, seed);
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ positions: views, broker: held ? opts.broker : null, paper: held }, null, 2)}\n`);
          return;
        }
        if (journal === null) process.stdout.write(`no journal at ${file}: no strategy positions recorded yet\n`);
        else if (views.length === 0) process.stdout.write('no open strategy positions\n');
        for (const v of views) {
          const legs = v.position.legs.map((l) => `${l.action === 'SELL' ? '-' : '+'}${l.strike}${l.right}`).join(' ');
          const pnl = v.unrealized_pnl === null ? 'n/a' : v.unrealized_pnl.toFixed(2);
          process.stdout.write(`${v.position.id}  ${v.position.symbol} ${v.position.strategy} ${v.position.legs[0]?.expiry ?? ''} ${legs} x${v.position.quantity}  credit ${v.position.entry_credit.toFixed(2)}  close ${v.close_cost?.toFixed(2) ?? 'n/a'}  P&L ${pnl}\n`);
          if (v.rolled_from) process.stdout.write(`  rolled_from ${v.rolled_from.from_position_id} (${v.rolled_from.mode}, ${new Date(v.rolled_from.at).toISOString()})\n`);
          for (const to of v.rolled_to) process.stdout.write(`  rolled_to ${to.to_position_id} (${to.mode}, ${new Date(to.at).toISOString()}; the lots shown were not rolled)\n`);
          process.stdout.write(`  facts: ${Object.entries(v.facts).map(([k, x]) => `${k}=${typeof x === 'number' ? Number(x.toFixed(4)) : String(x)}`).join(' ')}\n`);
        }
        if (held) {
          process.stdout.write(`${opts.broker} account: ${JSON.stringify(held.account)}\n`);
          process.stdout.write(`${opts.broker} legs: ${JSON.stringify(held.legs)}\n`);
        }
      } finally {
        await md.close?.();
      }
    });
}

/** Open positions of the journal with their marks and facts (looking changes nothing: peaks are read, not raised). */
async function gatherViews(db: Db, md: MarketData, config: CompiledConfig, nowMs: number): Promise<PositionView[]> {
  const state = new ReadOnlyPositionState(new SqlitePositionStateStore(db));
  const views: PositionView[] = [];
  for (const p of new PositionsRepo(db).list('open')) views.push(await gatherPositionView(p, md, config, nowMs, state));
  return views;
}

type RolledView = PositionView & { readonly rolled_from: RollLink | null; readonly rolled_to: readonly RollLink[] };

/** Each position's roll links: the position it replaced, and any it was partly rolled into. */
function withRolls(db: Db, views: readonly PositionView[]): RolledView[] {
  const rolls = new RollsRepo(db);
  return views.map((v) => ({ ...v, rolled_from: rolls.rolledFrom(v.position.id), rolled_to: rolls.rolledTo(v.position.id) }));
}

/** The broker's own legs and account: IB with --broker ib, else the paper account when its state file exists. */
async function brokerView(opts: PositionsOptions, md: MarketData, clock: Clock, seed: number): Promise<{ account: unknown; legs: unknown } | null> {
  if (opts.broker === 'ib') {
    // Reading a live account's positions is harmless: connected read-only, it sends no order.
    const ib = new IbBroker({ settings: ibSettings(opts, process.env, 'executor'), clock, live: 'read_only' });
    try {
      await ib.connect();
      return { account: await ib.accountSummary(), legs: await ib.positions() };
    } finally {
      await ib.disconnect();
    }
  }
  const paperFile = paperStatePath(opts.paperState);
  if (!fs.existsSync(paperFile)) {
    if (opts.paperState) throw new CliExit(EXIT.INPUT, `no paper broker state at ${paperFile}`);
    return null;
  }
  let broker: PaperBroker | null = null;
  try {
    broker = new PaperBroker({ market: md, clock, seed, stateFile: paperFile });
    return { account: await broker.accountSummary(), legs: await broker.positions() };
  } catch (e) {
    throw sqliteFileError('paper state', paperFile, e);
  } finally {
    broker?.close();
  }
}
