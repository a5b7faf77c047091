import { syntheticChain } from '../../fixtures/synthetic-chain';
import { ChainView } from '../../../engine/market/chain-view';
import { buildStrategy } from '../../../engine/strategy/builders';
import { buildExhaustive } from '../../../engine/strategy/exhaustive';
import { selectForSymbol } from '../../../engine/strategy/selector';
import { CONFIG, handChain } from './fixtures';

const S = CONFIG.strategies;
const AS_OF = Date.UTC(2026, 10, 24, 15);

function chain(seed: number, symbol = 'SPY', spot = 580, vol = 0.18): ChainView {
  return syntheticChain({ symbol, spot, as_of: AS_OF, expiries: 12, strikes: 160, strike_step: 1, first_dte: 7, dte_step: 7, vol, seed });
}

describe('when selecting across templates', () => {
  it('should rank by score and pick the best when it reaches min_score', () => {
    const sel = selectForSymbol(chain(1), 40, S);
    expect(sel.candidates.map((c) => c.strategy).sort()).toEqual(['bear_call', 'bull_put', 'iron_condor']);
    for (let i = 1; i < sel.candidates.length; i++) expect(sel.candidates[i - 1]!.score).toBeGreaterThanOrEqual(sel.candidates[i]!.score);
    const top = sel.candidates[0]!;
    expect(sel.pick).toBe(top.score >= S.scoring.min_score ? top : null);
  });

  it('should give different candidates different scores (no placeholder credit)', () => {
    const sel = selectForSymbol(handChain(), 40, S);
    const credits = new Set(sel.candidates.map((c) => c.metrics.credit));
    const scores = new Set(sel.candidates.map((c) => c.score));
    expect(credits.size).toBe(2); // the hand chain is symmetric: both verticals collect 1.25, the condor 2.5
    expect(scores.size).toBeGreaterThan(1);
    expect(sel.candidates.every((c) => c.score < 100)).toBe(true);
  });

  it('should never build a debit "bull put": the short put is always the higher strike and the credit positive', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      for (const c of selectForSymbol(chain(seed), 40, S).candidates) {
        const shortPut = c.legs.find((l) => l.right === 'P' && l.action === 'SELL');
        const longPut = c.legs.find((l) => l.right === 'P' && l.action === 'BUY');
        if (shortPut && longPut) expect(shortPut.strike).toBeGreaterThan(longPut.strike);
        expect(c.metrics.credit).toBeGreaterThan(0);
      }
    }
  });

  it('should place shorts by delta so the same percentage distance is not reused at another vol', () => {
    const calm = selectForSymbol(chain(1, 'SPY', 580, 0.12), 40, S).candidates.find((c) => c.strategy === 'bull_put')!;
    const wild = selectForSymbol(chain(1, 'SPY', 580, 0.35), 40, S).candidates.find((c) => c.strategy === 'bull_put')!;
    const short = (c: typeof calm): number => c.legs.find((l) => l.action === 'SELL')!.strike;
    expect(short(wild)).toBeLessThan(short(calm));
    for (const c of [calm, wild]) {
      const d = Math.abs(c.legs.find((l) => l.action === 'SELL')!.delta);
      expect(d).toBeGreaterThanOrEqual(0.25);
      expect(d).toBeLessThanOrEqual(0.35);
    }
  });

  it('should report why a template was rejected', () => {
    const narrow = { ...S, strategies: { ...S.strategies, bull_put: { ...S.strategies.bull_put, per_underlying: { SPY: { dte: { min: 200, target: 210, max: 220 }, short_delta: S.strategies.bull_put.short_delta } } } } };
    const sel = selectForSymbol(handChain(), 40, narrow);
    expect(sel.rejections).toEqual([{ symbol: 'SPY', strategy: 'bull_put', expiry: null, reason: 'no expiry with DTE in 200–220' }]);
  });

  it('should skip disabled templates', () => {
    const off = { ...S, strategies: { ...S.strategies, iron_condor: { ...S.strategies.iron_condor, enabled: false } } };
    expect(selectForSymbol(handChain(), 40, off).candidates.map((c) => c.strategy)).not.toContain('iron_condor');
  });
});

describe('when comparing the narrowed search with the exhaustive one', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('should find the same candidates on random chain %d', (seed) => {
    const vol = 0.1 + (seed % 4) * 0.08;
    const v = chain(seed, seed % 2 ? 'SPY' : 'QQQ', 500 + seed * 13, vol);
    const ours = selectForSymbol(v, 40, S, buildStrategy);
    const ref = selectForSymbol(v, 40, S, buildExhaustive);
    expect(ours.candidates).toEqual(ref.candidates);
    expect(ours.pick).toEqual(ref.pick);
  });
});

describe('when quotes are patchy', () => {
  it.each([11, 12, 13, 14, 15, 16])('should still agree with the exhaustive search, rejections included (seed %d)', (seed) => {
    const full = chain(seed, 'IWM', 220, 0.22);
    // Drop or spoil quotes in a seeded pattern: missing quotes, zero bids, crossed quotes.
    const quotes = full.expiries.flatMap((e) =>
      e.strikes.flatMap((k) => (['P', 'C'] as const).map((r) => full.quote(e.expiry, r, k)!)),
    );
    const spoiled = quotes.flatMap((q, i) => {
      const h = (i * 2654435761 + seed * 97) % 23;
      if (h === 0) return [];
      if (h === 1) return [{ ...q, bid: 0 }];
      if (h === 2) return [{ ...q, bid: (q.ask ?? 0) + 0.05 }];
      return [q];
    });
    const v = new ChainView(full.skeleton, spoiled);
    expect(selectForSymbol(v, 55, S, buildStrategy)).toEqual(selectForSymbol(v, 55, S, buildExhaustive));
  });
});
