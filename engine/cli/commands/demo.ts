import type { Command } from 'commander';
import { loadConfig } from '../../config/load-config';
import { runDemo } from '../../backtest/demo-run';
import { DEFAULT_DEMO_DIR, demoPaths } from '../../backtest/demo-dir';
import { DEMO_BROKERS, type DemoBroker } from '../../backtest/demo-venue';
import { quoteValue } from '../../shared/quote-value';
import { inspectLines, reportLines } from '../demo-format';
import { CliExit, EXIT } from '../exit-codes';
import { dateOption, integerOption, symbolsOption } from '../parse-options';
import { createMarketData, isMarketKind } from '../market-factory';
import type { MarketData } from '../../market/market-data';
import type { Clock } from '../../shared/clock';
import { marketLine } from '../market-summary';

interface DemoCliOptions {
  readonly config: string;
  readonly days: string;
  readonly seed: string;
  readonly start: string;
  readonly symbols?: string;
  readonly dir: string;
  readonly speed: string;
  readonly broker: string;
  readonly json?: boolean;
  readonly market: string;
  readonly record?: string;
  readonly strict?: boolean;
}

export function register(program: Command): void {
  program
    .command('demo')
    .description(
      'Run whole trading days of the real engine (scheduler logic, BullMQ queues, workflows, rules, risk manager, order manager, journal) on the seeded simulated market (or a recording or CSV history: --market) and a fresh paper account, in virtual time. ' +
        'The journal and the paper account stay in --dir (default data/demo, replaced on each run) and the closing lines print the commands that show them. ' +
        'Task runner: BullMQ on REDIS_URL, else 127.0.0.1:6379, else a private redis-server from PATH; with none of them, the in-process runner (the same engine without Redis). The first line says which.',
    )
    .option('--config <dir>', 'config directory', '.')
    .option('--days <n>', 'trading days to play (1 to 250)', '5')
    .option('--seed <n>', 'seed of the market and the paper fills', '1')
    .option('--start <date>', 'first trading day (YYYY-MM-DD)', '2026-01-05')
    .option('--symbols <list>', 'comma-separated underlyings (default: all in strategies.yaml)')
    .option('--dir <dir>', 'folder for the journal (journal.db) and paper account (paper.db); a previous demo there is replaced', DEFAULT_DEMO_DIR)
    .option('--speed <speed>', 'fast (virtual time) — realtime is not supported: use thetadesk run', 'fast')
    .option('--broker <kind>', 'paper (in process) or ib-sim (the fake IB Gateway in process, the real IB client over loopback)', 'paper')
    .option('--market <kind>', 'the market the days are played on: sim, recorded:PATH (a recording, replayed by clock time) or csv:PATH (option history); --broker paper only', 'sim')
    .option('--strict', 'csv: reject the whole file when any row is bad')
    .option('--record <file>', 'record every market answer of the run into this new file, for a later --market recorded:FILE')
    .option('--json', 'print the report as JSON')
    .action(async (opts: DemoCliOptions) => {
      const days = integerOption('--days', opts.days, 1, 250);
      const seed = integerOption('--seed', opts.seed);
      const start = dateOption('--start', opts.start);
      if (opts.speed !== 'fast') throw new CliExit(EXIT.INPUT, `--speed ${quoteValue(opts.speed)} is not supported: the demo runs in virtual time (fast); \`thetadesk run\` runs in real time`);
      if (!(DEMO_BROKERS as readonly string[]).includes(opts.broker)) throw new CliExit(EXIT.INPUT, `--broker must be one of ${DEMO_BROKERS.join(', ')}, got ${quoteValue(opts.broker)}`);
      const config = loadConfig(opts.config);
      const symbols = opts.symbols === undefined ? null : symbolsOption('--symbols', opts.symbols, Object.keys(config.strategies.underlyings));
      const kept = demoPaths(opts.dir);
      if (!isMarketKind(opts.market) || opts.market === 'ib') throw new CliExit(EXIT.INPUT, `--market ${quoteValue(opts.market)}: the demo plays sim, recorded:PATH or csv:PATH`);
      if (opts.broker !== 'paper' && (opts.market !== 'sim' || opts.record)) throw new CliExit(EXIT.INPUT, '--market and --record need --broker paper (ib-sim trades the simulated market behind the fake gateway)');
      let source: MarketData | null = null;
      const market = opts.market === 'sim' ? null : (clock: Clock): MarketData => (source = createMarketData(opts.market, { clock, seed, symbols: symbols ?? Object.keys(config.strategies.underlyings), strict: opts.strict === true }));
      const tty = process.stdout.isTTY && !opts.json;
      const report = await runDemo({
        config,
        days,
        seed,
        start,
        symbols,
        dir: kept.dir,
        startingCash: 100_000,
        broker: opts.broker as DemoBroker,
        runner: 'auto',
        market,
        record: opts.record ?? null,
        out: opts.json ? () => undefined : (l) => process.stdout.write(`${tty ? '\r\x1b[K' : ''}${l}\n`),
        progress: tty ? (l) => process.stdout.write(`\r\x1b[K${l}`) : null,
      });
      const played = marketLine(opts.market, source, opts.record);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ ...report, journal: kept.journal, paper_state: kept.paperState, ...played.json }, null, 2)}\n`);
        return;
      }
      for (const l of [...reportLines(report), ...played.lines, ...inspectLines(kept, report, { seed, config: opts.config })]) process.stdout.write(`${l}\n`);
      // A report over a journal that stopped taking writes is not a clean run.
      if (report.journal_failure) throw new CliExit(EXIT.INPUT, `${report.journal_failure}: the report above is incomplete`);
    });
}
