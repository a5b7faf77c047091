import type { Command } from 'commander';
import { loadConfig } from '../../config/load-config';
import { runDemo } from '../../backtest/demo-run';
import { DEMO_BROKERS, type DemoBroker } from '../../backtest/demo-venue';
import type { DemoReport } from '../../backtest/demo-report';
import { CliExit, EXIT } from '../exit-codes';
import { integerOption } from '../parse-options';

interface DemoCliOptions {
  readonly config: string;
  readonly days: string;
  readonly seed: string;
  readonly start: string;
  readonly symbols?: string;
  readonly journal?: string;
  readonly speed: string;
  readonly broker: string;
  readonly json?: boolean;
}

const money = (x: number): string => `${x < 0 ? '-' : ''}$${Math.abs(x).toFixed(2)}`;

function printReport(r: DemoReport): void {
  const w = (l: string): boolean => process.stdout.write(`${l}\n`);
  w('');
  w(`Report — seed ${r.seed}, ${r.days.length} trading day(s) ${r.days[0] ?? ''} … ${r.days[r.days.length - 1] ?? ''}, starting cash ${money(r.starting_cash)}`);
  w(`  P&L: realized ${money(r.realized_pnl)}, unrealized ${money(r.unrealized_pnl)}, total ${money(r.total_pnl)}`);
  w(`  trades closed ${r.trades}, win rate ${r.win_rate_pct === null ? '-' : `${r.win_rate_pct.toFixed(1)}%`}, orders ${r.orders}, fills ${r.fills}, fees ${money(r.fees)}, max drawdown ${money(r.max_drawdown)}`);
  if (r.per_strategy.length === 0) w('  no positions were opened');
  if (r.journal_failure) w(`  JOURNAL FAILED: ${r.journal_failure}`);
  for (const s of r.per_strategy) w(`  ${s.strategy.padEnd(12)} trades ${String(s.trades).padStart(3)}  wins ${String(s.wins).padStart(3)}  realized ${money(s.realized_pnl).padStart(10)}  open ${s.open}  unrealized ${money(s.unrealized_pnl).padStart(10)}`);
}

export function register(program: Command): void {
  program
    .command('demo')
    .description(
      'Run whole trading days of the real engine (scheduler logic, BullMQ queues, workflows, rules, risk manager, order manager, journal) on the seeded simulated market and a fresh paper account, in virtual time. ' +
        'Redis: REDIS_URL, else 127.0.0.1:6379, else a private redis-server from PATH.',
    )
    .option('--config <dir>', 'config directory', '.')
    .option('--days <n>', 'trading days to play', '5')
    .option('--seed <n>', 'seed of the market and the paper fills', '1')
    .option('--start <date>', 'first trading day (YYYY-MM-DD)', '2026-01-05')
    .option('--symbols <list>', 'comma-separated underlyings (default: all in strategies.yaml)')
    .option('--journal <path>', 'keep the journal at this new path (default: temporary)')
    .option('--speed <speed>', 'fast (virtual time) — realtime is not supported: use thetadesk run', 'fast')
    .option('--broker <kind>', 'paper (in process) or ib-sim (the fake IB Gateway in process, the real IB client over loopback)', 'paper')
    .option('--json', 'print the report as JSON')
    .action(async (opts: DemoCliOptions) => {
      const days = Number(opts.days);
      const seed = integerOption('--seed', opts.seed);
      if (!Number.isInteger(days) || days < 1 || days > 250) throw new CliExit(EXIT.INPUT, `--days must be an integer from 1 to 250, got "${opts.days}"`);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.start)) throw new CliExit(EXIT.INPUT, `--start must be YYYY-MM-DD, got "${opts.start}"`);
      if (opts.speed !== 'fast') throw new CliExit(EXIT.INPUT, `--speed ${opts.speed} is not supported: the demo runs in virtual time (fast); \`thetadesk run\` runs in real time`);
      if (!(DEMO_BROKERS as readonly string[]).includes(opts.broker)) throw new CliExit(EXIT.INPUT, `--broker must be one of ${DEMO_BROKERS.join(', ')}, got "${opts.broker}"`);
      const config = loadConfig(opts.config);
      const tty = process.stdout.isTTY && !opts.json;
      const report = await runDemo({
        config,
        days,
        seed,
        start: opts.start,
        symbols: opts.symbols ? opts.symbols.split(',').map((s) => s.trim()) : null,
        journal: opts.journal ?? null,
        startingCash: 100_000,
        broker: opts.broker as DemoBroker,
        out: opts.json ? () => undefined : (l) => process.stdout.write(`${tty ? '\r\x1b[K' : ''}${l}\n`),
        progress: tty ? (l) => process.stdout.write(`\r\x1b[K${l}`) : null,
      });
      if (opts.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else printReport(report);
      // A report over a journal that stopped taking writes is not a clean run.
      if (report.journal_failure) throw new CliExit(EXIT.INPUT, `${report.journal_failure}: the report above is incomplete`);
    });
}
