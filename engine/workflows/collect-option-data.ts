import type { ExpiryInfo } from '../market/market-data';
import { exchangeDate } from '../shared/exchange-time';
import { SnapshotsRepo } from '../store/snapshots-repo';
import type { Workflow } from './workflow-context';

export interface OptionSnapshot {
  readonly spot: number;
  readonly expiry: string | null;
  readonly quotes: ReadonlyArray<{ right: 'P' | 'C'; strike: number; bid: number | null; ask: number | null; mid: number | null; iv: number | null; delta: number | null }>;
}

/** The window the snapshot's expiry is taken from: where the strategies trade. */
const WINDOW = { dte_min: 20, dte_max: 60 } as const;

/** The nearest expiry (sources need not list them in order) and its ATM strike with one strike either side. */
export function snapshotContracts(expiries: readonly ExpiryInfo[], spot: number): { expiry: string; strikes: number[] } | null {
  const exp = [...expiries].filter((e) => e.strikes.length > 0).sort((a, b) => a.dte - b.dte)[0];
  if (!exp) return null;
  const strikes = [...exp.strikes].sort((a, b) => a - b);
  const atm = strikes.reduce((best, k, i) => (Math.abs(k - spot) < Math.abs((strikes[best] ?? k) - spot) ? i : best), 0);
  return { expiry: exp.expiry, strikes: strikes.slice(Math.max(0, atm - 1), atm + 2) };
}

/** A compact snapshot per underlying (≤ 6 contracts): spot, ATM ±1 strike of the nearest 20–60 DTE expiry, puts and calls. */
export const collectOptionData: Workflow = async (ctx, job) => {
  const now = ctx.clock.now();
  const repo = new SnapshotsRepo(ctx.db);
  const out: Record<string, OptionSnapshot> = {};
  for (const symbol of Object.keys(ctx.config.strategies.underlyings)) {
    const chain = await ctx.market.chain(symbol, WINDOW);
    const pick = snapshotContracts(chain.expiries, chain.spot);
    let quotes: OptionSnapshot['quotes'] = [];
    if (pick) {
      const refs = pick.strikes.flatMap((strike) => (['P', 'C'] as const).map((right) => ({ symbol, expiry: pick.expiry, right, strike })));
      quotes = (await ctx.market.quotes(refs)).map((q) => ({ right: q.right, strike: q.strike, bid: q.bid, ask: q.ask, mid: q.mid, iv: q.iv, delta: q.delta }));
    }
    const snap: OptionSnapshot = { spot: chain.spot, expiry: pick?.expiry ?? null, quotes };
    out[symbol] = snap;
    if (!job.dry_run) repo.add({ at: now, trading_date: exchangeDate(now), kind: 'option', symbol, data: snap });
  }
  return { summary: `option snapshots: ${Object.entries(out).map(([s, v]) => `${s} ${v.quotes.length} quotes`).join(', ')}`, data: out };
};
