import type { Command } from 'commander';
import { simGateway } from '../../testkit/ib-gateway/sim-gateway';
import { isFaultCode, MARKET_DATA_FAULT_CODES, type MarketDataFaultCode } from '../../testkit/ib-gateway/market-data-permissions';
import { parseDuration } from '../../config/duration';
import { systemClock } from '../../shared/clock';
import { CliExit, EXIT } from '../exit-codes';
import { integerOption } from '../parse-options';

interface GatewayOptions {
  readonly sim?: boolean;
  readonly port: string;
  readonly seed: string;
  readonly accounts: string;
  readonly restartAt?: string;
  readonly restartDown: string;
  readonly refuseMarketData?: string;
  readonly competingSession?: boolean;
}

/** "SPY:354,QQQ:10089:options" → faults (the options suffix: the symbol's options only). */
function parseFaults(text: string): Array<{ symbol: string; code: MarketDataFaultCode; optionsOnly: boolean }> {
  return text.split(',').filter((x) => x.trim() !== '').map((item) => {
    const [symbol, code, scope] = item.trim().split(':');
    const n = Number(code);
    if (!symbol || !isFaultCode(n) || (scope !== undefined && scope !== 'options')) {
      throw new CliExit(EXIT.INPUT, `--refuse-market-data takes SYMBOL:CODE[:options] items with CODE one of ${MARKET_DATA_FAULT_CODES.join(', ')}; got "${item}"`);
    }
    return { symbol: symbol.toUpperCase(), code: n, optionsOnly: scope === 'options' };
  });
}

export function register(program: Command): void {
  program
    .command('gateway')
    .description('Run the fake IB Gateway on 127.0.0.1: the TWS API protocol over the seeded simulated market and a paper account (market data, combo orders, executions, positions, account summary), for trying the IB path without an account. Stop with Ctrl-C.')
    .option('--sim', 'serve the simulated market (the only backend)')
    .option('--port <n>', 'TCP port on 127.0.0.1', '4002')
    .option('--seed <n>', 'seed of the simulated market', '1')
    .option('--accounts <list>', 'managed accounts, comma-separated (DU… are paper accounts; anything else is live)', 'DU1234567')
    .option('--restart-at <HH:MM>', "IB Gateway's daily restart, America/New_York: every socket drops and connections are refused for --restart-down")
    .option('--restart-down <duration>', 'how long the daily restart keeps the gateway down', '60s')
    .option('--refuse-market-data <list>', 'market-data permission faults, SYMBOL:CODE[:options] comma-separated; CODE 354, 10089, 10167 or 10168 (":options": only the symbol\'s options)')
    .option('--competing-session', 'answer every market-data request with 10197 (a competing live session)')
    .action(async (opts: GatewayOptions) => {
      if (!opts.sim) throw new CliExit(EXIT.USAGE, 'thetadesk gateway needs --sim: it only serves the simulated market');
      const port = integerOption('--port', opts.port, 0, 65535);
      const seed = integerOption('--seed', opts.seed);
      const accounts = opts.accounts.split(',').map((a) => a.trim()).filter((a) => a !== '');
      if (accounts.length === 0) throw new CliExit(EXIT.INPUT, '--accounts needs at least one account id');
      if (opts.restartAt !== undefined && !/^([01][0-9]|2[0-3]):[0-5][0-9]$/.test(opts.restartAt)) throw new CliExit(EXIT.INPUT, `--restart-at must be HH:MM, got "${opts.restartAt}"`);
      const downMs = parseDuration(opts.restartDown);
      if (downMs === null || downMs <= 0) throw new CliExit(EXIT.INPUT, `--restart-down must be a duration like 60s or 5m, got "${opts.restartDown}"`);
      const faults = parseFaults(opts.refuseMarketData ?? '');
      // On the wall clock nobody drives the paper broker: resting orders are matched every second.
      const { gateway, broker } = simGateway({ seed, clock: systemClock, processEveryMs: 1000, accounts, dailyRestart: opts.restartAt ? { at: opts.restartAt, downMs } : undefined });
      for (const f of faults) gateway.refuseMarketData(f.symbol, f.code, { optionsOnly: f.optionsOnly });
      if (opts.competingSession) gateway.competingSession(true);
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
