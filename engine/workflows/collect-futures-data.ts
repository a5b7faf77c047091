import { exchangeDate } from '../shared/exchange-time';
import { SnapshotsRepo } from '../store/snapshots-repo';
import type { Workflow } from './workflow-context';

/** One index-like level (kind 'index' snapshots). */
export interface IndexSnapshot {
  readonly level: number;
}

/**
 * Index-like levels we can read through the MarketData port: VIX and each underlying's price.
 * Futures proper need a MarketData method (and contract months) the port does not have yet; until
 * then this task records what the risk rules actually read (VIX) rather than pretending.
 */
export const collectFuturesData: Workflow = async (ctx, job) => {
  const now = ctx.clock.now();
  const repo = new SnapshotsRepo(ctx.db);
  const levels: Record<string, number> = { VIX: await ctx.market.vix() };
  for (const symbol of Object.keys(ctx.config.strategies.underlyings)) levels[symbol] = await ctx.market.spot(symbol);
  if (!job.dry_run) for (const [symbol, level] of Object.entries(levels)) repo.add<IndexSnapshot>({ at: now, trading_date: exchangeDate(now), kind: 'index', symbol, data: { level } });
  return { summary: `levels: ${Object.entries(levels).map(([s, v]) => `${s} ${v.toFixed(2)}`).join(', ')}`, data: levels };
};
