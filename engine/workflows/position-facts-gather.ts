import { aggregateCombo } from '../market/combo';
import type { CompiledConfig } from '../config/types';
import { ivStanding } from '../market/iv-rank';
import type { MarketData } from '../market/market-data';
import { buildPositionFacts, type LegQuote, type PositionFacts } from '../rules/position-facts';
import type { PositionStateStore } from '../model/position';
import type { StrategyPositionRecord } from '../model/position';

export interface PositionView {
  readonly position: StrategyPositionRecord;
  readonly facts: PositionFacts;
  /** Cost to close per share at mid (positive = pay to close a credit spread). */
  readonly close_cost: number | null;
  /** Dollars: (entry credit − cost to close) × 100 × quantity. */
  readonly unrealized_pnl: number | null;
}

/**
 * The market side of one open position: leg quotes, spot, VIX, IV rank, the hour's move, then the
 * rules' facts (which raise the persisted peak). One market read per leg; nothing is guessed — a
 * missing quote leaves its facts non-finite so the rules answer `data incomplete`.
 */
export async function gatherPositionView(pos: StrategyPositionRecord, md: MarketData, config: CompiledConfig, nowMs: number, state: PositionStateStore): Promise<PositionView> {
  const quotes = await md.quotes(pos.legs.map((l) => ({ symbol: pos.symbol, expiry: l.expiry, right: l.right, strike: l.strike })));
  const [spot, vix, change, history] = await Promise.all([md.spot(pos.symbol), md.vix(), md.change1hPct(pos.symbol), md.ivHistory(pos.symbol, config.strategies.market.iv_lookback_days)]);
  const ivNow = history[history.length - 1]?.iv;
  const standing = ivNow === undefined ? null : ivStanding(ivNow, history.map((h) => h.iv));
  const legQuotes: (LegQuote | undefined)[] = quotes.map((q) =>
    q.bid === null || q.ask === null || q.mid === null || q.delta === null || q.gamma === null || q.iv === null ? undefined : { bid: q.bid, ask: q.ask, mid: q.mid, delta: q.delta, gamma: q.gamma, iv: q.iv },
  );
  const facts = buildPositionFacts(
    { id: pos.id, symbol: pos.symbol, strategy: pos.strategy, legs: pos.legs, quantity: pos.quantity, entry_credit: pos.entry_credit, entry_iv: pos.entry_iv ?? Number.NaN, entry_vix: pos.entry_vix ?? Number.NaN, entry_time_ms: pos.entry_time, entry_deltas: pos.entry_deltas ?? null },
    legQuotes,
    { spot, vix, iv_rank: standing?.iv_rank ?? Number.NaN, iv_percentile: standing?.iv_percentile ?? Number.NaN, underlying_change_1h_pct: change },
    nowMs,
    state,
  );
  // Cost to close at mid: minus the price of buying the legs as opened (market/combo.ts), never
  // below zero (as the facts take it: a negative mid is a quote artifact).
  const opening = aggregateCombo(pos.legs, quotes);
  const cost = Number.isFinite(opening.mid) ? Math.max(0, -opening.mid) : null;
  return { position: pos, facts, close_cost: cost, unrealized_pnl: cost === null ? null : (pos.entry_credit - cost) * 100 * pos.quantity };
}
