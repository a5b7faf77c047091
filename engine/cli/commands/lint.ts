import { Option, type Command } from 'commander';
import { lintConfig } from '../../config/load-config';
import { EXIT } from '../exit-codes';
import { LINT_FORMATS, lintOutput, type LintFormat } from '../lint-report';
import { packageVersion } from '../package-version';

interface LintOptions {
  config: string;
  json?: boolean;
  format?: LintFormat;
}

export function register(program: Command): void {
  program
    .command('lint')
    .description(
      'Check strategies.yaml, schedules.yaml, rules/exit.yaml and rules/entry.yaml (schemas and semantic checks; any other rules/*.yaml is an error, never ignored); ' +
        'no broker or Redis needed. Exit 0 clean, 1 with every problem listed.',
    )
    .option('--config <dir>', 'directory holding strategies.yaml, schedules.yaml and rules/', '.')
    .option('--json', 'print problems as a JSON array of {file, line, col, severity, code, message} (same as --format json)')
    .addOption(
      new Option('--format <format>', 'text (FILE:LINE:COL severity CODE message), json, github (GitHub Actions annotations: ::error file=…,line=…,col=…) or sarif (SARIF 2.1.0 for code scanning)')
        .choices(LINT_FORMATS)
        .conflicts('json'),
    )
    .action((opts: LintOptions) => {
      const format: LintFormat = opts.json ? 'json' : (opts.format ?? 'text');
      const r = lintConfig(opts.config);
      const errors = r.problems.filter((p) => p.severity === 'error');
      const c = r.config;
      const ok = c ? `ok: ${r.files.length} files, ${c.exit_rules.length} rules, ${c.entry_gates.length} gates, ${c.schedules.tasks.length} tasks; config hash ${c.hash}` : null;
      const out = lintOutput(format, r.problems, opts.config, ok, packageVersion());
      if (out !== '') process.stdout.write(`${out}\n`);
      process.exitCode = errors.length > 0 || !c ? EXIT.INPUT : EXIT.OK;
    });
}
