import { computeMetrics, type PricedLeg } from '../../../engine/strategy/metrics';
import { scoreCandidate } from '../../../engine/strategy/scorer';
import { CONFIG } from './fixtures';

const SCORING = CONFIG.strategies.scoring;
const bullPut: PricedLeg[] = [
  { right: 'P', strike: 500, action: 'SELL', bid: 2.6, ask: 2.7, delta: -0.3 },
  { right: 'P', strike: 495, action: 'BUY', bid: 0.95, ask: 1.05, delta: -0.22 },
];

describe('when scoring the DESIGN.md example (bull put 5 wide, 30Δ, 1.65 credit, IV rank 40)', () => {
  const m = computeMetrics('bull_put', bullPut);

  it('should compute the metrics at mid', () => {
    expect(m.ok).toBe(true);
    if (!m.ok) return;
    expect(m.metrics.credit).toBe(1.65);
    expect(m.metrics.width).toBe(5);
    expect(m.metrics.max_risk).toBe(3.35);
    expect(m.metrics.rr).toBeCloseTo(3.35 / 1.65, 12);
    expect(m.metrics.pop).toBeCloseTo(70, 12);
    expect(m.metrics.er).toBeCloseTo(0.15, 12);
    expect(m.metrics.er_pct).toBeCloseTo(4.477611940298507, 10);
    expect(m.metrics.credit_to_width_pct).toBeCloseTo(33, 10);
    expect(m.metrics.natural).toBe(1.55);
    expect(m.metrics.combo_width).toBe(0.2);
    expect(m.metrics.break_evens).toEqual([498.35]);
  });

  it('should score exactly 80.6 with the four components', () => {
    if (!m.ok) throw new Error(m.reason);
    const s = scoreCandidate(m.metrics, 40, SCORING);
    expect(s.score).toBe(80.6);
    expect(s.components.risk_reward).toBe(100);
    expect(s.components.probability).toBeCloseTo(100, 9);
    expect(s.components.expected_return).toBeCloseTo(22.388059701492537, 9);
    expect(s.components.iv_rank).toBe(100);
  });

  it.each([
    [10, 25],
    [25, 100],
    [75, 100],
    [80, 75],
    [100, 75],
  ])('should score IV rank %d as %d from the configured bands', (ivr, expected) => {
    expect(scoreCandidate({ rr: 1, pop: 70, er_pct: 20 }, ivr, SCORING).components.iv_rank).toBe(expected);
  });

  it('should read every break-point from the config', () => {
    const stricter = { ...SCORING, risk_reward: { full_at: 1, zero_at: 3 } };
    expect(scoreCandidate({ rr: 2, pop: 70, er_pct: 20 }, 40, stricter).components.risk_reward).toBe(50);
  });
});
