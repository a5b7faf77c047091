import type { Command } from 'commander';
import { loadConfig } from '../../config/load-config';
import type { CompiledConfig } from '../../config/types';

interface ShowOptions {
  config: string;
  json?: boolean;
}

/** The compiled config without the YAML sources; the webhook URL lives only in the environment. */
export function showable(c: CompiledConfig): Record<string, unknown> {
  const webhook = c.strategies.alerts.webhook;
  return {
    hash: c.hash,
    dir: c.dir,
    strategies: {
      ...c.strategies,
      alerts: {
        ...c.strategies.alerts,
        webhook: webhook ? { ...webhook, url: process.env[webhook.url_env] ? '[redacted]' : '(not set)' } : null,
      },
    },
    exit_rules: c.exit_rules,
    entry_gates: c.entry_gates,
    schedules: c.schedules,
  };
}

export function register(program: Command): void {
  const config = program.command('config').description('Inspect the configuration');
  config
    .command('show')
    .description('Print the compiled configuration (defaults filled, canonical units: *_ms milliseconds, *_min minutes after midnight ET) and its hash; secrets redacted.')
    .option('--config <dir>', 'directory holding strategies.yaml, schedules.yaml and rules/', '.')
    .option('--json', 'print as JSON')
    .action((opts: ShowOptions) => {
      const c = loadConfig(opts.config);
      const view = showable(c);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
        return;
      }
      process.stdout.write(`config hash ${c.hash}\n`);
      process.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
    });
}
