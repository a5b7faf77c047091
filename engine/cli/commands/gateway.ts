import type { Command } from 'commander';
import { simGateway } from '../../testkit/ib-gateway/sim-gateway';
import { systemClock } from '../../shared/clock';
import { CliExit, EXIT } from '../exit-codes';
import { integerOption } from '../parse-options';

interface GatewayOptions {
  readonly sim?: boolean;
  readonly port: string;
  readonly seed: string;
}

export function register(program: Command): void {
  program
    .command('gateway')
    .description('Run the fake IB Gateway on 127.0.0.1: the TWS API protocol over the seeded simulated market and a paper account (market data, combo orders, executions, positions, account summary), for trying the IB path without an account. Stop with Ctrl-C.')
    .option('--sim', 'serve the simulated market (the only backend)')
    .option('--port <n>', 'TCP port on 127.0.0.1', '4002')
    .option('--seed <n>', 'seed of the simulated market', '1')
    .action(async (opts: GatewayOptions) => {
      if (!opts.sim) throw new CliExit(EXIT.USAGE, 'thetadesk gateway needs --sim: it only serves the simulated market');
      const port = integerOption('--port', opts.port, 0, 65535);
      const seed = integerOption('--seed', opts.seed);
      // On the wall clock nobody drives the paper broker: resting orders are matched every second.
      const { gateway, broker } = simGateway({ seed, clock: systemClock, processEveryMs: 1000 });
      let bound: number;
      try {
        bound = await gateway.listen(port);
      } catch (e) {
        throw new CliExit(EXIT.UNAVAILABLE, `cannot listen on 127.0.0.1:${port}: ${e instanceof Error ? e.message : String(e)}`);
      }
      process.stdout.write(`fake IB gateway (simulated market and a fresh in-memory paper account, seed ${seed}) listening on 127.0.0.1:${bound}; Ctrl-C to stop\n`);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          void gateway.close().then(() => {
            broker.close();
            resolve();
          });
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
