import { SimMarket } from '../../../engine/adapters/sim/sim-market';
import { ChainView } from '../../../engine/market/chain-view';
import { ivStanding } from '../../../engine/market/iv-rank';
import { ManualClock } from '../../../engine/shared/clock';
import { selectForSymbol } from '../../../engine/strategy/selector';
import { analyzeMarket } from '../../../engine/workflows/analyze-market';
import { CONFIG } from '../strategy/fixtures';

const T0 = '2026-11-24T15:00:00Z';

describe('when analyzing the simulated market', () => {
  it.each([1, 2, 3])('should quote under 10%% of the window yet pick what the fully quoted chain gives (seed %d)', async (seed) => {
    const clock = new ManualClock(T0);
    const md = new SimMarket({ seed, clock });
    const r = await analyzeMarket({ marketData: md, config: CONFIG, symbols: ['SPY', 'QQQ', 'IWM'], clock });
    expect(r.config_hash).toBe(CONFIG.hash);
    expect(r.as_of).toBe(clock.now());
    for (const s of r.symbols) {
      expect(s.quotes_requested).toBeLessThanOrEqual(0.1 * s.contracts_in_window);
      const skeleton = await md.chain(s.symbol, { dte_min: 35, dte_max: 60 });
      const all = skeleton.expiries.flatMap((e) =>
        e.strikes.flatMap((strike) => (['P', 'C'] as const).map((right) => ({ symbol: s.symbol, expiry: e.expiry, right, strike }))),
      );
      const full = new ChainView(skeleton, await md.quotes(all));
      const hist = (await md.ivHistory(s.symbol, 252)).map((h) => h.iv);
      const rank = ivStanding(hist[hist.length - 1]!, hist).iv_rank;
      expect(s.iv_rank).toBe(rank);
      const ref = selectForSymbol(full, rank, CONFIG.strategies);
      expect(s.candidates).toEqual(ref.candidates);
      expect(s.pick).toEqual(ref.pick);
    }
  });

  it('should ask the market for quotes of only the contracts it reports', async () => {
    const clock = new ManualClock(T0);
    const md = new SimMarket({ seed: 9, clock });
    let asked = 0;
    const counting = Object.assign(Object.create(md) as SimMarket, {
      quotes: async (refs: Parameters<SimMarket['quotes']>[0]) => {
        asked += refs.length;
        return md.quotes(refs);
      },
    });
    const r = await analyzeMarket({ marketData: counting, config: CONFIG, symbols: ['SPY', 'QQQ'], clock });
    expect(asked).toBe(r.symbols.reduce((n, s) => n + s.quotes_requested, 0));
    expect(asked).toBeGreaterThan(0);
    expect(asked).toBeLessThanOrEqual(0.1 * r.symbols.reduce((n, s) => n + s.contracts_in_window, 0));
  });

  it('should give the same analysis twice for the same seed and clock', async () => {
    const run = async (): Promise<unknown> => {
      const clock = new ManualClock(T0);
      return analyzeMarket({ marketData: new SimMarket({ seed: 4, clock }), config: CONFIG, symbols: ['SPY'], clock });
    };
    expect(await run()).toEqual(await run());
  });
});
