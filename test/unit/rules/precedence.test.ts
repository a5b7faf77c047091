import { decidePosition } from '../../../engine/rules/position-decision';
import { EXITS, facts } from './helpers';

// Facts on which both neighbours fire: the higher priority (lower number) must win.
const PAIRS: ReadonlyArray<readonly [string, string, Record<string, number | boolean | string>]> = [
  ['catastrophe', 'expiry_exit', { underlying_change_1h_pct: -4, dte: 1 }],
  ['expiry_exit', 'hard_stop', { dte: 1, profit_pct: -250 }],
  ['hard_stop', 'accelerated_stop', { dte: 5, profit_pct: -200 }],
  ['accelerated_stop', 'vix_exit', { dte: 5, profit_pct: -60, vix: 40 }],
  ['vix_exit', 'short_strike_breach', { vix: 40, spot_beyond_short_strike: true }],
  ['short_strike_breach', 'gamma_risk', { short_delta_vs_entry: 2.2, position_gamma_usd_1pct: -4000, dte: 10 }],
  ['gamma_risk', 'take_profit', { position_gamma_usd_1pct: -4000, dte: 10, profit_pct: 60 }],
  ['trailing_profit', 'iv_crush', { peak_profit_pct: 60, profit_pct: 20, iv_change_pct: -40 }],
  ['iv_crush', 'iv_percentile_exit', { iv_change_pct: -40, profit_pct: 25, iv_percentile: 10 }],
  ['iv_percentile_exit', 'dte_manage', { iv_percentile: 10, profit_pct: 25, dte: 20 }],
];

describe('when two neighbouring rules both match', () => {
  it.each(PAIRS)('should pick %s over %s', async (higher, lower, over) => {
    const d = await decidePosition(EXITS, facts(over));
    expect(d.rule).toBe(higher);
    const fired = d.trace.filter((t) => t.fired).map((t) => t.rule);
    expect(fired).toContain(lower);
    expect(fired.indexOf(higher)).toBeLessThan(fired.indexOf(lower));
  });

  it('should never see take_profit and trailing_profit together (peak ≤ 100 makes them exclusive), so take_profit wins over iv_crush instead', async () => {
    const d = await decidePosition(EXITS, facts({ profit_pct: 55, iv_change_pct: -40 }));
    expect(d.rule).toBe('take_profit');
    expect(d.trace.find((t) => t.rule === 'iv_crush')?.fired).toBe(true);
  });
});
