import type { Command } from 'commander';
import { loadConfig } from '../../config/load-config';
import { analyzeMarket } from '../../workflows/analyze-market';
import { formatAnalysis } from '../analyze-format';
import { createMarketData } from '../market-factory';
import { clockAt, integerOption, symbolsOption } from '../parse-options';

interface AnalyzeOptions {
  readonly symbols?: string;
  readonly market: string;
  readonly seed: string;
  readonly at?: string;
  readonly config: string;
  readonly json?: boolean;
  readonly strict?: boolean;
}

export function register(program: Command): void {
  program
    .command('analyze')
    .description(
      'Build, score and rank every enabled strategy template for each symbol from live (or simulated) chains and print ' +
        'the ranked candidates and the pick per symbol; "No strategies meet execution threshold" when none reaches min_score.',
    )
    .option('--symbols <list>', 'comma-separated symbols (default: the underlyings in strategies.yaml)')
    .option('--market <kind>', 'market data source: sim, ib (TWS / IB Gateway at THETADESK_IB_HOST:THETADESK_IB_PORT, default 127.0.0.1:4002), or csv:PATH (option history; use --at)', 'sim')
    .option('--strict', 'csv: reject the whole file when any row is bad (default: skip bad rows, listing each as FILE:LINE)')
    .option('--seed <n>', 'seed of the simulated market', '1')
    .option('--at <iso-time>', 'analyze as of this instant (simulated or stored market; default now)')
    .option('--config <dir>', 'config directory holding strategies.yaml, schedules.yaml and rules/', '.')
    .option('--json', 'print the analysis as one JSON object')
    .action(async (opts: AnalyzeOptions) => {
      const config = loadConfig(opts.config);
      const seed = integerOption('--seed', opts.seed);
      const clock = clockAt(opts.at);
      const configured = Object.keys(config.strategies.underlyings);
      const symbols = opts.symbols === undefined ? configured : symbolsOption('--symbols', opts.symbols, configured);
      const marketData = createMarketData(opts.market, { clock, seed, symbols, dataType: config.strategies.market.data_type, strict: opts.strict === true });
      try {
        const result = await analyzeMarket({ marketData, config, symbols, clock });
        const label = opts.market === 'sim' ? `sim (seed ${seed})` : opts.market;
        const text = opts.json ? JSON.stringify({ ...result, min_score: config.strategies.scoring.min_score }) : formatAnalysis(result, config.strategies.scoring.min_score, label);
        process.stdout.write(`${text}\n`);
      } finally {
        await marketData.close?.();
      }
    });
}
