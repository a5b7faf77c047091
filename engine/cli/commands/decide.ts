import type { Command } from 'commander';
import { loadConfig } from '../../config/load-config';
import { runDecide, type DecideOptions } from '../decide-run';

export function register(program: Command): void {
  program
    .command('decide')
    .description(
      'Run the 12-priority exit rules (or, with --entry, the entry gates and the exit rules on the would-be position) ' +
        'on a flat JSON object of facts and print the decision with its trace. A missing fact gives an `alert` decision; ' +
        'bad JSON, a wrong type or an unknown fact exits 1 naming the field.',
    )
    .requiredOption('--input <file>', 'JSON file: a flat object of facts (names and units: engine/config/facts-catalogue.ts)')
    .option('--entry', "evaluate a candidate's entry facts instead of position facts")
    .option('--config <dir>', 'config directory holding strategies.yaml, schedules.yaml and rules/', '.')
    .option('--json', 'print the decision as one JSON object')
    .action(async (opts: DecideOptions & { config: string }) => {
      const out = await runDecide(opts, loadConfig(opts.config));
      process.stdout.write(`${out}\n`);
    });
}
