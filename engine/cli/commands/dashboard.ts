import type { Command } from 'commander';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Redis } from 'ioredis';
import { ibSettings } from '../../adapters/ib/ib-config';
import { lintConfig, loadConfig } from '../../config/load-config';
import { formatProblem } from '../../config/problem';
import { ibHoldings, paperHoldings } from '../../ops/broker-holdings';
import { Operations, type AccountInfo } from '../../ops/operations';
import { boardQueues } from '../../ops/queues';
import { checkPrefix } from '../../queue/queue-names';
import { closeRedis, connectRedis, redisUrl } from '../../queue/redis-connection';
import { errorMessage } from '../../shared/errors';
import { quoteValue } from '../../shared/quote-value';
import { dashboardToken, isLoopback } from '../../web/auth';
import { buildDashboard } from '../../web/server';
import { openEngine, type EngineCliOptions } from '../engine-factory';
import { engineOptions } from '../engine-options';
import { CliExit, EXIT } from '../exit-codes';
import { createMarketData } from '../market-factory';
import { clockAt, integerOption } from '../parse-options';
import { existingJournal, openJournalAt, paperStatePath } from '../store-options';

interface DashboardCliOptions extends EngineCliOptions {
  readonly config: string;
  readonly port: string;
  readonly host: string;
  readonly backtests?: string;
  readonly at?: string;
}

/** Where `thetadesk backtest --out` reports are looked for when --backtests is not given. */
function defaultBacktestsDir(): string {
  const out = path.join('.', 'out');
  return fs.existsSync(out) ? out : path.join('data', 'backtests');
}

export function register(program: Command): void {
  engineOptions(
    program
      .command('dashboard')
      .description(
        'A web page over the journal and the queues: overview, positions with the facts and the full rule trace of their last decision, candidates, decisions, orders, backtest reports and Bull Board at /queues, updated live. ' +
          'Halt, resume and ad-hoc jobs need the token printed at start (or THETADESK_DASHBOARD_TOKEN), sent as an Authorization: Bearer header; bound beyond loopback, every page needs it. Redis (REDIS_URL) is optional: without it /queues says why.',
      ),
  )
    .option('--port <port>', 'port to listen on (0: any free port; the URL is printed)', '8610')
    .option('--host <host>', 'address to bind (anything but loopback requires the token for every page)', '127.0.0.1')
    .option('--backtests <dir>', 'folder of backtest reports (report.html) to list (default ./out when it exists, else data/backtests)')
    .option('--at <iso-time>', 'simulated market: mark positions and run dry runs as of this instant (a demo\'s journal: the time after its last day)')
    .action(async (opts: DashboardCliOptions) => {
      const port = integerOption('--port', opts.port, 0, 65_535);
      checkPrefix(opts.prefix);
      if (opts.at !== undefined && opts.market !== 'sim') throw new CliExit(EXIT.INPUT, '--at is for the simulated market (--market sim)');
      if (opts.broker !== 'paper' && opts.broker !== 'ib') throw new CliExit(EXIT.INPUT, `unknown --broker ${quoteValue(opts.broker)}; choose paper or ib`);
      const config = loadConfig(opts.config);
      const lint = lintConfig(opts.config);
      const clock = clockAt(opts.at);
      const seed = integerOption('--seed', opts.seed);
      const journalFile = existingJournal(opts.journal);
      const backtestsDir = opts.backtests ?? defaultBacktestsDir();
      const { token, generated } = dashboardToken();
      const db = openJournalAt(journalFile);
      const md = createMarketData(opts.market, { clock, seed, symbols: Object.keys(config.strategies.underlyings), ib: opts });
      let redis: Redis | null = null;
      let queuesProblem: string | null = null;
      try {
        redis = await connectRedis(redisUrl(), { role: 'cli' });
      } catch (e) {
        queuesProblem = `${errorMessage(e)}: queues are not shown until the dashboard is restarted with Redis answering`;
      }
      const queues = redis ? await boardQueues(redis, opts.prefix) : null;
      const paperFile = paperStatePath(opts.paperState);
      const account = async (): Promise<AccountInfo> => {
        if (opts.broker === 'ib') {
          let who = { live: false, label: 'IB account' };
          const held = await ibHoldings(ibSettings(opts, process.env, 'executor'), clock, (a) => (who = a));
          return { ...who, summary: held.account };
        }
        const held = await paperHoldings(paperFile, md, clock, seed);
        return { live: false, label: held ? `PAPER account (the built-in paper broker, ${paperFile})` : `PAPER: no paper account at ${paperFile} yet`, summary: held?.account ?? null };
      };
      const ops = new Operations({
        db,
        config,
        lint: { ok: lint.problems.length === 0, problems: lint.problems.map((p) => formatProblem(p)) },
        market: md,
        clock,
        account,
        queues,
        queuesProblem,
        backtestsDir,
        openEngine: async () => {
          const e = await openEngine(config, opts, clock, () => undefined);
          return { engine: e.runtime, close: async () => {
            await e.runtime.stop(1000);
            await e.close();
          } };
        },
      });
      const app = await buildDashboard({ ops, host: opts.host, token, backtestsDir });
      try {
        await app.listen({ port, host: opts.host });
      } catch (e) {
        await app.close();
        throw new CliExit(EXIT.INPUT, `cannot listen on ${opts.host}:${port}: ${errorMessage(e)}; pick another --port or --host`);
      }
      const addr = app.server.address();
      const bound = typeof addr === 'object' && addr ? addr.port : port;
      const shownHost = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
      // One line, the token in it when made here (it is never printed again); then nothing until Ctrl-C.
      const tokenText = generated ? `token for halt, resume and enqueue (printed once): ${token}` : 'token: THETADESK_DASHBOARD_TOKEN';
      const exposed = isLoopback(opts.host) ? '' : `; bound beyond loopback: every page needs the token header`;
      process.stdout.write(`thetadesk dashboard at http://${shownHost}:${bound}/ (journal ${journalFile}; prefix ${opts.prefix}; ${queues ? `queues ${queues.map((q) => q.name).join(', ')}` : 'no queues: Redis unreachable'}); ${tokenText}${exposed}; listening on ${shownHost}:${bound}; Ctrl-C to stop\n`);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await app.close();
      for (const q of queues ?? []) await q.close();
      if (redis) closeRedis(redis);
      await md.close?.();
      db.close();
    });
}
