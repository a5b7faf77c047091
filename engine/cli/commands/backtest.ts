import * as path from 'node:path';
import type { Command } from 'commander';
import { backtestDocument, backtestLines, writeBacktestOutput, type CompareSection } from '../../backtest/backtest-output';
import { compareTrades } from '../../backtest/backtest-compare';
import { prepareOutDir, runBacktest, type BacktestRun } from '../../backtest/backtest-run';
import { loadConfig } from '../../config/load-config';
import type { CompiledConfig } from '../../config/types';
import { quoteValue } from '../../shared/quote-value';
import { CliExit, EXIT } from '../exit-codes';
import { createMarketData, isMarketKind } from '../market-factory';
import { DEFAULT_PREFIX } from '../../queue/queue-names';
import { runSweepCommand } from './backtest-sweep';
import { dateOption, integerOption, symbolsOption } from '../parse-options';

interface BacktestCliOptions {
  readonly from?: string;
  readonly to?: string;
  readonly config: string;
  readonly seed: string;
  readonly market: string;
  readonly symbols?: string;
  readonly out?: string;
  readonly compare?: string;
  readonly json?: boolean;
  readonly strict?: boolean;
  readonly sweep?: string;
  readonly prefix: string;
  readonly localWorkers: string;
  readonly timeout: string;
}

const STARTING_CASH = 100_000;
/** A year is ~252 trading days; ten years is plenty for one run. */
const MAX_DAYS = 3_660;

const money = (x: number): string => `${x < 0 ? '-' : ''}$${Math.abs(x).toFixed(2)}`;

export function register(program: Command): void {
  program
    .command('backtest')
    .description(
      'Play trading days of the real engine (the same workflows, rules, risk manager, order manager and paper broker as `run`) on virtual time over schedules.yaml — the NYSE calendar, `after` dependencies, `on: [fill]` tasks and misfire rules — with an in-process task runner (no Redis). ' +
        'Prints the summary and the per-exit-rule table; --out writes report.json, trades.csv and a self-contained report.html (and the journal, journal.db); --compare plays a second config over the same market and days and prints where the decisions differed. ' +
        '--sweep FILE instead expands a base config and parameter grids into variants, runs one backtest job per variant on the BullMQ backtests queue (thetadesk worker --queues backtests on any machine sharing the Redis) and prints one ranked table.',
    )
    .option('--from <date>', 'first day (YYYY-MM-DD; the next trading day when it is not one); required without --sweep')
    .option('--to <date>', 'last day (YYYY-MM-DD, included); required without --sweep')
    .option('--config <dir>', 'config directory', '.')
    .option('--seed <n>', 'seed of the simulated market and the paper fills', '1')
    .option('--market <source>', 'market data: sim (the seeded simulated market), csv:PATH (a quote history) or recorded:PATH (a recording made by --record)', 'sim')
    .option('--strict', 'csv: reject the whole file on a bad row instead of skipping it')
    .option('--symbols <list>', 'comma-separated underlyings (default: all in strategies.yaml)')
    .option('--out <dir>', 'write report.json, trades.csv, report.html and journal.db here (a previous backtest there is replaced)')
    .option('--compare <dir>', 'a second config directory played over the same market and days: the decision diff')
    .option('--json', 'print report.json to stdout (no progress)')
    .option('--sweep <file>', 'sweeps: a base config and parameter grids (README "Sweeps"), one backtest job per variant on the BullMQ backtests queue; needs Redis')
    .option('--prefix <prefix>', 'with --sweep: BullMQ key prefix (the workers must use the same)', DEFAULT_PREFIX)
    .option('--local-workers <n>', 'with --sweep: 0 or 1, run variants in this process too', '1')
    .option('--timeout <duration>', 'with --sweep: how long to wait for every variant', '6h')
    .action(async (opts: BacktestCliOptions) => {
      if (opts.sweep !== undefined) {
        for (const [flag, v] of [['--from', opts.from], ['--to', opts.to], ['--compare', opts.compare], ['--symbols', opts.symbols]] as const) if (v !== undefined) throw new CliExit(EXIT.USAGE, `${flag} does not go with --sweep: the sweep file names the days, symbols and configs`);
        await runSweepCommand({ sweep: opts.sweep, out: opts.out, prefix: opts.prefix, localWorkers: opts.localWorkers, timeout: opts.timeout, json: opts.json });
        return;
      }
      if (opts.from === undefined) throw new CliExit(EXIT.USAGE, "required option '--from <date>' not specified (or --sweep FILE)");
      if (opts.to === undefined) throw new CliExit(EXIT.USAGE, "required option '--to <date>' not specified");
      const from = dateOption('--from', opts.from);
      const to = dateOption('--to', opts.to);
      if (to < from) throw new CliExit(EXIT.INPUT, `--to ${to} is before --from ${from}`);
      if ((Date.parse(to) - Date.parse(from)) / 86_400_000 > MAX_DAYS) throw new CliExit(EXIT.INPUT, `--from ${from} --to ${to} spans more than ten years: split the run`);
      const seed = integerOption('--seed', opts.seed);
      // ib is a live source: a backtest needs a market that can be asked about any past day.
      if (opts.market === 'ib') throw new CliExit(EXIT.INPUT, `--market ib is live market data and cannot play past days; use --market sim`);
      const config = loadConfig(opts.config);
      const other: CompiledConfig | null = opts.compare === undefined ? null : loadConfig(opts.compare);
      const symbols = opts.symbols === undefined ? Object.keys(config.strategies.underlyings) : symbolsOption('--symbols', opts.symbols, Object.keys(config.strategies.underlyings));
      if (other) {
        const missing = symbols.filter((s) => !other.strategies.underlyings[s]);
        if (missing.length > 0) throw new CliExit(EXIT.INPUT, `--compare ${opts.compare}: no underlying ${missing.join(', ')} in its strategies.yaml; give --symbols that both configs trade`);
      }
      // An unknown source is refused before any day is played.
      if (!isMarketKind(opts.market)) createMarketData(opts.market, { clock: { now: () => Date.parse(`${from}T12:00:00Z`) }, seed, symbols });
      const market = { name: opts.market, make: (clock: Parameters<typeof createMarketData>[1]['clock'], syms: readonly string[]) => createMarketData(opts.market, { clock, seed, symbols: syms, strict: opts.strict === true }) };
      const tty = process.stdout.isTTY === true && !opts.json;
      const progress = (label: string) => (p: { done: number; days: number; date: string; trades: number; pnl: number }): void => {
        if (!tty) return;
        const bar = '#'.repeat(Math.round((p.done / p.days) * 20)).padEnd(20, '.');
        process.stdout.write(`\r\x1b[K${label}[${bar}] ${p.done}/${p.days} days  ${p.date}  trades ${p.trades}  P&L ${money(p.pnl)}`);
      };
      const journalA = opts.out ? prepareOutDir(opts.out) : null;
      const run = (c: CompiledConfig, journal: string | null, label: string): Promise<BacktestRun> => runBacktest({ config: c, from, to, seed, symbols, market, journal, startingCash: STARTING_CASH, onDay: progress(label) });
      const a = await run(config, journalA, other ? 'A ' : '');
      const b = other ? await run(other, opts.out ? path.join(opts.out, 'journal-b.db') : null, 'B ') : null;
      if (tty) process.stdout.write('\r\x1b[K');
      const compare: CompareSection | null = b && other ? { config_dir: opts.compare as string, config_hash: other.hash, summary: b.summary, equity: b.equity, rules: b.rules, ...compareTrades(a.trades, b.trades) } : null;
      const doc = backtestDocument({ created_at: new Date().toISOString(), from, to, seed, market: opts.market, symbols, config_hash: config.hash, config_dir: opts.config, runner: 'in-process' }, a, compare);
      const files = opts.out ? writeBacktestOutput(opts.out, doc) : null;
      if (opts.json) process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
      else {
        for (const l of backtestLines(doc)) process.stdout.write(`${l}\n`);
        if (files && opts.out) process.stdout.write(`\nWrote ${files.html} (open it in a browser), ${files.json}, ${files.csv} and the journal ${path.join(opts.out, 'journal.db')}\n`);
      }
      const failed = a.summary.journal_failure ?? b?.summary.journal_failure ?? null;
      if (failed) throw new CliExit(EXIT.INPUT, `${failed}: the report above is incomplete (${quoteValue(opts.out ?? 'no --out')})`);
    });
}
