import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CompiledConfig } from '../config/types';
import type { MarketData } from '../market/market-data';
import type { Clock } from '../shared/clock';
import { ConfigError } from '../shared/errors';
import { entryAudit, equityPoints, gateRows, monthRows, ruleRows, type BacktestResult } from './backtest-report';
import { tradeRows } from './backtest-trades';
import { demoReport } from './demo-report';
import { journalDigest, type JournalDigest } from './journal-digest';
import { narrowSymbols, playDays, tradingDaysInRange } from './play-days';
import type { RunnerKind } from './task-runner';
import { sqliteFiles } from '../store/journal';

export interface BacktestOptions {
  readonly config: CompiledConfig;
  readonly from: string;
  readonly to: string;
  readonly seed: number;
  readonly symbols: readonly string[] | null;
  /** A name for the report (`sim`, `csv:PATH`, …) and the source itself, built on the run's clock. */
  readonly market: { readonly name: string; readonly make?: (clock: Clock, symbols: readonly string[]) => MarketData };
  /** The journal file to write (a new file); a temporary one when null. */
  readonly journal: string | null;
  readonly startingCash: number;
  /** in-process (default) or bullmq: the parity test plays the same days through both. */
  readonly runner?: RunnerKind;
  /** Engine log lines (none by default). */
  readonly log?: (line: string) => void;
  /** After each day: days done, closed trades so far and P&L so far (equity − starting cash). */
  readonly onDay?: (p: { readonly done: number; readonly days: number; readonly date: string; readonly trades: number; readonly pnl: number }) => void;
}

export interface BacktestRun extends BacktestResult {
  readonly days: readonly string[];
  readonly digest: JournalDigest;
}

const r2 = (x: number): number => Math.round(x * 100) / 100;

/**
 * The days from `from` to `to` (NYSE trading days) through the real engine on virtual time, by
 * default on the in-process runner; then the report read from the journal it wrote.
 */
export async function runBacktest(o: BacktestOptions): Promise<BacktestRun> {
  const days = tradingDaysInRange(o.from, o.to);
  if (days.length === 0) throw new RangeError(`no NYSE trading day from ${o.from} to ${o.to}: widen the dates`);
  const config = narrowSymbols(o.config, o.symbols);
  const daily: Array<{ date: string; equity: number }> = [];
  return playDays(
    {
      config,
      days,
      seed: o.seed,
      journal: o.journal,
      startingCash: o.startingCash,
      runner: o.runner ?? 'in-process',
      scratch: true,
      market: o.market.make,
      log: o.log ?? (() => undefined),
      onDayEnd: (i, date, equity, db) => {
        daily.push({ date, equity });
        if (!o.onDay) return;
        const t = db.prepare("SELECT COUNT(*) AS n FROM strategy_positions WHERE status = 'closed'").get() as { n: number };
        o.onDay({ done: i + 1, days: days.length, date, trades: t.n, pnl: r2(equity - o.startingCash) });
      },
    },
    async (c) => {
      const demo = await demoReport(c.db, c.market, c.config, c.nowMs, { seed: o.seed, days, starting_cash: o.startingCash, max_drawdown: c.maxDrawdown, journal_failure: c.journalFailure });
      const trades = tradeRows(c.db, c.nowMs);
      const equity = equityPoints(daily, o.startingCash);
      const closed = trades.filter((t) => t.status === 'closed');
      const entries = (c.db.prepare("SELECT COUNT(*) AS n FROM order_intents WHERE kind = 'open' AND status IN ('filled', 'partially_filled')").get() as { n: number }).n;
      return {
        days,
        summary: {
          trading_days: days.length,
          starting_cash: o.startingCash,
          ending_equity: equity[equity.length - 1]?.equity ?? o.startingCash,
          trades: demo.trades,
          open_positions: trades.length - closed.length,
          win_rate_pct: demo.win_rate_pct,
          realized_pnl: demo.realized_pnl,
          unrealized_pnl: demo.unrealized_pnl,
          total_pnl: demo.total_pnl,
          fees: demo.fees,
          max_drawdown: demo.max_drawdown,
          worst_trade: closed.length ? Math.min(...closed.map((t) => t.pnl ?? 0)) : null,
          orders: demo.orders,
          fills: demo.fills,
          entries,
          journal_failure: demo.journal_failure,
          audit: entryAudit(c.config, trades),
          open_past_expiry: trades.filter((t) => t.status === 'open' && t.expiry < (days[days.length - 1] as string)).length,
        },
        equity,
        monthly: monthRows(equity, trades, o.startingCash),
        rules: ruleRows(c.config, trades),
        gates: gateRows(c.db, c.config),
        trades,
        digest: journalDigest(c.db),
      };
    },
  );
}

/** Where `--out DIR` puts the journal; a previous backtest's files there are replaced, anything else is refused. */
export function prepareOutDir(dir: string): string {
  const journal = path.join(dir, 'journal.db');
  const journals = ['journal.db', 'journal-b.db'];
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new ConfigError('E_OUT_DIR', `--out ${dir}: ${(e as NodeJS.ErrnoException).code ?? String(e)}; pick a writable folder`);
  }
  if (!journals.some((f) => fs.existsSync(path.join(dir, f)))) return journal;
  let ours = false;
  try {
    ours = (JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8')) as { kind?: string }).kind === 'thetadesk-backtest';
  } catch {
    ours = false;
  }
  if (!ours) throw new ConfigError('E_OUT_DIR', `--out ${dir} holds a journal but no backtest report: pick an empty or new folder`);
  for (const f of journals.flatMap(sqliteFiles)) fs.rmSync(path.join(dir, f), { force: true });
  return journal;
}
