import { capFor, planWalk, policyFor, roundToTick } from '../../../engine/execution/price-walk';
import { shippedConfig } from '../../helpers/config';

const orders = shippedConfig().strategies.orders;
const prices = (p: ReturnType<typeof planWalk>): number[] => (p.ok ? p.steps.map((s) => s.price) : []);
const times = (p: ReturnType<typeof planWalk>): number[] => (p.ok ? p.steps.map((s) => s.after_ms) : []);

describe('planWalk with the shipped policies', () => {
  describe('when opening a condor for a credit (mid −1.80, natural −1.40, 5 wide)', () => {
    const base = { mid: -1.8, natural: -1.4, tick: 0.01, cap: capFor('open', 5, orders) };

    it('should walk normal urgency 10% of the way every 30 s and stop at the 33%-of-width floor', () => {
      const p = planWalk({ ...base, policy: policyFor('normal', orders) });
      expect(base.cap).toBe(-1.65);
      expect(prices(p)).toEqual([-1.8, -1.76, -1.72, -1.68, -1.65]);
      expect(times(p)).toEqual([0, 30_000, 60_000, 90_000, 120_000]);
      expect(p.ok && p.cancel_after_ms).toBe(360_000);
    });

    it('should walk high urgency 20% every 15 s', () => {
      const p = planWalk({ ...base, cap: -0.01, policy: policyFor('high', orders) });
      expect(prices(p)).toEqual([-1.8, -1.72, -1.64, -1.56, -1.48, -1.4]);
      expect(times(p)).toEqual([0, 15_000, 30_000, 45_000, 60_000, 75_000]);
    });

    it('should treat low urgency as normal', () => {
      expect(policyFor('low', orders)).toBe(orders.policies.normal);
    });
  });

  describe('when closing immediately (mid 0.60 debit, natural 0.90, 5 wide)', () => {
    it('should walk 34% every 5 s and end marketable at natural inside the 30 s timeout', () => {
      const p = planWalk({ mid: 0.6, natural: 0.9, tick: 0.01, cap: capFor('close', 5, orders), policy: policyFor('immediate', orders) });
      expect(prices(p)).toEqual([0.6, 0.7, 0.8, 0.9]);
      expect(times(p)).toEqual([0, 5_000, 10_000, 15_000]);
    });
  });

  describe('floors', () => {
    it('should never pay more than the width to close', () => {
      expect(capFor('close', 5, orders)).toBe(5);
      const p = planWalk({ mid: 4.9, natural: 5.4, tick: 0.01, cap: 5, policy: policyFor('immediate', orders) });
      expect(Math.max(...prices(p))).toBe(5);
    });

    it('should never turn an opening credit into a debit', () => {
      const cap = capFor('open', 5, { ...orders, floor: { ...orders.floor, min_credit_pct_of_width: 0 } });
      expect(cap).toBe(-0.01);
      const p = planWalk({ mid: -0.3, natural: 0.2, tick: 0.01, cap, policy: policyFor('high', orders) });
      expect(Math.max(...prices(p))).toBe(-0.01);
    });

    it('should refuse to send when mid is already past the floor', () => {
      expect(planWalk({ mid: -1.5, natural: -1.2, tick: 0.01, cap: -1.65, policy: policyFor('normal', orders) })).toEqual({ ok: false, reason: 'mid -1.50 is already past the floor -1.65' });
    });

    it('should refuse crossed quotes (natural better than mid)', () => {
      expect(planWalk({ mid: -1.2, natural: -1.5, tick: 0.01, cap: -0.01, policy: policyFor('normal', orders) }).ok).toBe(false);
    });

    it('should round the minimum credit up to the tick, never below the gate', () => {
      expect(capFor('open', 5.01, orders)).toBe(-1.66); // 33% of 5.01 = 1.6533 → 1.66
    });
  });

  it.each([
    [-1.255, 0.01, -1.26],
    [1.255, 0.05, 1.25],
    [0.6000000001, 0.01, 0.6],
  ])('roundToTick(%f, %f) = %f', (p, t, r) => {
    expect(roundToTick(p, t)).toBe(r);
  });
});
