import { Command, CommanderError } from 'commander';
import { CliExit, EXIT } from './exit-codes';
import { isThetadeskError, errorMessage } from '../shared/errors';
import { registerCommands } from './commands';
import { packageVersion } from './package-version';
import { asRedisUnavailable } from '../queue/redis-connection';

/**
 * The program for `argv` (as in process.argv). Only the command being run is loaded; without a
 * command (help, --version) every command is.
 */
export function buildProgram(argv: readonly string[] = []): Command {
  const program = new Command();
  program
    .name('thetadesk')
    .version(packageVersion(), '-V, --version', 'print the version of thetadesk')
    .description(
      'Declarative options trading engine for Interactive Brokers.\n' +
        'Exit codes: 0 ok, 1 input or config is wrong, 2 usage error, 3 a needed service (Redis, broker) is unreachable.',
    )
    // Usage errors in one line like every other error; subcommands inherit this and exitOverride.
    .configureOutput({ outputError: (text, write) => write(`thetadesk: ${text.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ')} (see thetadesk --help)\n`) })
    .exitOverride();
  registerCommands(program, argv[2]);
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

/**
 * Runs the command line (`argv` as in process.argv: node, script, args…) and resolves to the exit
 * code; it never calls process.exit, so the caller (bin/thetadesk.js, tests) decides.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram(argv);
  if (argv.length <= 2) {
    // No command is a usage error: the help goes to stderr so a script piping stdout sees nothing.
    program.outputHelp({ error: true });
    return EXIT.USAGE;
  }
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
