import { buildStrategy } from '../../../engine/strategy/builders';
import { buildParams } from '../../../engine/strategy/template-params';
import { CONFIG, handChain } from './fixtures';

const S = CONFIG.strategies;

describe('when building on a hand-made chain', () => {
  it('should build a bull put that sells the higher put and buys the lower one 5 points down', () => {
    const r = buildStrategy(handChain(), buildParams(S, 'bull_put', 'SPY'), 40);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const c = r.candidate;
    expect(c.expiry).toBe('2027-01-08');
    expect(c.dte).toBe(45);
    // put delta 0.30 sits at 573 (0.32 − 2 × 0.01)
    expect(c.legs.map((l) => [l.action, l.right, l.strike])).toEqual([
      ['BUY', 'P', 568],
      ['SELL', 'P', 573],
    ]);
    expect(c.metrics.credit).toBeGreaterThan(0);
    expect(c.metrics.width).toBe(5);
    expect(c.metrics.max_risk).toBeCloseTo(5 - c.metrics.credit, 9);
    expect(c.legs.every((l) => l.ratio === 1 && l.con_id !== null)).toBe(true);
  });

  it('should build a bear call that sells the lower call and buys the higher one', () => {
    const r = buildStrategy(handChain(), buildParams(S, 'bear_call', 'SPY'), 40);
    expect(r.ok && r.candidate.legs.map((l) => [l.action, l.right, l.strike])).toEqual([
      ['SELL', 'C', 587],
      ['BUY', 'C', 592],
    ]);
  });

  it('should build an iron condor with 16-delta shorts and 5-point wings on both sides', () => {
    const r = buildStrategy(handChain(), buildParams(S, 'iron_condor', 'SPY'), 40);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.candidate.legs.map((l) => [l.action, l.right, l.strike])).toEqual([
      ['BUY', 'P', 554],
      ['SELL', 'P', 559],
      ['SELL', 'C', 601],
      ['BUY', 'C', 606],
    ]);
    expect(r.candidate.metrics.pop).toBeCloseTo(100 * (1 - 0.16 - 0.16), 9);
    expect(r.candidate.metrics.break_evens).toEqual([559 - r.candidate.metrics.credit, 601 + r.candidate.metrics.credit]);
  });

  it('should pick strikes by delta, not as a percentage of spot, when the same spot has other deltas', () => {
    const shifted = handChain((qs) => qs.map((x) => (x.right === 'P' ? { ...x, delta: x.delta! - 0.05 } : x)));
    const r = buildStrategy(shifted, buildParams(S, 'bull_put', 'SPY'), 40);
    // with every put delta 0.05 larger in size, the 0.30 put is 5 strikes lower
    expect(r.ok && r.candidate.legs.find((l) => l.action === 'SELL')!.strike).toBe(568);
  });

  it('should fall back to the next nearest expiry when the nearest has no strike in the delta range', () => {
    const r = buildStrategy(
      handChain((qs) => qs.filter((x) => !(x.expiry === '2027-01-08' && x.right === 'P'))),
      buildParams(S, 'bull_put', 'SPY'),
      40,
    );
    expect(r.ok && r.candidate.expiry).toBe('2027-01-15');
  });

  it('should reject with a reason when no expiry is inside the DTE window', () => {
    const p = { ...buildParams(S, 'bull_put', 'SPY'), dte: { min: 70, target: 80, max: 90 } };
    const r = buildStrategy(handChain(), p, 40);
    expect(!r.ok && r.rejection.reason).toBe('no expiry with DTE in 70–90');
  });
});
