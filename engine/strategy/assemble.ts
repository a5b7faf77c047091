import type { StrategyName } from '../model/strategy-names';
import type { ChainView } from '../market/chain-view';
import type { ExpiryInfo } from '../market/market-data';
import type { Right } from '../model/leg';
import type { BuildResult, CandidateLeg, LegAction } from './candidate';
import { computeMetrics } from './metrics';

export interface LegSpec {
  readonly right: Right;
  readonly strike: number;
  readonly action: LegAction;
}

/**
 * Prices chosen strikes from the chain and turns them into a candidate, or a rejection naming the
 * first bad leg: missing quote, zero bid, crossed quote, non-finite greek, then a debit.
 */
export function assemble(view: ChainView, strategy: StrategyName, exp: ExpiryInfo, specs: readonly LegSpec[], ivRank: number): BuildResult {
  const reject = (reason: string): BuildResult => ({ ok: false, rejection: { symbol: view.symbol, strategy, expiry: exp.expiry, reason } });
  const legs: CandidateLeg[] = [];
  for (const s of specs) {
    const name = `${s.action} ${s.right} ${s.strike} ${exp.expiry}`;
    const q = view.quote(exp.expiry, s.right, s.strike);
    if (!q || q.bid === null || q.ask === null) return reject(`missing quote on ${name}`);
    if (!(q.bid > 0)) return reject(`zero bid on ${name}`);
    if (q.ask < q.bid) return reject(`crossed quote on ${name} (bid ${q.bid} > ask ${q.ask})`);
    const greeks = { delta: q.delta, gamma: q.gamma, theta: q.theta, vega: q.vega, iv: q.iv };
    for (const [k, v] of Object.entries(greeks)) {
      if (v === null || !Number.isFinite(v)) return reject(`non-finite ${k} on ${name}`);
    }
    legs.push({
      right: s.right,
      strike: s.strike,
      expiry: exp.expiry,
      action: s.action,
      ratio: 1,
      con_id: q.con_id,
      bid: q.bid,
      ask: q.ask,
      mid: (q.bid + q.ask) / 2,
      delta: q.delta!,
      gamma: q.gamma!,
      theta: q.theta!,
      vega: q.vega!,
      iv: q.iv!,
    });
  }
  const m = computeMetrics(strategy, legs);
  if (!m.ok) return reject(m.reason);
  return {
    ok: true,
    candidate: {
      symbol: view.symbol,
      strategy,
      expiry: exp.expiry,
      dte: exp.dte,
      legs,
      metrics: m.metrics,
      spot: view.spot,
      as_of: view.skeleton.as_of,
      iv_rank: ivRank,
    },
  };
}

/** Leg order: puts low to high, then calls low to high (the usual way a condor is written). */
export function legSpecs(shorts: ReadonlyArray<{ right: Right; strike: number }>, wing: number): LegSpec[] {
  const out: LegSpec[] = [];
  for (const s of shorts) {
    const long = s.right === 'P' ? s.strike - wing : s.strike + wing;
    const pair: LegSpec[] =
      s.right === 'P'
        ? [{ right: 'P', strike: long, action: 'BUY' }, { right: 'P', strike: s.strike, action: 'SELL' }]
        : [{ right: 'C', strike: s.strike, action: 'SELL' }, { right: 'C', strike: long, action: 'BUY' }];
    out.push(...pair);
  }
  return out;
}
