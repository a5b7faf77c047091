import type { Command } from 'commander';
import { loadConfig } from '../../config/load-config';
import { formatScore, parseScoreInput, readScoreFile, scoreInput } from '../score-run';

export function register(program: Command): void {
  program
    .command('score')
    .description(
      'Score one candidate given as JSON ({"strategy", "iv_rank", "legs": [{"right", "strike", "action", "bid", "ask", "delta"}]}) ' +
        'with the scoring in strategies.yaml and print the score, its four components and the metrics. ' +
        'Legs that do not form the strategy, a debit, crossed quotes or a missing delta exit 1 naming the problem.',
    )
    .requiredOption('--input <file>', 'JSON file holding one candidate')
    .option('--config <dir>', 'config directory holding strategies.yaml, schedules.yaml and rules/', '.')
    .option('--json', 'print {"score", "components", "metrics"} as one JSON object')
    .action((opts: { input: string; config: string; json?: boolean }) => {
      const config = loadConfig(opts.config);
      const input = parseScoreInput(readScoreFile(opts.input));
      const out = scoreInput(input, config.strategies.scoring);
      const text = opts.json ? JSON.stringify(out) : formatScore(input, out, config.strategies.scoring.min_score);
      process.stdout.write(`${text}\n`);
    });
}
