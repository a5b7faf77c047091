import { PaperBroker } from '../../../../engine/adapters/sim/paper-broker';
import { SimMarket } from '../../../../engine/adapters/sim/sim-market';
import type { CompiledConfig } from '../../../../engine/config/types';
import { buildServices } from '../../../../engine/runtime/services';
import { intentId, type OrderIntent } from '../../../../engine/model/order-intent';
import { ManualClock } from '../../../../engine/shared/clock';
import { exchangeDate } from '../../../../engine/shared/exchange-time';
import { openJournal } from '../../../../engine/store/journal';

export interface SeededPosition {
  readonly position_id: string;
  readonly symbol: string;
  readonly expiry: string;
}

export interface SeedOptions {
  readonly config: CompiledConfig;
  readonly journal: string;
  readonly paperState: string;
  readonly atMs: number;
  readonly symbols?: readonly string[];
  /** Days to expiry wanted (nearest listed); 1 makes the rules' expiry exit close it at the next monitor. */
  readonly dte?: number;
  /** Short strike as a fraction of spot (0.95 = 5% out of the money). */
  readonly shortAt?: number;
}

/**
 * Opens real positions through the order manager on the paper broker (the same seed and state file
 * the engine under test then uses), so the journal and the broker agree before the chaos starts:
 * one bull put per symbol, `shortAt` of spot, 5 wide.
 */
export async function seedPositions(o: SeedOptions): Promise<SeededPosition[]> {
  const clock = new ManualClock(o.atMs);
  const symbols = o.symbols ?? ['SPY', 'QQQ'];
  const market = new SimMarket({ seed: 1, clock, symbols: Object.keys(o.config.strategies.underlyings) });
  const broker = new PaperBroker({ market, clock, seed: 1, stateFile: o.paperState });
  const db = openJournal(o.journal);
  const { executor } = buildServices({
    config: o.config,
    db,
    broker,
    market,
    clock,
    log: () => undefined,
    sleep: async (ms) => {
      clock.advance(ms);
      await broker.processAt(clock.now());
    },
  });
  const out: SeededPosition[] = [];
  try {
    await broker.connect();
    for (const symbol of symbols) {
      const chain = await market.chain(symbol, { dte_min: 0, dte_max: 90 });
      const want = o.dte ?? 45;
      const exp = [...chain.expiries].filter((e) => e.dte >= Math.min(want, 1)).sort((a, b) => Math.abs(a.dte - want) - Math.abs(b.dte - want))[0];
      if (!exp) throw new Error(`no ${symbol} expiry near ${want} DTE`);
      const short = [...exp.strikes].filter((k) => k <= chain.spot * (o.shortAt ?? 0.95)).pop();
      const long = short === undefined ? undefined : [...exp.strikes].filter((k) => k <= short - 5).pop();
      if (short === undefined || long === undefined) throw new Error(`no ${symbol} strikes for a 5-wide put spread`);
      const id = intentId({ task: 'seed', trading_date: exchangeDate(o.atMs), symbol, strategy: 'bull_put', subject: `${exp.expiry}-${short}` });
      const leg = (strike: number, action: 'SELL' | 'BUY') => ({ symbol, expiry: exp.expiry, right: 'P' as const, strike, ratio: 1, action, con_id: null });
      const intent: OrderIntent = {
        id,
        kind: 'open',
        position_id: `pos-${id}`,
        symbol,
        strategy: 'bull_put',
        legs: [leg(short, 'SELL'), leg(long, 'BUY')],
        quantity: 1,
        urgency: 'immediate',
        width: short - long,
        context: { entry_iv: 0.2, entry_vix: 18 },
        config_hash: o.config.hash,
      };
      executor.accept(intent);
      const outcome = await executor.execute(intent.id);
      if (outcome.status !== 'filled') throw new Error(`seeding ${symbol}: expected a fill, got ${outcome.status} (${outcome.detail ?? ''})`);
      out.push({ position_id: `pos-${id}`, symbol, expiry: exp.expiry });
    }
  } finally {
    broker.close();
    db.close();
  }
  return out;
}
