import type { Command } from 'commander';
import { lintConfig } from '../../config/load-config';
import { formatProblem } from '../../config/problem';
import { EXIT } from '../exit-codes';

interface LintOptions {
  config: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('lint')
    .description('Check strategies.yaml, schedules.yaml and rules/*.yaml (schemas and semantic checks); no broker or Redis needed. Exit 0 clean, 1 with every problem listed.')
    .option('--config <dir>', 'directory holding strategies.yaml, schedules.yaml and rules/', '.')
    .option('--json', 'print problems as a JSON array of {file, line, col, severity, code, message}')
    .action((opts: LintOptions) => {
      const r = lintConfig(opts.config);
      const errors = r.problems.filter((p) => p.severity === 'error');
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(r.problems, null, 2)}\n`);
      } else if (r.config) {
        for (const p of r.problems) process.stdout.write(`${formatProblem(p)}\n`);
        const c = r.config;
        process.stdout.write(
          `ok: ${r.files.length} files, ${c.exit_rules.length} rules, ${c.entry_gates.length} gates, ${c.schedules.tasks.length} tasks; config hash ${c.hash}\n`,
        );
      } else {
        for (const p of r.problems) process.stdout.write(`${formatProblem(p)}\n`);
      }
      process.exitCode = errors.length > 0 || !r.config ? EXIT.INPUT : EXIT.OK;
    });
}
