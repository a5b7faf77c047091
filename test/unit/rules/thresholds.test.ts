import { decidePosition } from '../../../engine/rules/position-decision';
import { EXITS, facts } from './helpers';

type Over = Record<string, number | boolean | string>;

// [rule, facts exactly at the threshold, facts just short of it]
const THRESHOLDS: ReadonlyArray<readonly [string, Over, Over]> = [
  ['catastrophe', { underlying_change_1h_pct: -3 }, { underlying_change_1h_pct: -2.99 }],
  ['catastrophe', { iv_change_pct: 50 }, { iv_change_pct: 49.99 }],
  ['expiry_exit', { dte: 1 }, { dte: 2 }],
  ['hard_stop', { profit_pct: -200 }, { profit_pct: -199.99 }],
  ['accelerated_stop', { dte: 6, profit_pct: -50 }, { dte: 7, profit_pct: -50 }],
  ['accelerated_stop', { dte: 6, profit_pct: -50 }, { dte: 6, profit_pct: -49.99 }],
  ['vix_exit', { vix: 35.01 }, { vix: 35 }],
  ['vix_exit', { vix_change_since_entry: 5.01 }, { vix_change_since_entry: 5 }],
  ['short_strike_breach', { spot_beyond_short_strike: true }, { spot_beyond_short_strike: false }],
  ['short_strike_breach', { strategy: 'iron_condor', short_delta_max: 0.3 }, { strategy: 'iron_condor', short_delta_max: 0.2999 }],
  ['short_strike_breach', { strategy: 'bull_put', short_delta_max: 0.4 }, { strategy: 'bull_put', short_delta_max: 0.3999 }],
  ['short_strike_breach', { strategy: 'bear_call', short_delta_max: 0.4 }, { strategy: 'bear_call', short_delta_max: 0.3999 }],
  ['gamma_risk', { position_gamma_abs: 0.1001, dte: 13 }, { position_gamma_abs: 0.1, dte: 13 }],
  ['gamma_risk', { position_gamma_abs: 0.2, dte: 13 }, { position_gamma_abs: 0.2, dte: 14 }],
  ['take_profit', { profit_pct: 50 }, { profit_pct: 49.99 }],
  ['trailing_profit', { peak_profit_pct: 40, profit_pct: 16 }, { peak_profit_pct: 40, profit_pct: 16.01 }],
  ['trailing_profit', { peak_profit_pct: 40, profit_pct: 16 }, { peak_profit_pct: 39.99, profit_pct: 15.99 }],
  ['iv_crush', { iv_change_pct: -30, profit_pct: 20 }, { iv_change_pct: -29.99, profit_pct: 20 }],
  ['iv_crush', { iv_change_pct: -30, profit_pct: 20 }, { iv_change_pct: -30, profit_pct: 19.99 }],
  ['iv_percentile_exit', { iv_percentile: 29.99, profit_pct: 20 }, { iv_percentile: 30, profit_pct: 20 }],
  ['iv_percentile_exit', { iv_percentile: 29.99, profit_pct: 20 }, { iv_percentile: 29.99, profit_pct: 19.99 }],
  ['dte_manage', { dte: 21 }, { dte: 22 }],
];

describe('when one rule is pushed to its threshold', () => {
  it('should hold on the calm baseline with every rule traced unfired', async () => {
    const d = await decidePosition(EXITS, facts());
    expect(d.action).toBe('hold');
    expect(d.rule).toBeNull();
    expect(d.trace.map((t) => t.priority)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(d.trace.every((t) => !t.fired)).toBe(true);
  });

  it.each(THRESHOLDS)('should fire %s exactly at %j and not at %j', async (rule, at, short) => {
    const hit = await decidePosition(EXITS, facts(at));
    expect(hit.rule).toBe(rule);
    // Nothing above the rule fired: it won on its own threshold.
    const idx = hit.trace.findIndex((t) => t.rule === rule);
    expect(hit.trace.slice(0, idx).some((t) => t.fired)).toBe(false);
    const miss = await decidePosition(EXITS, facts(short));
    expect(miss.trace.find((t) => t.rule === rule)?.fired).toBe(false);
    expect(miss.rule).not.toBe(rule);
  });
});

describe('when the short-strike breach threshold depends on the strategy', () => {
  it.each([
    ['iron_condor', 0.3, 'short_strike_breach'],
    ['iron_condor', 0.35, 'short_strike_breach'],
    ['bull_put', 0.35, null],
    ['bear_call', 0.35, null],
    ['bull_put', 0.4, 'short_strike_breach'],
  ] as const)('should give %s at delta %d the rule %s', async (strategy, delta, rule) => {
    const d = await decidePosition(EXITS, facts({ strategy, short_delta_max: delta }));
    expect(d.rule).toBe(rule);
  });
});

describe('when the DTE roll would shadow the gamma and expiry exits (v6 defect)', () => {
  it.each([
    [{ dte: 1 }, 'expiry_exit', 'immediate'],
    [{ dte: 0 }, 'expiry_exit', 'immediate'],
    [{ dte: 10, position_gamma_abs: 0.15 }, 'gamma_risk', 'high'],
  ] as const)('should reach %j → %s though dte_manage also matches', async (over, rule, urgency) => {
    const d = await decidePosition(EXITS, facts(over));
    expect(d.rule).toBe(rule);
    expect(d.action).toBe('close');
    expect(d.urgency).toBe(urgency);
    expect(d.trace.find((t) => t.rule === 'dte_manage')?.fired).toBe(true);
  });
});
