import type { MarketData, OptionContractRef } from '../../../engine/market/market-data';
import { unifiedMonitor } from '../../../engine/workflows/unified-monitor';
import { seedOpenPositions } from '../../fixtures/open-positions';
import { jobFor, testEngine, type TestEngine } from '../../helpers/workflow-context';

describe('unified_monitor quote economy', () => {
  let e: TestEngine;
  afterEach(() => e.close());

  it('should request each distinct leg once per cycle, however many positions share it', async () => {
    e = testEngine({ at: '2026-01-06T15:00:00Z' });
    await seedOpenPositions(e.db, e.market, 60, e.clock.now());
    const requested: string[] = [];
    let quoteCalls = 0;
    const counting: MarketData = new Proxy(e.market, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver) as unknown;
        if (prop === 'quotes') {
          return (cs: readonly OptionContractRef[]) => {
            quoteCalls += 1;
            requested.push(...cs.map((c) => `${c.symbol}${c.expiry}${c.right}${c.strike}`));
            return target.quotes(cs);
          };
        }
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    const r = await unifiedMonitor({ ...e.ctx, market: counting }, jobFor('unified_monitor', e.clock));
    const data = r.data as { positions: unknown[]; quotes: { legs: number; distinct_legs: number } };
    expect(data.positions).toHaveLength(60);
    expect(new Set(requested).size).toBe(requested.length);
    expect(requested.length).toBe(data.quotes.distinct_legs);
    expect(data.quotes.legs).toBeGreaterThan(2 * data.quotes.distinct_legs);
    // One batch for the whole book.
    expect(quoteCalls).toBe(1);
  });
});
