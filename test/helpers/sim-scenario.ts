import { SimMarket } from '../../engine/adapters/sim/sim-market';
import type { CompiledConfig } from '../../engine/config/types';
import { aggregateCombo } from '../../engine/market/combo';
import type { PositionLeg, Right } from '../../engine/model/leg';
import type { StrategyPositionRecord } from '../../engine/model/position';
import type { StrategyName } from '../../engine/model/strategy-names';
import { InMemoryPositionStateStore } from '../../engine/rules/position-state';
import { ManualClock } from '../../engine/shared/clock';
import { exchangeInstant } from '../../engine/shared/exchange-time';
import { gatherPositionView, type PositionView } from '../../engine/workflows/position-facts-gather';

/** How a position is chosen from the sim's chain at entry, as the builders choose: by delta, never by hand-set facts. */
export interface LegTemplate {
  readonly strategy: StrategyName;
  /** |delta| of each short leg. */
  readonly short_delta: number;
  /** Target DTE: the listed expiry nearest it. */
  readonly dte: number;
  readonly width: number;
}

export interface SimPosition {
  readonly market: SimMarket;
  readonly clock: ManualClock;
  readonly position: StrategyPositionRecord;
  readonly state: InMemoryPositionStateStore;
  /** Facts as the monitor computes them (workflows/position-facts-gather.ts) at an exchange date and time. */
  at(date: string, hhmm: string): Promise<PositionView>;
}

async function pickShort(m: SimMarket, symbol: string, expiry: string, strikes: readonly number[], right: Right, delta: number): Promise<number> {
  const qs = await m.quotes(strikes.map((strike) => ({ symbol, expiry, right, strike })));
  let best = qs[0]!;
  for (const q of qs) if (Math.abs(Math.abs(q.delta ?? 9) - delta) < Math.abs(Math.abs(best.delta ?? 9) - delta)) best = q;
  return best.strike;
}

/**
 * Opens a position on the simulated market at an exchange date and time: the expiry nearest the
 * template's DTE, short strikes at the template's delta, wings `width` further out; entry credit at
 * mid, entry IV, VIX and deltas as the engine records them when an entry fills.
 */
export async function simPosition(config: CompiledConfig, seed: number, symbol: string, t: LegTemplate, date: string, hhmm: string): Promise<SimPosition | null> {
  const clock = new ManualClock(exchangeInstant(date, hhmm));
  const market = new SimMarket({ seed, clock, symbols: [symbol] });
  const ch = await market.chain(symbol, { dte_min: Math.max(0, t.dte - 10), dte_max: t.dte + 10 });
  if (ch.expiries.length === 0) return null;
  const e = ch.expiries.reduce((b, x) => (Math.abs(x.dte - t.dte) < Math.abs(b.dte - t.dte) ? x : b));
  const legs: PositionLeg[] = [];
  const side = async (right: Right): Promise<void> => {
    const near = e.strikes.filter((k) => (right === 'C' ? k >= ch.spot : k <= ch.spot));
    const short = await pickShort(market, symbol, e.expiry, near, right, t.short_delta);
    const long = right === 'C' ? short + t.width : short - t.width;
    legs.push({ right, strike: long, expiry: e.expiry, action: 'BUY', ratio: 1, con_id: null }, { right, strike: short, expiry: e.expiry, action: 'SELL', ratio: 1, con_id: null });
  };
  if (t.strategy !== 'bear_call') await side('P');
  if (t.strategy !== 'bull_put') await side('C');
  const quotes = await market.quotes(legs.map((l) => ({ symbol, expiry: l.expiry, right: l.right, strike: l.strike })));
  const agg = aggregateCombo(legs, quotes);
  if (!(-agg.mid > 0)) return null;
  const position: StrategyPositionRecord = {
    id: `pos-${symbol}-${t.strategy}-${date}`,
    opened_by_intent: `open-${symbol}-${date}`,
    symbol,
    strategy: t.strategy,
    legs,
    quantity: 1,
    entry_credit: -agg.mid,
    entry_iv: agg.short_iv_mean,
    entry_vix: await market.vix(),
    entry_time: clock.now(),
    entry_deltas: quotes.map((q) => q.delta),
    peak_profit_pct: null,
    partial_taken: false,
    status: 'open',
    closed_at: null,
    realized_pnl: null,
  };
  const state = new InMemoryPositionStateStore();
  return {
    market,
    clock,
    position,
    state,
    at: async (d, hm) => {
      clock.set(exchangeInstant(d, hm));
      return gatherPositionView(position, market, config, clock.now(), state);
    },
  };
}
