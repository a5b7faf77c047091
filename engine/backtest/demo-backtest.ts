import { CsvMarket } from '../adapters/csv/csv-market';
import { RecordedMarket } from '../adapters/recorded/recorded-market';
import { loadConfig } from '../config/load-config';
import type { MarketData } from '../market/market-data';
import type { BacktestRunOptions, RunBacktest } from '../queue/backtest-jobs';
import type { Clock } from '../shared/clock';
import { ConfigError } from '../shared/errors';
import { isTradingDay, nextTradingDay } from '../shared/market-calendar';
import { runDemo } from './demo-run';

/** Trading days from `from` to `to`, inclusive. */
function tradingDaysInclusive(from: string, to: string): number {
  let n = 0;
  for (let d = isTradingDay(from) ? from : nextTradingDay(from); d <= to; d = nextTradingDay(d)) n++;
  return n;
}

function marketFor(spec: string): ((clock: Clock) => MarketData) | null {
  if (spec === 'sim') return null;
  if (spec.startsWith('csv:')) return (clock) => new CsvMarket({ file: spec.slice(4), clock });
  if (spec.startsWith('recorded:')) return (clock) => new RecordedMarket({ file: spec.slice(9), clock });
  throw new ConfigError('E_BACKTEST_MARKET', `market ${JSON.stringify(spec)}: a backtest plays sim, csv:PATH or recorded:PATH`);
}

/**
 * A RunBacktest on the demo path (the real engine over BullMQ on virtual time, runDemo): what sweeps
 * run until the in-process `thetadesk backtest` runner replaces it (engine/cli/backtest-runner.ts
 * names the one in use). Slower, the same decisions.
 */
export const demoBacktest: RunBacktest = async (configDir: string, o: BacktestRunOptions) => {
  const days = tradingDaysInclusive(o.from, o.to);
  if (days === 0) throw new ConfigError('E_BACKTEST_DAYS', `no trading day from ${o.from} to ${o.to}`);
  const r = await runDemo({ config: loadConfig(configDir), days, seed: o.seed, start: o.from, symbols: o.symbols, dir: null, startingCash: 100_000, market: marketFor(o.market), out: () => undefined, progress: null });
  if (r.journal_failure) throw new Error(`the backtest's journal failed: ${r.journal_failure}`);
  return { summary: { trading_days: r.days.length, trades: r.trades, win_rate_pct: r.win_rate_pct, realized_pnl: r.realized_pnl, unrealized_pnl: r.unrealized_pnl, fees: r.fees, max_drawdown: r.max_drawdown } };
};
