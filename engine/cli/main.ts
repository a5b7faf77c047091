import { Command, CommanderError } from 'commander';
import { CliExit, EXIT } from './exit-codes';
import { isThetadeskError, errorMessage } from '../shared/errors';
import { COMMANDS } from './commands';
import { asRedisUnavailable } from '../queue/redis-connection';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('thetadesk')
    .description(
      'Declarative options trading engine for Interactive Brokers.\n' +
        'Exit codes: 0 ok, 1 input or config is wrong, 2 usage error, 3 a needed service (Redis, broker) is unreachable.',
    )
    .showHelpAfterError('(run thetadesk --help for usage)')
    .exitOverride();
  for (const register of COMMANDS) register(program);
  return program;
}

function exitCodeFor(e: unknown): number {
  if (e instanceof CliExit) return e.exitCode;
  if (isThetadeskError(e)) {
    if (e.kind === 'config') return EXIT.INPUT;
    if (e.kind === 'not_connected') return EXIT.UNAVAILABLE;
  }
  return EXIT.INPUT;
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv as string[]);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK;
  } catch (thrown) {
    // A Redis that went away or froze mid-command is a service outage (exit 3), named with its URL.
    const e = asRedisUnavailable(thrown) ?? thrown;
    if (e instanceof CommanderError) {
      // --help and --version end through exitOverride too, with code 0.
      if (e.exitCode === 0) return EXIT.OK;
      return EXIT.USAGE;
    }
    const msg = errorMessage(e);
    if (msg) process.stderr.write(`thetadesk: ${msg}\n`);
    return exitCodeFor(e);
  }
}

if (require.main === module || process.argv[1]?.endsWith('thetadesk.js')) {
  main(process.argv).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`thetadesk: ${errorMessage(e)}\n`);
      process.exitCode = EXIT.INPUT;
    },
  );
}
