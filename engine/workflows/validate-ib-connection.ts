import { errorMessage } from '../shared/errors';
import type { Workflow } from './workflow-context';

/**
 * Before the open: the broker answers, the account is readable and market data flows.
 * Messages carry the broker's own words and never account data beyond net liquidation (no ids).
 */
export const validateIbConnection: Workflow = async (ctx, job) => {
  const problems: string[] = [];
  const health = await ctx.broker.health().catch((e: unknown) => ({ connected: false, detail: errorMessage(e) }));
  if (!health.connected) problems.push(`broker ${ctx.broker.name} not connected (${health.detail})`);
  const nlv = await ctx.broker.accountSummary().then((a) => a.net_liquidation, (e: unknown) => (problems.push(`account summary failed: ${errorMessage(e)}`), NaN));
  const symbol = Object.keys(ctx.config.strategies.underlyings)[0] ?? 'SPY';
  const spot = await ctx.market.spot(symbol).then(
    (p) => (Number.isFinite(p) ? p : (problems.push(`${symbol} price from ${ctx.market.name} is ${p}, not a price; check the market-data subscription`), NaN)),
    (e: unknown) => (problems.push(`no ${symbol} price from ${ctx.market.name}: ${errorMessage(e)}`), NaN),
  );
  if (problems.length > 0) {
    const msg = `connection check failed: ${problems.join('; ')}. Check that TWS / IB Gateway runs and accepts API connections on the configured host and port.`;
    // A dry run sends nothing, alerts included; failing is still its answer.
    if (!job.dry_run) await ctx.alerts.raise({ severity: 'error', kind: 'broker_unreachable', message: msg });
    throw new Error(msg);
  }
  return { summary: `broker ${ctx.broker.name} connected; net liquidation ${nlv.toFixed(2)}; ${symbol} ${spot.toFixed(2)} from ${ctx.market.name}`, data: { broker: health, spot } };
};
