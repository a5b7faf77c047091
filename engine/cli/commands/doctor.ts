import type { Command } from 'commander';
import { ibSettings } from '../../adapters/ib/ib-config';
import { runDoctor } from '../../ops/doctor';
import { redisUrl } from '../../queue/redis-connection';
import { journalPath } from '../../store/journal';
import { CliExit, EXIT } from '../exit-codes';

interface DoctorOptions {
  readonly config: string;
  readonly journal?: string;
  readonly broker: string;
  readonly ibHost?: string;
  readonly ibPort?: string;
  readonly ibClientId?: string;
  readonly live?: boolean;
  readonly json?: boolean;
}

export function register(program: Command): void {
  program
    .command('doctor')
    .description('Check everything `run` needs, one line each (ok / FAIL with the fix): Redis reachable and writable, journal integrity, config lint; with --broker ib the IB connection (server version, accounts, both client ids), paper or live account, market data for each underlying and one option of each, clock skew against IB, pacing headroom. Exit 1 on any FAIL.')
    .option('--config <dir>', 'config directory', '.')
    .option('--journal <path>', 'journal file (default THETADESK_JOURNAL or ./data/thetadesk.db)')
    .option('--broker <kind>', 'paper (Redis, journal, config) or ib (also TWS / IB Gateway)', 'paper')
    .option('--ib-host <host>', 'TWS / IB Gateway host (default THETADESK_IB_HOST or 127.0.0.1)')
    .option('--ib-port <port>', 'TWS / IB Gateway API port (default THETADESK_IB_PORT or 4002, the paper port)')
    .option('--ib-client-id <id>', "the worker's client id; the order executor's (id + 1) is checked too (default THETADESK_IB_CLIENT_ID or 0)")
    .option('--live', 'accept a live account (strategies.yaml must also say broker.allow_live: true)')
    .option('--json', 'print {ok, checks: [{name, ok, detail, fix}]}')
    .action(async (opts: DoctorOptions) => {
      if (opts.broker !== 'paper' && opts.broker !== 'ib') throw new CliExit(EXIT.INPUT, `unknown --broker "${opts.broker}"; choose paper or ib`);
      const report = await runDoctor({
        configDir: opts.config,
        journal: journalPath(opts.journal),
        redisUrl: redisUrl(),
        ib: opts.broker === 'ib' ? ibSettings(opts, process.env, 'worker') : null,
        liveFlag: opts.live === true,
      });
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      } else {
        const failed = report.checks.filter((c) => !c.ok).length;
        process.stdout.write(`thetadesk doctor: ${report.checks.length} checks, ${failed === 0 ? 'all ok' : `${failed} FAIL`}\n`);
        const width = Math.max(...report.checks.map((c) => c.name.length));
        for (const c of report.checks) {
          process.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.name.padEnd(width)}  ${c.detail}\n`);
          if (!c.ok && c.fix) process.stdout.write(`      ${' '.repeat(width)}  fix: ${c.fix}\n`);
        }
      }
      process.exitCode = report.ok ? EXIT.OK : EXIT.INPUT;
    });
}
