import { SnapshotsRepo } from '../store/snapshots-repo';
import type { Workflow } from './workflow-context';

/** Daily IV history per underlying into the journal: the basis of IV rank and percentile. */
export const loadHistoricalData: Workflow = async (ctx, job) => {
  const repo = new SnapshotsRepo(ctx.db);
  const days = ctx.config.strategies.market.iv_lookback_days;
  const loaded: Record<string, number> = {};
  for (const symbol of Object.keys(ctx.config.strategies.underlyings)) {
    const points = await ctx.market.ivHistory(symbol, days);
    if (points.length === 0) throw new Error(`no IV history for ${symbol} from ${ctx.market.name}: IV rank cannot be computed; check the market-data subscription`);
    loaded[symbol] = job.dry_run ? points.length : repo.saveIvHistory(symbol, points, ctx.clock.now());
  }
  return { summary: `IV history: ${Object.entries(loaded).map(([s, n]) => `${s} ${n} days`).join(', ')}`, data: loaded };
};
