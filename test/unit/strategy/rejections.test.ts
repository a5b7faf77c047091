import { buildStrategy } from '../../../engine/strategy/builders';
import { computeMetrics } from '../../../engine/strategy/metrics';
import { buildParams } from '../../../engine/strategy/template-params';
import type { OptionQuote } from '../../../engine/market/market-data';
import { CONFIG, handChain } from './fixtures';

const P = buildParams(CONFIG.strategies, 'bull_put', 'SPY');
const at = (strike: number, patch: Partial<OptionQuote> | null) => (qs: OptionQuote[]): OptionQuote[] =>
  patch === null
    ? qs.filter((x) => !(x.expiry === '2027-01-08' && x.right === 'P' && x.strike === strike))
    : qs.map((x) => (x.expiry === '2027-01-08' && x.right === 'P' && x.strike === strike ? { ...x, ...patch } : x));

describe('when a leg of the chosen spread has a bad quote', () => {
  it.each([
    ['missing quote', at(568, null), /^missing quote on BUY P 568 2027-01-08$/],
    ['null bid', at(568, { bid: null }), /^missing quote on BUY P 568/],
    ['zero bid', at(568, { bid: 0 }), /^zero bid on BUY P 568/],
    ['crossed quote', at(568, { bid: 1.5, ask: 1.4 }), /^crossed quote on BUY P 568 2027-01-08 \(bid 1.5 > ask 1.4\)$/],
    ['non-finite gamma', at(573, { gamma: Number.NaN }), /^non-finite gamma on SELL P 573/],
    ['null vega', at(568, { vega: null }), /^non-finite vega on BUY P 568/],
    ['debit', at(568, { bid: 7, ask: 7.2 }), /^bull_put: net debit .* at mid where a credit is expected$/],
  ])('should reject a %s with a reason and not score it', (_n, mutate, reason) => {
    const r = buildStrategy(handChain(mutate), P, 40);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.rejection.reason).toMatch(reason);
      expect(r.rejection.strategy).toBe('bull_put');
    }
  });
});

describe('when legs do not form the named strategy', () => {
  it.each([
    ['bull_put', [['P', 495, 'SELL'], ['P', 500, 'BUY']], /short put \(495\) must be above the long put \(500\); the reverse is a debit spread/],
    ['bear_call', [['C', 610, 'SELL'], ['C', 605, 'BUY']], /short call \(610\) must be below the long call \(605\)/],
    ['bull_put', [['C', 500, 'SELL'], ['P', 495, 'BUY']], /legs must all be puts/],
    ['iron_condor', [['P', 500, 'SELL'], ['P', 495, 'BUY']], /needs exactly 4 legs/],
    ['iron_condor', [['P', 600, 'SELL'], ['P', 595, 'BUY'], ['C', 590, 'SELL'], ['C', 595, 'BUY']], /short put \(600\) must be below the short call \(590\)/],
  ] as const)('should reject a %s built as %j', (strategy, legs, reason) => {
    const r = computeMetrics(
      strategy,
      legs.map(([right, strike, action]) => ({ right, strike, action, bid: 1, ask: 1.1, delta: 0.2 })),
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it('should reject a missing delta', () => {
    const r = computeMetrics('bull_put', [
      { right: 'P', strike: 500, action: 'SELL', bid: 2, ask: 2.1, delta: Number.NaN },
      { right: 'P', strike: 495, action: 'BUY', bid: 1, ask: 1.1, delta: -0.2 },
    ]);
    expect(!r.ok && r.reason).toBe('non-finite delta on SELL P 500');
  });
});
