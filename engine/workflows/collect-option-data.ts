import { exchangeDate } from '../shared/exchange-time';
import { SnapshotsRepo } from '../store/snapshots-repo';
import type { Workflow } from './workflow-context';

export interface OptionSnapshot {
  readonly spot: number;
  readonly expiry: string | null;
  readonly quotes: ReadonlyArray<{ right: 'P' | 'C'; strike: number; bid: number | null; ask: number | null; mid: number | null; iv: number | null; delta: number | null }>;
}

/** A compact snapshot per underlying: spot and the ATM strike ±1 of the nearest 20–60 DTE expiry, puts and calls. */
export const collectOptionData: Workflow = async (ctx, job) => {
  const now = ctx.clock.now();
  const repo = new SnapshotsRepo(ctx.db);
  const out: Record<string, OptionSnapshot> = {};
  for (const symbol of Object.keys(ctx.config.strategies.underlyings)) {
    const chain = await ctx.market.chain(symbol, { dte_min: 20, dte_max: 60 });
    const exp = chain.expiries[0];
    let quotes: OptionSnapshot['quotes'] = [];
    if (exp) {
      const strikes = [...exp.strikes].sort((a, b) => Math.abs(a - chain.spot) - Math.abs(b - chain.spot)).slice(0, 3).sort((a, b) => a - b);
      const refs = strikes.flatMap((strike) => (['P', 'C'] as const).map((right) => ({ symbol, expiry: exp.expiry, right, strike })));
      quotes = (await ctx.market.quotes(refs)).map((q) => ({ right: q.right, strike: q.strike, bid: q.bid, ask: q.ask, mid: q.mid, iv: q.iv, delta: q.delta }));
    }
    const snap: OptionSnapshot = { spot: chain.spot, expiry: exp?.expiry ?? null, quotes };
    out[symbol] = snap;
    if (!job.dry_run) repo.add({ at: now, trading_date: exchangeDate(now), kind: 'option', symbol, data: snap });
  }
  return { summary: `option snapshots: ${Object.entries(out).map(([s, v]) => `${s} ${v.quotes.length} quotes`).join(', ')}`, data: out };
};
