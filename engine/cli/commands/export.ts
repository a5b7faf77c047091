import type { Command } from 'commander';
import { loadConfig } from '../../config/load-config';
import { parseDuration } from '../../config/duration';
import { exportSimCsv } from '../../backtest/market-export';
import { quoteWindows } from '../../backtest/quote-windows';
import { SIM_SYMBOLS } from '../../adapters/sim/market/symbols';
import { quoteValue } from '../../shared/quote-value';
import { CliExit, EXIT } from '../exit-codes';
import { dateOption, integerOption } from '../parse-options';

interface ExportCliOptions {
  readonly market: string;
  readonly from: string;
  readonly to: string;
  readonly symbols?: string;
  readonly seed: string;
  readonly every: string;
  readonly out: string;
  readonly config: string;
}

const MIN_EVERY_MS = 60_000;

export function register(program: Command): void {
  program
    .command('export')
    .description(
      'Write option history as CSV (the format `--market csv:PATH` reads; README "Bring your own history"): snapshots every --every from each session open, plus one at its close, ' +
        'each with every contract of the expiries and |delta| around what strategies.yaml trades.',
    )
    .requiredOption('--from <date>', 'first trading day (YYYY-MM-DD)')
    .requiredOption('--to <date>', 'last trading day (YYYY-MM-DD), inclusive')
    .requiredOption('--out <file>', 'the CSV file to write (replaced)')
    .option('--market <kind>', 'where the history comes from: sim (the seeded simulated market)', 'sim')
    .option('--symbols <list>', 'comma-separated underlyings the sim has (default: the underlyings in strategies.yaml)')
    .option('--seed <n>', 'seed of the simulated market', '1')
    .option('--every <duration>', 'interval between snapshots, like 30m or 1h', '30m')
    .option('--config <dir>', 'config directory (its strategies give the DTE and delta windows)', '.')
    .action(async (opts: ExportCliOptions) => {
      if (opts.market !== 'sim') throw new CliExit(EXIT.INPUT, `--market ${quoteValue(opts.market)}: export writes the simulated market only (--market sim); a csv: or recorded: market is already a file`);
      const from = dateOption('--from', opts.from);
      const to = dateOption('--to', opts.to);
      if (to < from) throw new CliExit(EXIT.INPUT, `--to ${to} is before --from ${from}`);
      const seed = integerOption('--seed', opts.seed);
      const everyMs = parseDuration(opts.every);
      if (everyMs === null || everyMs < MIN_EVERY_MS) throw new CliExit(EXIT.INPUT, `--every must be a duration of at least 1m, like 30m or 1h, got ${quoteValue(opts.every)}`);
      const config = loadConfig(opts.config);
      const symbols = (opts.symbols ?? Object.keys(config.strategies.underlyings).join(',')).split(',').map((s) => s.trim().toUpperCase()).filter((s) => s !== '');
      const unknown = symbols.filter((s) => !Object.hasOwn(SIM_SYMBOLS, s));
      if (symbols.length === 0 || unknown.length > 0) throw new CliExit(EXIT.INPUT, `--symbols: the simulated market has ${Object.keys(SIM_SYMBOLS).join(', ')}${unknown.length > 0 ? `, not ${unknown.join(', ')}` : ''}`);
      const windows = quoteWindows(config);
      const s = await exportSimCsv({ seed, symbols, from, to, everyMs, windows, out: opts.out });
      process.stdout.write(
        `wrote ${opts.out}: ${s.rows} rows, ${s.snapshots} snapshots over ${s.days} trading day(s), ${(s.bytes / 1_048_576).toFixed(2)} MB ` +
          `(${symbols.join(' ')}, seed ${seed}, every ${opts.every}; DTE ${windows.dte_min}–${windows.dte_max}, |delta| ${windows.delta_min}–${windows.delta_max})\n` +
          `use it: thetadesk analyze --market csv:${opts.out} --at ${from}T15:00:00Z\n`,
      );
    });
}
